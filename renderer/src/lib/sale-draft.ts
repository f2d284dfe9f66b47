// The till's sale being keyed in: text fields as typed, turned into a canonical Sale and exact
// kobo totals by the same shared code the ledger uses (so the till can never disagree with it).
import { parseKobo, formatKobo, MoneyError } from '../../../shared/domain/money';
import { parseSale, InvalidInput, type Sale } from '../../../shared/domain/sale';
import { computeTotals, type SaleTotals } from '../../../shared/domain/totals';
import type { PaymentMethod } from '../../../shared/domain/payment-means';

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
}

export const QTY = /^\d{1,9}(\.\d{1,6})?$/;

/** Field-level problems of a line being typed, keyed by field, in words a cashier understands. */
export function lineProblems(l: DraftLine): Partial<Record<keyof DraftLine, string>> {
  const p: Partial<Record<keyof DraftLine, string>> = {};
  if (!l.name.trim()) p.name = 'Item name is empty';
  if (!QTY.test(l.quantity.trim()) || Number(l.quantity) <= 0) p.quantity = 'Quantity must be a number above 0, like 2 or 1.5';
  try {
    parseKobo(l.price.trim().replaceAll(',', ''), 'price');
  } catch (e) {
    p.price = e instanceof MoneyError ? 'Price must be an amount like 1500 or 1500.50' : String(e);
  }
  return p;
}

export function normalisePrice(price: string): string {
  return formatKobo(parseKobo(price.trim().replaceAll(',', ''), 'price'));
}

export interface DraftSale {
  id: string; // client-generated: resubmitting the same draft cannot issue twice
  lines: DraftLine[];
  method: PaymentMethod;
  tendered: string; // cash only; empty = exact
}

export function toSale(d: DraftSale, now = new Date()): Sale {
  if (d.lines.length === 0) throw new InvalidInput('lines: add at least one item (type it and press Enter)');
  const lines = d.lines.map((l) => ({
    name: l.name.trim(),
    quantity: l.quantity.trim(),
    unit_price: normalisePrice(l.price),
    tax: { ...VAT_CHOICES.find((v) => v.key === l.vat)!.tax },
  }));
  const base = { source: 'manual', external_id: `till-${d.id}`, occurred_at: isoWithOffset(now), currency: 'NGN', lines };
  // Totals first: priced with a cash payment large enough to cover anything (cash may give
  // change), so the real payment can default to exactly the total.
  const total = computeTotals(parseSale({ ...base, payments: [{ method: 'cash', amount: '9999999999999.99' }] })).taxInclusive;
  let amount = formatKobo(total);
  if (d.method === 'cash' && d.tendered.trim()) amount = formatKobo(parseKobo(d.tendered.trim().replaceAll(',', ''), 'tendered'));
  return parseSale({ ...base, payments: [{ method: d.method, amount }] });
}

export interface DraftTotals {
  totals: SaleTotals | null;
  error: string | null;
}

export function draftTotals(d: DraftSale): DraftTotals {
  if (d.lines.length === 0) return { totals: null, error: null };
  try {
    return { totals: computeTotals(toSale(d)), error: null };
  } catch (e) {
    return { totals: null, error: e instanceof Error ? e.message : String(e) };
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
