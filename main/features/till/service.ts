// The till's B2B buyers (issue 14): a buyer is saved only when it passes the NRS buyer rules
// (shared/domain/buyer.ts), so a looked-up buyer always makes a valid B2B invoice.
import { buyerProblems } from '../../../shared/domain/buyer';
import { InvalidInput, type Party } from '../../../shared/domain/sale';
import type { Data } from '../../ledger/data';
import { DEFAULT_CONFIRM_ABOVE_KOBO, DEFAULT_DISCOUNT_APPROVAL_ABOVE_PCT } from '../../../shared/domain/sale-confirm';

const CONFIRM_KEY = 'till.confirmAboveKobo';
const DISCOUNT_KEY = 'till.discountApprovalAbovePct';

export interface TillSettings {
  confirm_above_kobo: number;
  /** A discount above this % of a line needs the manager PIN; null: never. */
  discount_approval_above_pct: number | null;
}

function stored(data: Data, key: string): unknown {
  const raw = data.settings.get(key);
  try {
    return raw === undefined ? undefined : JSON.parse(raw);
  } catch {
    return undefined; // a damaged value: the default applies
  }
}

export function tillSettings(data: Data): TillSettings {
  const n = Number(stored(data, CONFIRM_KEY));
  const pct = stored(data, DISCOUNT_KEY);
  return {
    confirm_above_kobo: Number.isSafeInteger(n) && n >= 0 ? n : DEFAULT_CONFIRM_ABOVE_KOBO,
    discount_approval_above_pct:
      pct === null ? null : typeof pct === 'number' && pct >= 0 && pct <= 100 ? pct : DEFAULT_DISCOUNT_APPROVAL_ABOVE_PCT,
  };
}

export function saveTillSettings(
  data: Data,
  s: { confirm_above_kobo: number; discount_approval_above_pct?: number | null | undefined },
): TillSettings {
  data.settings.set(CONFIRM_KEY, JSON.stringify(s.confirm_above_kobo));
  if (s.discount_approval_above_pct !== undefined) data.settings.set(DISCOUNT_KEY, JSON.stringify(s.discount_approval_above_pct));
  return tillSettings(data);
}

export function saveCustomer(data: Data, party: Party): { id: number; party: Party } {
  if (!party.tin) throw new InvalidInput('customer.tin: a B2B buyer needs a TIN');
  const problems = buyerProblems(party);
  if (problems.length) throw new InvalidInput(problems.join('; '));
  return data.customers.save({ ...party, tin: party.tin });
}
