// A refund as a credit note: the chosen lines/quantities of an issued invoice become a canonical
// sale with refund_of set; the ledger then checks the credit never exceeds what remains.
import Big from 'big.js';
import { InvalidInput, type Sale } from '../../../shared/domain/sale';
import { computeTotals } from '../../../shared/domain/totals';
import { formatKobo } from '../../../shared/domain/money';
import { refundLine, type RefundPick } from '../../../shared/domain/refund-amount';
import type { PaymentMethod } from '../../../shared/domain/payment-means';
import { refundedQuantities } from '../../../shared/domain/sale-rules';

export { refundedQuantities };

export type { RefundPick };

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
    return refundLine(line, pick.quantity);
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
