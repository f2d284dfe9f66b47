// What a refund hands back, before it is issued: the credit-note lines for the picked quantities
// and their tax-inclusive total in integer kobo. The till shows it and main issues it from the
// same code, so the amount on screen is the credit note's amount.
import Big from 'big.js';
import type { Sale } from './sale';
import { computeInvoiceAmounts } from './totals';
import { formatKobo, formatNaira, parseKobo, roundKobo, type Kobo } from './money';

export interface RefundPick {
  index: number;
  quantity: string;
}

/** One credit-note line: the original line at the refunded quantity; a discount follows the
 * quantity, rounded half-up to the kobo. */
export function refundLine(line: Sale['lines'][number], quantity: string): Sale['lines'][number] {
  const out: Sale['lines'][number] = { name: line.name, quantity, unit_price: line.unit_price, tax: line.tax };
  if (line.sku) out.sku = line.sku;
  if (line.discount) {
    const share = roundKobo(new Big(parseKobo(line.discount, 'discount')).times(quantity).div(line.quantity));
    if (share > 0) out.discount = formatKobo(share);
  }
  return out;
}

/** Tax-inclusive kobo a refund of `picks` hands back (0 when nothing is picked). */
export function refundAmountKobo(original: Sale, picks: readonly RefundPick[]): Kobo {
  const lines = picks.flatMap((p) => {
    const line = original.lines[p.index];
    return line && new Big(p.quantity).gt(0) ? [refundLine(line, p.quantity)] : [];
  });
  if (lines.length === 0) return 0;
  // Only what the credit note carries (main/features/sales/refund.ts): the original's sale-level
  // extras (tip, on-credit terms) are not refunded through lines.
  const credit: Sale = {
    source: original.source,
    external_id: 'refund-preview',
    occurred_at: original.occurred_at,
    currency: original.currency,
    lines,
    payments: original.payments,
    ...(original.customer ? { customer: original.customer } : {}),
  };
  return computeInvoiceAmounts(credit).taxInclusive;
}

/** The original invoice's refund state in words: null (none), "refunded", or "partly refunded ₦…". */
export function refundState(payableKobo: Kobo, refundedKobo: Kobo | undefined): string | null {
  if (!refundedKobo) return null;
  return refundedKobo >= payableKobo ? 'refunded' : `partly refunded ${formatNaira(refundedKobo)}`;
}
