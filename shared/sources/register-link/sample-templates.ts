// The two templates that ship with the app, for layouts common on Nigerian tills (their sample
// captures, made by us, are in test/register-link/). Copy one and adjust it in the template tester.
import { TemplateSchema, type Template } from './template';

const AMOUNT = String.raw`\d{1,3}(?:,\d{3})*\.\d{2}`;

/** One line per item (name, qty, unit price, amount), VAT included in prices, cash with change. */
const supermarket = TemplateSchema.parse({
  id: 'ng-supermarket',
  name: 'Supermarket, one line per item (VAT inclusive)',
  currency: 'NGN',
  decimal: '.',
  start: String.raw`^RECEIPT NO:`,
  fields: {
    receipt_no: [{ pattern: String.raw`^RECEIPT NO:\s*(?<receipt_no>\S+)$` }],
    date: [{ pattern: String.raw`^DATE:\s*(?<date>\d{2}/\d{2}/\d{4})\s+TIME:\s*(?<time>\d{2}:\d{2}:\d{2})$` }],
    total: [{ pattern: String.raw`^TOTAL\s+(?<amount>${AMOUNT})$` }],
    tax: [{ pattern: String.raw`^VAT (?<rate>\d+(?:\.\d+)?)% \(incl\.\)\s+(?<amount>${AMOUNT})$` }],
    payment: [{ pattern: String.raw`^(?<method>CASH|POS|TRANSFER)\s+(?<amount>${AMOUNT})$` }],
    change: [{ pattern: String.raw`^CHANGE\s+(?<amount>${AMOUNT})$` }],
    item: [{ pattern: String.raw`^(?<name>\S.*?)\s{2,}(?<qty>\d+(?:\.\d+)?)\s+(?<unit_price>${AMOUNT})\s+(?<amount>${AMOUNT})$` }],
    ignore: [{ pattern: String.raw`^-+$` }, { pattern: String.raw`^ITEM\s+QTY\s+PRICE\s+AMOUNT$` }, { pattern: String.raw`^\s*Thank you` }],
  },
  payment_methods: { CASH: 'cash', POS: 'card', TRANSFER: 'transfer' },
  tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true },
  date_order: 'DMY',
});

/** Items on two lines ("2 x 1,500.00" then name and amount), VAT added on top of the subtotal. */
const restaurant = TemplateSchema.parse({
  id: 'ng-restaurant',
  name: 'Restaurant bill, two lines per item (VAT on top)',
  currency: 'NGN',
  decimal: '.',
  start: String.raw`^Bill No\.`,
  not_sale: String.raw`^\*\* (KITCHEN|BAR) ORDER \*\*$`,
  fields: {
    receipt_no: [{ pattern: String.raw`^Bill No\. (?<receipt_no>\d+)\s+(?<date>\d{4}-\d{2}-\d{2}) (?<time>\d{2}:\d{2})$` }],
    subtotal: [{ pattern: String.raw`^Subtotal\s+(?<amount>${AMOUNT})$` }],
    tax: [{ pattern: String.raw`^VAT (?<rate>\d+(?:\.\d+)?)%\s+(?<amount>${AMOUNT})$` }],
    total: [{ pattern: String.raw`^Total\s+(?<amount>${AMOUNT})$` }],
    payment: [{ pattern: String.raw`^Paid by (?<method>Card|Cash|Transfer)\s+(?<amount>${AMOUNT})$` }],
    change: [{ pattern: String.raw`^Change\s+(?<amount>${AMOUNT})$` }],
    item: [{ pattern: String.raw`^(?<qty>\d+(?:\.\d+)?) x (?<unit_price>${AMOUNT})\n(?<name>\S.*?)\s{2,}(?<amount>${AMOUNT})$`, lines: 2 }],
    ignore: [{ pattern: String.raw`^-+$` }, { pattern: String.raw`^Table \d+` }],
  },
  payment_methods: { Card: 'card', Cash: 'cash', Transfer: 'transfer' },
  tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: false },
  date_order: 'YMD',
});

export const SAMPLE_TEMPLATES: readonly Template[] = [supermarket, restaurant];
