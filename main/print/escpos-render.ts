// Renders a receipt layout to ESC/POS bytes for Epson or Star command sets, using
// node-thermal-printer as the command builder. Where that library's bytes are wrong we write
// our own (checked against its source, v4.6.1):
//  - Star printQR omits the "ESC GS y D 1 m" data header and adds a stray LF: we send Star's
//    QR commands ourselves (ESC GS y S 0/1/2, ESC GS y D 1 0 nL nH data, ESC GS y P).
//  - Epson openCashDrawer sends "ESC p 0" and "ESC p 1" without their pulse times (t1, t2):
//    we send ESC p 0 25 250.
//  Epson printQR (GS ( k: model 2, cell size, correction M, store, print) is right: we use it.
import { BreakLine, CharacterSet, PrinterTypes, ThermalPrinter } from 'node-thermal-printer';
import iconv from 'iconv-lite';
import type { ReceiptLayout, PaperWidth } from '../../shared/receipt/layout';
import { qrBitmap, qrSize, QUIET_ZONE } from './qr-matrix';

export type CommandSet = 'epson' | 'star';
export type QrMode = 'native' | 'raster';

export interface EscposOptions {
  commands: CommandSet;
  qr: QrMode;
  cut: boolean;
  /** Pulse the cash drawer (only when the layout asks for it: an original cash sale). */
  drawer: boolean;
}

/** Printable dots across the roll (Font A is 12 dots wide: 32 and 48 columns). */
export const PRINTABLE_DOTS: Record<PaperWidth, number> = { 58: 384, 80: 576 };

const ESC = 0x1b;
const GS = 0x1d;

// 1:1 substitutes keep the columns aligned when a character is missing from code page 858.
const SUBSTITUTES: Record<string, string> = { '—': '-', '–': '-', '…': '.', '‘': "'", '’': "'", '“': '"', '”': '"', '₦': 'N' };

/**
 * Text the printer's code page (PC858) can print, one character for one. Only printable bytes
 * pass (0x20-0x7e, 0x80-0xff): a control character would be a command to the printer (ESC p
 * kicks the drawer, GS V cuts), so it becomes a space even if the layout missed it.
 */
export function printableText(text: string): string {
  let out = '';
  // By grapheme: a letter typed as base + combining marks is one printed column, like its
  // precomposed form.
  for (const { segment } of GRAPHEMES.segment(text)) {
    const nfc = segment.normalize('NFC');
    const ch = [...nfc].length === 1 ? nfc : segment;
    if ([...ch].length > 1) {
      out += baseLetter(ch) ?? '?';
      continue;
    }
    if (/^[\x20-\x7e]$/.test(ch)) {
      out += ch;
      continue;
    }
    if (/^[\x00-\x1f\x7f-\x9f]$/.test(ch)) {
      out += ' ';
      continue;
    }
    out += inCodePage(ch) ? ch : (SUBSTITUTES[ch] ?? baseLetter(ch) ?? '?');
  }
  return out;
}

const GRAPHEMES = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** The layout as the printer prints it: every text through printableText (ọ→o, ₦→N, ɗ→?). */
export function asPrinted(layout: ReceiptLayout): ReceiptLayout {
  return { ...layout, blocks: layout.blocks.map((b) => (b.kind === 'text' ? { ...b, text: printableText(b.text) } : b)) };
}

function inCodePage(ch: string): boolean {
  const encoded = iconv.encode(ch, 'CP858');
  return encoded.length === 1 && encoded[0]! >= 0x80;
}

/**
 * A letter with marks the code page lacks, printed as its nearest letter the code page has
 * (Yoruba ọ→o, ẹ̀→è, ṣ→s, ń→n; Hausa ɗ stays ?): the marks are dropped one by one from the
 * outside in, so a letter keeps whatever accent PC858 can print. One character for one.
 */
export function baseLetter(ch: string): string | undefined {
  const parts = [...ch.normalize('NFD')];
  if (parts.length > 8) return undefined; // not a letter with a few marks
  if (parts.length < 2) return undefined;
  // Fewer and fewer marks (each run of consecutive marks), until the code page has the letter.
  for (let marks = parts.length - 2; marks >= 0; marks--) {
    for (let start = 1; start + marks <= parts.length; start++) {
      const candidate = [parts[0]!, ...parts.slice(start, start + marks)].join('').normalize('NFC');
      if ([...candidate].length !== 1) continue;
      if (/^[\x20-\x7e]$/.test(candidate) || inCodePage(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Module size in dots for a symbol to fit the roll with its quiet zone (1..8). */
export function qrCellSize(data: string, width: PaperWidth): number {
  const size = qrSize(data);
  return Math.max(1, Math.min(8, Math.floor(PRINTABLE_DOTS[width] / (size + 2 * QUIET_ZONE))));
}

export function starQr(data: string, cell: number): Buffer {
  const bytes = Buffer.from(data, 'latin1');
  return Buffer.concat([
    Buffer.from([ESC, GS, 0x79, 0x53, 0x30, 0x02]), // model 2
    Buffer.from([ESC, GS, 0x79, 0x53, 0x31, 0x01]), // correction M
    Buffer.from([ESC, GS, 0x79, 0x53, 0x32, cell]), // cell size
    Buffer.from([ESC, GS, 0x79, 0x44, 0x31, 0x00, bytes.length & 0xff, bytes.length >> 8]), // store (auto analysis)
    bytes,
    Buffer.from([ESC, GS, 0x79, 0x50]), // print
  ]);
}

/** The QR as a raster image: Epson GS v 0, Star ESC GS S (single tone). */
export function rasterQr(data: string, dot: number, commands: CommandSet): Buffer {
  const img = qrBitmap(data, dot);
  const x = img.bytesPerRow;
  const y = img.height;
  const header =
    commands === 'epson'
      ? [GS, 0x76, 0x30, 0x00, x & 0xff, x >> 8, y & 0xff, y >> 8]
      : [ESC, GS, 0x53, 0x01, x & 0xff, x >> 8, y & 0xff, y >> 8, 0x00];
  return Buffer.concat([Buffer.from(header), img.bits]);
}

export function renderEscpos(layout: ReceiptLayout, options: EscposOptions): Buffer {
  const p = new ThermalPrinter({
    type: options.commands === 'star' ? PrinterTypes.STAR : PrinterTypes.EPSON,
    interface: '', // bytes only: transports are ours (status replies, leases, timeouts)
    width: layout.columns,
    breakLine: BreakLine.NONE, // the layout already wrapped every line
  });
  p.append(Buffer.from([ESC, 0x40])); // ESC @: both command sets
  p.setCharacterSet(CharacterSet.PC858_EURO); // after ESC @, which resets the code page
  for (const b of layout.blocks) {
    switch (b.kind) {
      case 'text':
        if (b.bold) p.bold(true);
        if (b.large) p.setTextQuadArea();
        p.println(printableText(b.text).trimEnd());
        if (b.large) p.setTextNormal();
        if (b.bold) p.bold(false);
        break;
      case 'rule':
        p.drawLine('-');
        break;
      case 'qr': {
        const cell = qrCellSize(b.data, layout.width);
        p.alignCenter();
        if (options.qr === 'raster') p.append(rasterQr(b.data, cell, options.commands));
        else if (options.commands === 'star') p.append(starQr(b.data, cell));
        else p.printQR(b.data, { model: 2, cellSize: cell, correction: 'M' });
        p.newLine();
        p.alignLeft();
        break;
      }
      case 'feed':
        p.newLine();
        break;
    }
  }
  if (options.drawer && layout.drawer) {
    if (options.commands === 'star')
      p.openCashDrawer(); // ESC BEL n1 n2 BEL: correct in the library
    else p.append(Buffer.from([ESC, 0x70, 0x00, 0x19, 0xfa])); // pin 2, 50 ms on, 500 ms off
  }
  if (options.cut) p.cut();
  return Buffer.from(p.getBuffer());
}
