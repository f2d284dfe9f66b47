// Line and sale discounts at the till (issue 14), as an amount (₦) or a percentage, to the kobo.
//
// Rounding rule: a percentage is taken of the amount as priced (quantity × price, VAT-inclusive
// at the till) and rounded half-up to the kobo, once: a line's % of that line, a sale's % of the
// lines' total after their own discounts. Half-up is the rule the ledger already uses for every
// kobo it derives (line VAT, refund shares, the CRM mappers' % discounts), FIRS/NRS state amounts
// in whole kobo and publish no rounding rule of their own, and rounding the sale's % once (not
// per line) makes "10 % off" exactly 10 % of the total the customer sees.
//
// A sale discount is spread over the lines (largest remainder, in proportion to what each line
// costs after its own discount) into each line's `discount`. The NRS invoice then carries it in
// invoice_line[].discount_amount / discount_rate, so every line keeps
//   invoiced_quantity × price_amount − discount_amount = line_extension_amount
// and the VAT base of each category is the discounted amount. A sale-level allowance_charge
// (charge_indicator false) is not used: the documented allowance_charge {charge_indicator, amount}
// names no tax category, so it could not say which VAT base it lowers. A refund of a line then
// hands back the discounted amount (refund-amount.ts follows the line's discount).
import Big from 'big.js';
import type { Sale } from './sale';
import { allocate } from './allocate';
import { formatNaira, roundKobo, type Kobo } from './money';
import { parseMoneyEntry } from '../catalogue/money-entry';

export type DiscountEntry = { kind: 'amount'; kobo: Kobo } | { kind: 'percent'; percent: string };

const PERCENT = /^(\d{1,3}(?:\.\d{1,2})?)\s*%$/;

/** "10%", "12.5 %" (a percentage) or "500", "₦1,500.50" (naira off); blank is no discount. */
export function parseDiscountEntry(text: string): DiscountEntry | null {
  const t = text.trim();
  if (!t) return null;
  if (t.endsWith('%')) {
    const m = PERCENT.exec(t);
    if (!m) throw new Error(`Discount "${t}" is not a percentage like 10% or 12.5%`);
    const p = new Big(m[1]!);
    if (p.lte(0) || p.gt(100)) throw new Error(`Discount ${t} must be above 0% and at most 100%`);
    return { kind: 'percent', percent: p.toString() };
  }
  let kobo: Kobo;
  try {
    kobo = parseMoneyEntry(t);
  } catch (e) {
    throw new Error(`Discount ${(e as Error).message} (or a percentage like 10%)`, { cause: e });
  }
  if (kobo <= 0) throw new Error('Discount must be above ₦0.00 (leave it blank for none)');
  return { kind: 'amount', kobo };
}

/** The entry as people read it: "10%" or "₦500.00". */
export function describeDiscount(d: DiscountEntry): string {
  return d.kind === 'percent' ? `${d.percent}%` : formatNaira(d.kobo);
}

/** Kobo off `baseKobo`: a percentage half-up to the kobo; never more than the base. */
export function discountKobo(d: DiscountEntry, baseKobo: Kobo, what = 'the amount'): Kobo {
  const off = d.kind === 'percent' ? roundKobo(new Big(baseKobo).times(d.percent).div(100)) : d.kobo;
  if (off > baseKobo) throw new Error(`Discount ${formatNaira(off)} is more than ${what} ${formatNaira(baseKobo)}`);
  return off;
}

/** quantity × unit price in kobo, half-up: the same figure totals.ts takes a line's discount from. */
export function extendedKobo(quantity: string, unitPrice: string): Kobo {
  return roundKobo(new Big(quantity).times(unitPrice).times(100));
}

export interface SpreadDiscount {
  /** Per line: its own discount, its share of the sale discount, and the two together. */
  lines: { own: Kobo; share: Kobo; total: Kobo }[];
  /** The sale discount in kobo (Σ shares). */
  sale: Kobo;
  /** Every discount of the sale (Σ line totals). */
  total: Kobo;
}

/**
 * Each line's discount in kobo: its own (of its extended amount) plus its share of the sale's
 * (of Σ what the lines cost after their own), so Σ shares is the sale discount exactly.
 */
export function spreadDiscounts(
  lines: readonly { extended: Kobo; discount: DiscountEntry | null; name?: string }[],
  sale: DiscountEntry | null,
): SpreadDiscount {
  const own = lines.map((l) => (l.discount ? discountKobo(l.discount, l.extended, l.name ? `${l.name}'s` : "the line's") : 0));
  const after = lines.map((l, i) => l.extended - own[i]!);
  const base = after.reduce((a, b) => a + b, 0);
  const saleKobo = sale ? discountKobo(sale, base, 'the sale') : 0;
  const shares = allocate(saleKobo, after);
  const out = lines.map((_, i) => ({ own: own[i]!, share: shares[i]!, total: own[i]! + shares[i]! }));
  return { lines: out, sale: saleKobo, total: out.reduce((a, l) => a + l.total, 0) };
}

/** Percentage with two decimals, for messages. */
function pct(x: Big): string {
  return x.round(2, Big.roundHalfUp).toString();
}

/**
 * Why a sale's discounts need the manager, or null. A line needs approval when its discount is
 * above `limitPercent` of its amount as priced; one kobo of slack, because spreading a sale
 * discount over the lines can give a line a kobo more than its exact share.
 */
export function discountApprovalReason(sale: Pick<Sale, 'lines'>, limitPercent: number | null): string | null {
  if (limitPercent === null) return null;
  for (const [i, l] of sale.lines.entries()) {
    if (!l.discount) continue;
    const discount = roundKobo(new Big(l.discount).times(100));
    if (discount === 0) continue;
    const ext = extendedKobo(l.quantity, l.unit_price);
    const allowed = roundKobo(new Big(ext).times(limitPercent).div(100)) + 1;
    if (discount > allowed) {
      const share = ext > 0 ? pct(new Big(discount).times(100).div(ext)) : '100';
      return `lines[${i}].discount: ${formatNaira(discount)} off "${l.name}" is ${share}%, above the ${limitPercent}% a cashier may give; it needs the manager PIN`;
    }
  }
  return null;
}
