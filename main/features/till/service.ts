// The till's B2B buyers (issue 14): a buyer is saved only when it passes the NRS buyer rules
// (shared/domain/buyer.ts), so a looked-up buyer always makes a valid B2B invoice.
import { buyerProblems } from '../../../shared/domain/buyer';
import { InvalidInput, type Party } from '../../../shared/domain/sale';
import type { Data } from '../../ledger/data';
import { DEFAULT_CONFIRM_ABOVE_KOBO } from '../../../shared/domain/sale-confirm';

const CONFIRM_KEY = 'till.confirmAboveKobo';

export function tillSettings(data: Data): { confirm_above_kobo: number } {
  const raw = data.settings.get(CONFIRM_KEY);
  let n = NaN;
  try {
    if (raw !== undefined) n = Number(JSON.parse(raw));
  } catch {
    /* a damaged value: the default applies */
  }
  return { confirm_above_kobo: Number.isSafeInteger(n) && n >= 0 ? n : DEFAULT_CONFIRM_ABOVE_KOBO };
}

export function saveTillSettings(data: Data, s: { confirm_above_kobo: number }): { confirm_above_kobo: number } {
  data.settings.set(CONFIRM_KEY, JSON.stringify(s.confirm_above_kobo));
  return tillSettings(data);
}

export function saveCustomer(data: Data, party: Party): { id: number; party: Party } {
  if (!party.tin) throw new InvalidInput('customer.tin: a B2B buyer needs a TIN');
  const problems = buyerProblems(party);
  if (problems.length) throw new InvalidInput(problems.join('; '));
  return data.customers.save({ ...party, tin: party.tin });
}
