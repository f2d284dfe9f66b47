// Paying one sale several ways (issue 14): part cash, part transfer or card. Integer kobo only.
// Only cash can give change, so card/transfer may cover at most what cash leaves unpaid. The
// problems are sentences for the cashier, with ₦ amounts ("Cash ₦500 is ₦1,500 short of ₦2,000").
import { formatNaira, type Kobo } from './money';
import type { PaymentMethod } from './payment-means';
import { PAYMENT_LABELS } from '../receipt/receipt';

export interface Tender {
  method: PaymentMethod;
  amount: Kobo;
}

export interface TenderState {
  paid: Kobo;
  /** Still to pay (0 once covered). */
  remaining: Kobo;
  /** Cash to hand back. */
  change: Kobo;
  problem: string | null;
}

function describe(tenders: readonly Tender[]): string {
  return tenders.map((t) => `${PAYMENT_LABELS[t.method]} ${formatNaira(t.amount)}`).join(' + ');
}

export function tender(total: Kobo, tenders: readonly Tender[]): TenderState {
  for (const t of tenders) if (!Number.isSafeInteger(t.amount) || t.amount < 0) throw new RangeError(`tender: ${t.amount} is not kobo`);
  const paid = tenders.reduce((s, t) => s + t.amount, 0);
  if (paid < total) {
    const what = tenders.length ? describe(tenders) : 'Nothing paid';
    return { paid, remaining: total - paid, change: 0, problem: `${what} is ${formatNaira(total - paid)} short of ${formatNaira(total)}` };
  }
  const cash = tenders.filter((t) => t.method === 'cash').reduce((s, t) => s + t.amount, 0);
  const nonCash = paid - cash;
  if (nonCash > total)
    return {
      paid,
      remaining: 0,
      change: 0,
      problem: `${describe(tenders.filter((t) => t.method !== 'cash'))} is more than the ${formatNaira(total)} to pay: only cash can give change`,
    };
  return { paid, remaining: 0, change: paid - total, problem: null };
}
