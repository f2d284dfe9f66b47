// Money as a cashier or a spreadsheet types it → exact kobo. "1500", "1,500.50", "₦1,500" are
// accepted; "1.500,00" (European grouping) and "1,50" are refused as ambiguous rather than read
// as ₦1.50 — a till must never guess which of two amounts a thousand times apart was meant.
import { parseKobo, type Kobo } from '../domain/money';

const PLAIN = /^\d{1,13}(\.\d{1,2})?$/;
const GROUPED = /^\d{1,3}(,\d{3})+(\.\d{1,2})?$/;

export function parseMoneyEntry(text: string): Kobo {
  const t = text
    .trim()
    .replace(/^₦\s*/, '')
    .replace(/^NGN\s*/i, '');
  if (!t) throw new Error('enter an amount, like 1500 or 1500.50');
  if (PLAIN.test(t)) return parseKobo(t);
  if (GROUPED.test(t)) return parseKobo(t.replaceAll(',', ''));
  if (/^[\d.,]+$/.test(t) && t.includes(',') && (t.lastIndexOf(',') > t.lastIndexOf('.') || /\.\d{3}/.test(t)))
    throw new Error(`"${text.trim()}" is ambiguous: write naira with a dot for kobo, like 1500.00 or 1,500.00`);
  if (/^\d+\.\d{3,}$/.test(t)) throw new Error(`"${text.trim()}" has more than 2 decimal places: kobo is the smallest unit`);
  throw new Error(`"${text.trim()}" is not an amount like 1500 or 1,500.50`);
}
