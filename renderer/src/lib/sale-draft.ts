// The till's sale being keyed in: text fields as typed, turned into a canonical Sale and exact
// kobo totals by the same shared code the ledger uses (so the till can never disagree with it).
import { formatKobo } from '../../../shared/domain/money';
import { parseSale, InvalidInput, type Sale } from '../../../shared/domain/sale';
import { computeTotals, type SaleTotals } from '../../../shared/domain/totals';
import type { PaymentMethod } from '../../../shared/domain/payment-means';
import type { Party } from '../../../shared/domain/sale';
import { parseMoneyEntry } from '../../../shared/catalogue/money-entry';
import { quantityProblem, type Unit } from '../../../shared/catalogue/product';
import { tender, type Tender, type TenderState } from '../../../shared/domain/split-payment';
import { extendedKobo, parseDiscountEntry, spreadDiscounts, type SpreadDiscount } from '../../../shared/domain/discount';

export const VAT_CHOICES = [
  { key: 'STANDARD_VAT', label: 'VAT 7.5%', tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true } },
  { key: 'ZERO_VAT', label: 'Zero-rated', tax: { category: 'ZERO_VAT', rate: '0', inclusive: true } },
  { key: 'EXEMPTED', label: 'Exempt', tax: { category: 'EXEMPTED', rate: '0', inclusive: true } },
] as const;
export type VatKey = (typeof VAT_CHOICES)[number]['key'];

export const PAYMENT_LABELS: Record<PaymentMethod, string> = {
  cash: 'Cash',
  card: 'Card',
  transfer: 'Transfer',
  online: 'Online',
  cheque: 'Cheque',
  direct_debit: 'Direct debit',
};

export interface DraftLine {
  name: string;
  quantity: string;
  price: string;
  vat: VatKey;
  /** From the catalogue: the product's SKU, unit and FIRS classification. */
  sku?: string;
  unit?: Unit;
  hs_code?: string;
  isic_code?: string;
  service_category?: string;
  /** A discount on this line as typed: "10%" or "500" (naira off the line). */
  discount?: string;
}

export const QTY = /^\d{1,9}(\.\d{1,6})?$/;

/** Field-level problems of a line being typed, keyed by field, in words a cashier understands. */
export function lineProblems(l: DraftLine): Partial<Record<keyof DraftLine, string>> {
  const p: Partial<Record<keyof DraftLine, string>> = {};
  if (!l.name.trim()) p.name = 'Item name is empty';
  if (l.unit) {
    const q = quantityProblem(l.unit, l.quantity);
    if (q) p.quantity = q;
  } else if (!QTY.test(l.quantity.trim()) || Number(l.quantity) <= 0) p.quantity = 'Quantity must be a number above 0, like 2 or 1.5';
  try {
    parseMoneyEntry(l.price);
  } catch (e) {
    p.price = /ambiguous/.test((e as Error).message) ? `Price ${(e as Error).message}` : 'Price must be an amount like 1500 or 1500.50';
  }
  return p;
}

export function normalisePrice(price: string): string {
  return formatKobo(parseMoneyEntry(price));
}

/** An amount field as typed, or the plain-words reason it is not one. */
export function amountProblem(text: string): string | null {
  if (!text.trim()) return null;
  try {
    parseMoneyEntry(text);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

export interface DraftSale {
  id: string; // client-generated: resubmitting the same draft cannot issue twice
  lines: DraftLine[];
  method: PaymentMethod;
  tendered: string; // cash only; empty = exact
  /** A split payment (part cash, part transfer…): when given, these are the payments. */
  split?: { method: PaymentMethod; amount: string }[];
  /** A B2B buyer (with a TIN): the invoice becomes B2B. */
  customer?: Party | null;
  /** A discount on the whole sale as typed: "10%" or "1000"; spread over the lines. */
  discount?: string;
}

/** The draft's discounts in kobo (shared/domain/discount.ts): each line's own and its share of the sale's. */
export function draftDiscounts(d: Pick<DraftSale, 'lines' | 'discount'>): SpreadDiscount {
  // No discount typed: nothing to price (a line still being corrected is parseSale's to report).
  if (!d.discount?.trim() && !d.lines.some((l) => l.discount?.trim()))
    return { lines: d.lines.map(() => ({ own: 0, share: 0, total: 0 })), sale: 0, total: 0 };
  return spreadDiscounts(
    d.lines.map((l) => ({
      name: l.name.trim(),
      extended: extendedKobo(l.quantity.trim(), normalisePrice(l.price)),
      discount: parseDiscountEntry(l.discount ?? ''),
    })),
    parseDiscountEntry(d.discount ?? ''),
  );
}

/** How the draft is paid for a total: the split rows, else cash tendered, else exactly the total. */
export function tendersOf(d: DraftSale, total: number): Tender[] {
  if (d.split && d.split.length > 0)
    return d.split.filter((t) => t.amount.trim()).map((t) => ({ method: t.method, amount: parseMoneyEntry(t.amount) }));
  if (d.method === 'cash' && d.tendered.trim()) return [{ method: 'cash', amount: parseMoneyEntry(d.tendered) }];
  return [{ method: d.method, amount: total }];
}

export function toSale(d: DraftSale, now = new Date()): Sale {
  if (d.lines.length === 0) throw new InvalidInput('lines: add at least one item (type it and press Enter)');
  let discounts: SpreadDiscount;
  try {
    discounts = draftDiscounts(d);
  } catch (e) {
    throw new InvalidInput((e as Error).message);
  }
  const lines = d.lines.map((l, i) => ({
    name: l.name.trim(),
    ...(l.sku ? { sku: l.sku } : {}),
    quantity: l.quantity.trim(),
    unit_price: normalisePrice(l.price),
    ...(discounts.lines[i]!.total > 0 ? { discount: formatKobo(discounts.lines[i]!.total) } : {}),
    tax: { ...VAT_CHOICES.find((v) => v.key === l.vat)!.tax },
    ...(l.hs_code ? { hs_code: l.hs_code } : {}),
    ...(l.isic_code ? { isic_code: l.isic_code } : {}),
    ...(l.isic_code && l.service_category ? { service_category: l.service_category } : {}),
  }));
  const base = {
    source: 'manual',
    external_id: `till-${d.id}`,
    occurred_at: isoWithOffset(now),
    currency: 'NGN',
    lines,
    ...(d.customer ? { customer: d.customer } : {}),
  };
  // Totals first: priced with a cash payment large enough to cover anything (cash may give
  // change), so the real payment can default to exactly the total.
  const total = computeTotals(parseSale({ ...base, payments: [{ method: 'cash', amount: '9999999999999.99' }] })).taxInclusive;
  const tenders = tendersOf(d, total);
  const state = tender(total, tenders);
  if (state.problem) throw new InvalidInput(state.problem);
  return parseSale({ ...base, payments: tenders.map((t) => ({ method: t.method, amount: formatKobo(t.amount) })) });
}

export interface DraftTotals {
  totals: SaleTotals | null;
  /** The discounts behind the totals (null when the lines do not price). */
  discounts: SpreadDiscount | null;
  /** Paid, still to pay and change, whenever the lines price. */
  tender: TenderState | null;
  error: string | null;
}

export function draftTotals(d: DraftSale): DraftTotals {
  if (d.lines.length === 0) return { totals: null, discounts: null, tender: null, error: null };
  let totals: SaleTotals;
  let discounts: SpreadDiscount;
  try {
    totals = computeTotals(toSale({ ...d, method: 'cash', tendered: '', split: [] }));
    discounts = draftDiscounts(d);
  } catch (e) {
    return { totals: null, discounts: null, tender: null, error: e instanceof Error ? e.message : String(e) };
  }
  try {
    const state = tender(totals.taxInclusive, tendersOf(d, totals.taxInclusive));
    return { totals: { ...totals, change: state.change }, discounts, tender: state, error: state.problem };
  } catch (e) {
    // An amount that does not parse: the totals stay on screen; the field says what is wrong.
    return { totals, discounts, tender: null, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Lagos wall-clock with +01:00, as the canonical sale wants an offset. */
export function isoWithOffset(now: Date): string {
  const shifted = new Date(now.getTime() + 3600_000).toISOString().slice(0, 19);
  return `${shifted}+01:00`;
}

export function newDraftId(): string {
  return crypto.randomUUID();
}
