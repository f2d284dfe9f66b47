// A refund as a credit note: the chosen lines/quantities of an issued invoice become a canonical
// sale with refund_of set; the ledger then checks the credit never exceeds what remains.
import Big from 'big.js';
import { InvalidInput, type Sale } from '../../../shared/domain/sale';
import { computeTotals } from '../../../shared/domain/totals';
import { formatKobo, parseKobo, roundKobo } from '../../../shared/domain/money';
import type { PaymentMethod } from '../../../shared/domain/payment-means';

export interface RefundPick {
  index: number;
  quantity: string;
}

/** Quantity already credited per original line, matching credit-note lines by name, price and tax. */
export function refundedQuantities(original: Sale, creditNotes: readonly Sale[]): Big[] {
  const done = original.lines.map(() => new Big(0));
  for (const cn of creditNotes) {
    for (const l of cn.lines) {
      const i = original.lines.findIndex(
        (o, k) =>
          o.name === l.name &&
          new Big(o.unit_price).eq(l.unit_price) &&
          o.tax.category === l.tax.category &&
          o.tax.rate === l.tax.rate &&
          done[k]!.lt(o.quantity),
      );
      if (i >= 0) done[i] = done[i]!.plus(l.quantity);
    }
  }
  return done;
}

export function buildRefundSale(args: {
  original: Sale;
  originalIrn: string;
  creditNotes: readonly Sale[];
  picks: readonly RefundPick[];
  refundId: string;
  source: Sale['source'];
  occurredAt: string;
  method?: PaymentMethod | undefined;
  reason?: string | undefined;
}): Sale {
  const { original } = args;
  const refunded = refundedQuantities(original, args.creditNotes);
  const seen = new Set<number>();
  const lines = args.picks.map((pick, n) => {
    const line = original.lines[pick.index];
    if (!line) throw new InvalidInput(`lines[${n}].index: the invoice has no line ${pick.index} (it has ${original.lines.length})`);
    if (seen.has(pick.index)) throw new InvalidInput(`lines[${n}].index: line ${pick.index} is picked twice`);
    seen.add(pick.index);
    const remaining = new Big(line.quantity).minus(refunded[pick.index]!);
    if (new Big(pick.quantity).gt(remaining)) {
      throw new InvalidInput(
        `lines[${n}].quantity: only ${remaining.toString()} of "${line.name}" remain to refund (sold ${line.quantity})`,
      );
    }
    const out: Sale['lines'][number] = { name: line.name, quantity: pick.quantity, unit_price: line.unit_price, tax: line.tax };
    if (line.sku) out.sku = line.sku;
    if (line.discount) {
      // The discount follows the quantity refunded, rounded half-up to the kobo.
      const share = roundKobo(new Big(parseKobo(line.discount, 'discount')).times(pick.quantity).div(line.quantity));
      if (share > 0) out.discount = formatKobo(share);
    }
    return out;
  });
  const method = args.method ?? original.payments[0]!.method;
  const draft: Sale = {
    source: args.source,
    external_id: `refund-${args.refundId}`,
    occurred_at: args.occurredAt,
    currency: original.currency,
    lines,
    payments: [{ method, amount: '0.00' }],
    refund_of: args.originalIrn,
    ...(original.customer ? { customer: original.customer } : {}),
    ...(args.reason ? { note: args.reason } : {}),
  };
  const total = computeTotals({ ...draft, payments: [{ method: 'cash', amount: '9999999999999.99' }] }).taxInclusive;
  return { ...draft, payments: [{ method, amount: formatKobo(total) }] };
}
