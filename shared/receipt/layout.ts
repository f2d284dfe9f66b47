// Arranges a Receipt into fixed-width lines for a 58 mm (32 columns) or 80 mm (48 columns) roll:
// names wrap, amounts right-align. The same blocks feed the ESC/POS, PNG and text renderers, so a
// preview is what prints.
import type { Receipt } from './receipt';
import type { Kobo } from '../domain/money';
import { formatKobo } from '../domain/money';

export type PaperWidth = 58 | 80;
export const COLUMNS: Record<PaperWidth, number> = { 58: 32, 80: 48 };

export type ReceiptBlock =
  /** One printed line, already padded to the layout's columns (or half of them when large). */
  { kind: 'text'; text: string; bold?: boolean; large?: boolean } | { kind: 'rule' } | { kind: 'qr'; data: string } | { kind: 'feed' };

export interface ReceiptLayout {
  width: PaperWidth;
  columns: number;
  blocks: ReceiptBlock[];
  /** Open the cash drawer after printing (an original cash sale; never on a copy). */
  drawer: boolean;
}

export interface LayoutOptions {
  width: PaperWidth;
  /** Print "₦" (the output can show it) or the code "NGN". */
  nairaSymbol: boolean;
}

export const PENDING_REPORT_TEXT = 'Pending report — reported within 24 h';
export const REPORTED_TEXT = 'Reported';
/** Demo store: nothing is sent to FIRS/NRS, so no report is promised. */
export const DEMO_TEXT = 'DEMO — not reported';
/** B2B/B2G: signed by the platform, final for the buyer. */
export const CLEARED_TEXT = 'Cleared by FIRS/NRS';
/** B2B/B2G issued but not yet signed (offline, or moments after issue): printed on the buyer's copy. */
export const AWAITING_CLEARANCE_TEXT = 'Awaiting clearance';
export const COPY_TEXT = '*** COPY ***';

/** "17,500.00"; negative with a leading minus. */
export function groupAmount(kobo: Kobo): string {
  const [major, minor] = formatKobo(Math.abs(kobo)).split('.') as [string, string];
  return `${kobo < 0 ? '-' : ''}${major.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${minor}`;
}

/**
 * Characters that must never reach a printer or a rendered line from free text: C0 controls
 * (ESC, GS, DLE, FS, NUL, CR, LF, …), DEL, C1 controls, Unicode line/paragraph separators,
 * bidi overrides/isolates and zero-width characters (they hide or reorder what is printed).
 * ESC/POS takes any of the C0 bytes as a command: an item named "Bread\x1bp\x00\x19\xfa" would
 * pulse the cash drawer, and an LF inside a name would forge a receipt line.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]+/g;

/** Longest text printed for one field, in characters: the rest is cut with "…" (paper is not free). */
export const FIELD_LIMITS = { name: 200, address: 400, note: 1000, other: 200 } as const;

/**
 * One free-text field made safe to print: controls become one space (never a new line), runs of
 * spaces collapse, and the field is cut to `max` characters. Linear in the input, and the input
 * itself is cut first, so a megabyte-long street costs no more than a short one.
 */
export function cleanField(text: string, max: number = FIELD_LIMITS.other): string {
  // Enough raw characters for `max` printable ones even if some are dropped; the rest cannot show.
  const head = text.length > max * 4 + 16 ? text.slice(0, max * 4 + 16) : text;
  const chars = [...head.replace(UNPRINTABLE, ' ').replace(/\s+/g, ' ').trim()];
  return chars.length > max
    ? `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`
    : chars.join('');
}

/**
 * Word wrap to `cols` in one pass (linear in the text); a word longer than a line is cut. Any
 * whitespace (a new line included) separates words: it never starts a line of its own.
 */
export function wrap(text: string, cols: number): string[] {
  const out: string[] = [];
  let line: string[] = [];
  let word: string[] = [];
  const flushWord = () => {
    if (word.length === 0) return;
    if (line.length > 0 && line.length + 1 + word.length <= cols) line.push(' ', ...word);
    else {
      if (line.length > 0) out.push(line.join(''));
      line = word; // at most `cols` characters: longer words were cut as they grew
    }
    word = [];
  };
  for (const ch of text) {
    if (/\s/.test(ch)) {
      flushWord();
      continue;
    }
    word.push(ch);
    if (word.length === cols) {
      // A full line's worth of one word: it goes on its own line(s), cut at the column.
      if (line.length > 0) out.push(line.join(''));
      out.push(word.join(''));
      line = [];
      word = [];
    }
  }
  flushWord();
  if (line.length > 0) out.push(line.join(''));
  return out.length ? out : [''];
}

const len = (s: string) => [...s].length;
const padEnd = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - len(s)));

function center(s: string, cols: number): string {
  const left = Math.floor((cols - len(s)) / 2);
  return padEnd(' '.repeat(Math.max(0, left)) + s, cols);
}

/** Label left, amount right; a label too long for the line wraps above the amount. */
function leftRight(left: string, right: string, cols: number): string[] {
  if (len(left) + 1 + len(right) <= cols) return [left + ' '.repeat(cols - len(left) - len(right)) + right];
  const wrapped = wrap(left, cols);
  const last = wrapped[wrapped.length - 1]!;
  if (len(last) + 1 + len(right) <= cols) {
    return [...wrapped.slice(0, -1).map((l) => padEnd(l, cols)), last + ' '.repeat(cols - len(last) - len(right)) + right];
  }
  return [...wrapped.map((l) => padEnd(l, cols)), ' '.repeat(Math.max(0, cols - len(right))) + right];
}

/** The receipt with every free-text field cleaned and bounded (see cleanField). */
export function cleanReceipt(r: Receipt): Receipt {
  const f = (t: string, max: number = FIELD_LIMITS.other) => cleanField(t, max);
  const n = (t: string | null, max: number = FIELD_LIMITS.other) => (t === null ? null : f(t, max) || null);
  return {
    ...r,
    seller: {
      name: f(r.seller.name, FIELD_LIMITS.name),
      tin: f(r.seller.tin),
      address: n(r.seller.address, FIELD_LIMITS.address),
      phone: n(r.seller.phone),
      email: f(r.seller.email),
    },
    terminal: f(r.terminal),
    invoiceNumber: f(r.invoiceNumber),
    irn: f(r.irn),
    creditNote: r.creditNote ? { originalIrn: f(r.creditNote.originalIrn) } : null,
    lines: r.lines.map((l) => ({ ...l, name: f(l.name, FIELD_LIMITS.name), quantity: f(l.quantity, 40) })),
    charges: r.charges.map((c) => ({ ...c, name: f(c.name, FIELD_LIMITS.name) })),
    taxes: r.taxes.map((t) => ({ ...t, label: f(t.label) })),
    payments: r.payments.map((p) => ({ ...p, label: f(p.label) })),
    currency: f(r.currency, 8),
    buyer: r.buyer
      ? {
          name: f(r.buyer.name, FIELD_LIMITS.name),
          tin: f(r.buyer.tin),
          address: n(r.buyer.address, FIELD_LIMITS.address),
          email: n(r.buyer.email),
          phone: n(r.buyer.phone),
        }
      : null,
    note: n(r.note, FIELD_LIMITS.note),
    cashier: n(r.cashier ?? null, FIELD_LIMITS.name),
  };
}

export function layoutReceipt(receipt: Receipt, options: LayoutOptions): ReceiptLayout {
  // Every free text is cleaned here, once, so ESC/POS, PNG and text all print the same safe lines.
  const r = cleanReceipt(receipt);
  const cols = COLUMNS[options.width];
  const blocks: ReceiptBlock[] = [];
  const text = (t: string, bold = false) => blocks.push({ kind: 'text', text: padEnd(t, cols), ...(bold ? { bold } : {}) });
  const lines = (ls: string[], bold = false) => ls.forEach((l) => text(l, bold));
  const centered = (t: string, bold = false) => wrap(t, cols).forEach((l) => text(center(l, cols), bold));
  const large = (t: string) =>
    wrap(t, cols / 2).forEach((l) => blocks.push({ kind: 'text', text: center(l, cols / 2), bold: true, large: true }));
  const field = (label: string, value: string) => lines(leftRight(label, value, cols));
  const rule = () => blocks.push({ kind: 'rule' });
  const money = (k: Kobo) => groupAmount(k);
  const currency = r.currency === 'NGN' && options.nairaSymbol ? '₦' : `${r.currency} `;

  // Seller
  centered(r.seller.name, true);
  centered(`TIN ${r.seller.tin}`);
  if (r.seller.address) centered(r.seller.address);
  if (r.seller.phone) centered(r.seller.phone);
  rule();
  if (r.copy) large(COPY_TEXT);
  if (r.creditNote) large('CREDIT NOTE');
  else centered('FISCAL RECEIPT', true);
  field('Terminal', r.terminal);
  field('Invoice', r.invoiceNumber);
  lines(leftRight('IRN', r.irn, cols));
  field('Date', `${r.date} ${r.time} WAT`);
  if (r.cashier) field('Cashier', r.cashier);
  if (r.creditNote) {
    text('Credits invoice IRN:');
    lines(wrap(r.creditNote.originalIrn, cols));
  }
  rule();

  // Lines: name (wrapped), then "qty x price" and the amount; a discount on its own line.
  for (const l of r.lines) {
    lines(wrap(l.name, cols));
    lines(leftRight(`  ${l.quantity} x ${money(l.unitPrice)}`, money(l.extended), cols));
    if (l.discount > 0) lines(leftRight('  Discount', money(-l.discount), cols));
  }
  for (const c of r.charges) lines(leftRight(c.name, money(c.amount), cols));
  // Several discounted lines (a sale discount is spread over them): what came off in all.
  const discounted = r.lines.filter((l) => l.discount > 0);
  if (discounted.length > 1) lines(leftRight('Discounts', money(-discounted.reduce((a, l) => a + l.discount, 0)), cols));
  rule();

  // Totals and VAT per category
  field('Net (excl. VAT)', money(r.net));
  for (const t of r.taxes) {
    lines(leftRight(`${t.label} on ${money(t.taxable)}`, money(t.tax), cols));
  }
  lines(leftRight(r.creditNote ? 'TOTAL CREDIT' : 'TOTAL', `${currency}${money(r.total)}`, cols), true);
  if (r.tip > 0) field('Tip', money(r.tip));
  for (const p of r.payments) field(r.creditNote ? `Refund ${p.label.toLowerCase()}` : p.label, money(p.amount));
  if (r.change > 0 || (r.cashPaid && !r.creditNote)) field('Change', money(r.change));

  // Buyer (B2B)
  if (r.buyer) {
    rule();
    text('Buyer', true);
    lines(wrap(r.buyer.name, cols));
    field('TIN', r.buyer.tin);
    if (r.buyer.address) lines(wrap(r.buyer.address, cols));
    if (r.buyer.email) lines(wrap(r.buyer.email, cols));
    if (r.buyer.phone) lines(wrap(r.buyer.phone, cols));
  }
  if (r.note) {
    rule();
    lines(wrap(r.note, cols));
  }
  rule();

  // Fiscal stamp
  blocks.push({ kind: 'qr', data: r.qr });
  if (r.demo) centered(DEMO_TEXT);
  else if (r.clearance === 'cleared') centered(CLEARED_TEXT);
  else if (r.clearance === 'awaiting') large(AWAITING_CLEARANCE_TEXT);
  else if (r.report === 'reported') centered(REPORTED_TEXT);
  else if (len(PENDING_REPORT_TEXT) <= cols) centered(PENDING_REPORT_TEXT);
  else
    PENDING_REPORT_TEXT.replace(' — ', ' —\n')
      .split('\n')
      .forEach((l) => centered(l)); // break at the dash, not mid-phrase
  centered(`Chain #${r.chain.counter} ${r.chain.fragment}`);
  if (r.copy) large(COPY_TEXT);
  blocks.push({ kind: 'feed' });

  return { width: options.width, columns: cols, blocks, drawer: r.cashPaid && !r.copy };
}

/** Plain text (previews, golden files, support): the QR is shown as a placeholder line. */
export function layoutToText(layout: ReceiptLayout): string {
  const cols = layout.columns;
  const out: string[] = [];
  for (const b of layout.blocks) {
    if (b.kind === 'text') {
      // Large text prints double width: spread it so the text file keeps the printed geometry.
      out.push((b.large ? [...b.text].map((c) => `${c} `).join('') : b.text).trimEnd());
    } else if (b.kind === 'rule') out.push('-'.repeat(cols));
    else if (b.kind === 'qr') out.push(center(`[QR: ${b.data.length} characters]`, cols).trimEnd());
    else out.push('');
  }
  return `${out.join('\n')}\n`;
}
