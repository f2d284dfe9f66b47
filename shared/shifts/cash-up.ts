// The cash-up of a till shift (issue 14), as Square's drawer report and Odoo's session close do
// it: what each payment method should hold, what was counted, and the difference. Integer kobo
// only; pure, so the till, the manager screen, the CLI and the stored close use the same sums.
//
//   expected cash  = float + cash taken on sales − change handed back − cash paid out on refunds
//                    + cash in − cash out
//   expected other = taken on sales − paid back on refunds (card, transfer… from the invoices)
//   over/short     = counted − expected (positive: over; negative: short)
import { z } from 'zod';
import { PAYMENT_METHODS, type PaymentMethod } from '../domain/payment-means';
import { formatNaira, type Kobo } from '../domain/money';

const kobo = z.number().int();

/** What the shift's invoices took and paid back, per method (from the ledger, summed in SQL). */
export interface ShiftTakings {
  /** Tendered on sales, per method (cash as handed over, before change). */
  sales: Partial<Record<PaymentMethod, Kobo>>;
  /** Paid back on credit notes (refunds), per method. */
  refunds: Partial<Record<PaymentMethod, Kobo>>;
  /** Cash handed back as change on sales. */
  change: Kobo;
  sales_count: number;
  refunds_count: number;
  /** Invoice totals: sales and credit notes. */
  sales_kobo: Kobo;
  refunds_kobo: Kobo;
}

export interface CashMoves {
  in: Kobo;
  out: Kobo;
}

export const MethodLineSchema = z.object({
  method: z.enum(PAYMENT_METHODS),
  sales_kobo: kobo,
  refunds_kobo: kobo,
  expected_kobo: kobo,
  /** null: not counted (X report, or a method the close did not count). */
  counted_kobo: kobo.nullable(),
  /** counted − expected; null when not counted. */
  over_short_kobo: kobo.nullable(),
});
export type MethodLine = z.infer<typeof MethodLineSchema>;

/** Counted amounts at the close; cash must be counted, other methods may be (card batch, bank app). */
export type Counted = Partial<Record<PaymentMethod, Kobo>>;

function check(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what}: ${n} is not a whole number of kobo`);
}

/**
 * The per-method lines: cash always (it is the drawer), then every other method the shift took or
 * paid back or that was counted, in the payment-means order.
 */
export function methodLines(float: Kobo, takings: ShiftTakings, moves: CashMoves, counted: Counted | null = null): MethodLine[] {
  check(float, 'float');
  check(takings.change, 'change');
  check(moves.in, 'cash in');
  check(moves.out, 'cash out');
  const lines: MethodLine[] = [];
  for (const method of PAYMENT_METHODS) {
    const sales = takings.sales[method] ?? 0;
    const refunds = takings.refunds[method] ?? 0;
    check(sales, `${method} sales`);
    check(refunds, `${method} refunds`);
    const c = counted?.[method];
    if (c !== undefined) check(c, `${method} counted`);
    if (method !== 'cash' && sales === 0 && refunds === 0 && c === undefined) continue;
    const expected = method === 'cash' ? float + sales - takings.change - refunds + moves.in - moves.out : sales - refunds;
    lines.push({
      method,
      sales_kobo: sales,
      refunds_kobo: refunds,
      expected_kobo: expected,
      counted_kobo: c ?? null,
      over_short_kobo: c === undefined ? null : c - expected,
    });
  }
  return lines;
}

/** The total over (positive) or short (negative) of the counted methods; null when nothing was counted. */
export function totalOverShort(lines: readonly MethodLine[]): Kobo | null {
  const counted = lines.filter((l) => l.over_short_kobo !== null);
  return counted.length ? counted.reduce((s, l) => s + l.over_short_kobo!, 0) : null;
}

/** "over ₦200.00", "short ₦1,500.00", "even": how a cashier reads a difference. */
export function overShortWords(diff: Kobo): string {
  if (diff === 0) return 'even';
  return diff > 0 ? `over ${formatNaira(diff)}` : `short ${formatNaira(-diff)}`;
}
