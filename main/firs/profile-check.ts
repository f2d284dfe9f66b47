// The business profile's NRS codes against the code lists (the platform's cached copy, else the
// shipped one): errors refuse setup; warnings say what could only be checked by shape because the
// shipped copy is partial (LGAs outside the states it covers, HS/ISIC codes before the first fetch).
import type { Business } from '../../shared/domain/business';
import type { CodeLists } from './code-lists';

export interface ProfileCheck {
  errors: string[];
  warnings: string[];
}

export function profileCodeCheck(b: Business, lists: CodeLists): ProfileCheck {
  const errors: string[] = [];
  const warnings: string[] = [];
  if (b.state && !lists.codes('states').has(b.state))
    errors.push(`state: "${b.state}" is not in the NRS states list (e.g. NG-LA for Lagos, NG-FC for Abuja)`);
  if (b.state && b.lga) {
    if (lists.lgaCovered(b.state)) {
      if (lists.lgaKnownWrong(b.state, b.lga)) errors.push(`lga: "${b.lga}" is not in the NRS lgas list for ${b.state}`);
    } else {
      warnings.push(
        `lga: ${b.lga} was checked by its shape only: the LGA list on this terminal does not cover ${b.state} yet (it is fetched from the platform when online; \`taxpoynt-pos firs-check\` asks the platform)`,
      );
    }
  }
  const classification = [
    ['default_hs_code', b.default_hs_code, 'hs-codes'],
    ['default_isic_code', b.default_isic_code, 'services-codes'],
  ] as const;
  for (const [field, code, list] of classification) {
    if (!code || lists.codes(list).has(code)) continue;
    if (lists.fetched(list)) errors.push(`${field}: "${code}" is not in the NRS ${list} list`);
    else
      warnings.push(
        `${field}: ${code} is not in the shipped part of the ${list} list; it will be checked against the platform's list when online`,
      );
  }
  return { errors, warnings };
}
