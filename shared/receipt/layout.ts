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
  | { kind: 'text'; text: string; bold?: boolean; large?: boolean }
  | { kind: 'rule' }
  | { kind: 'qr'; data: string }
  | { kind: 'feed' };

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

/** Word wrap to `cols`; a word longer than a line is cut. */
export function wrap(text: string, cols: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (let word of para.split(/\s+/).filter(Boolean)) {
      while ([...word].length > cols) {
        if (line) { out.push(line); line = ''; }
        const chars = [...word];
        out.push(chars.slice(0, cols).join(''));
        word = chars.slice(cols).join('');
      }
      if (!word) continue;
      if (!line) line = word;
      else if ([...line].length + 1 + [...word].length <= cols) line += ` ${word}`;
      else { out.push(line); line = word; }
    }
    if (line) out.push(line);
  }
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

export function layoutReceipt(r: Receipt, options: LayoutOptions): ReceiptLayout {
  const cols = COLUMNS[options.width];
  const blocks: ReceiptBlock[] = [];
  const text = (t: string, bold = false) => blocks.push({ kind: 'text', text: padEnd(t, cols), ...(bold ? { bold } : {}) });
  const lines = (ls: string[], bold = false) => ls.forEach((l) => text(l, bold));
  const centered = (t: string, bold = false) => wrap(t, cols).forEach((l) => text(center(l, cols), bold));
  const large = (t: string) => wrap(t, cols / 2).forEach((l) => blocks.push({ kind: 'text', text: center(l, cols / 2), bold: true, large: true }));
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
  if (r.clearance === 'cleared') centered(CLEARED_TEXT);
  else if (r.clearance === 'awaiting') large(AWAITING_CLEARANCE_TEXT);
  else if (r.report === 'reported') centered(REPORTED_TEXT);
  else if (len(PENDING_REPORT_TEXT) <= cols) centered(PENDING_REPORT_TEXT);
  else PENDING_REPORT_TEXT.replace(' — ', ' —\n').split('\n').forEach((l) => centered(l)); // break at the dash, not mid-phrase
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
