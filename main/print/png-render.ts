// Renders a receipt layout to a PNG (the virtual printer, the UI preview, the README sample):
// an 8×16 bitmap font, double size for large lines, and the QR drawn module by module.
//
// The receipt is black on white, so it is drawn straight into the rows of a 1-bit grey PNG
// (eight pixels a byte, each row led by its filter byte) and deflated once: an eighth of the
// bytes of a one-byte-a-pixel image to fill and compress, and glyph rows are whole bytes
// (the margin and every glyph cell start on a byte). Measured (issue 15): 11–14 ms of CPU a
// render with pngjs on 8-bit grey, most of it the QR's segment search and the per-pixel fills.
import { crc32, deflateSync } from 'node:zlib';
import type { ReceiptLayout } from '../../shared/receipt/layout';
import { glyph, GLYPH_HEIGHT, GLYPH_WIDTH } from './bitmap-font';
import { qrMatrix, QUIET_ZONE } from './qr-matrix';

const MARGIN = 16; // a multiple of 8: text starts on a byte
const MAX_QR_DOT = 4;

/** Rows of a 1-bit grey image as PNG scanlines (filter byte 0, then the packed pixels; 1 is white). */
class BitCanvas {
  readonly stride: number;
  readonly rows: Buffer;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.stride = Math.ceil(width / 8) + 1;
    this.rows = Buffer.alloc(this.stride * height, 0xff);
    for (let y = 0; y < height; y++) this.rows[y * this.stride] = 0; // filter: none
  }

  /** Blackens `w` × `h` pixels from (x, y), clipped to the image. */
  rect(x: number, y: number, w: number, h: number): void {
    const x0 = Math.max(0, x);
    const x1 = Math.min(this.width, x + w);
    if (x1 <= x0) return;
    for (let yy = Math.max(0, y), y1 = Math.min(this.height, y + h); yy < y1; yy++) {
      const row = yy * this.stride + 1;
      for (let xx = x0; xx < x1;) {
        const bit = xx & 7;
        const n = Math.min(8 - bit, x1 - xx);
        this.rows[row + (xx >> 3)]! &= ~(((0xff << (8 - n)) & 0xff) >> bit);
        xx += n;
      }
    }
  }

  /** Blackens the set bits of `bits` (up to 24, most significant leftmost) at byte `byte` of row y. */
  ink(y: number, byte: number, bits: number): void {
    if (y < 0 || y >= this.height) return;
    const row = y * this.stride + 1;
    const bytes = this.stride - 1;
    for (let k = 0; k < 3 && byte + k < bytes; k++, bits <<= 8) {
      const b = (bits >> 16) & 0xff;
      if (b) this.rows[row + byte + k]! &= ~b;
    }
  }

  png(): Buffer {
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(this.width, 0);
    ihdr.writeUInt32BE(this.height, 4);
    ihdr[8] = 1; // bit depth
    ihdr[9] = 0; // grey
    // Level 1: bilevel rows of long runs compress about as well as at level 6, in a fraction of the time.
    const idat = deflateSync(this.rows, { level: 1 });
    return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
  }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, body: Buffer): Buffer {
  const out = Buffer.alloc(12 + body.length);
  out.writeUInt32BE(body.length, 0);
  out.write(type, 4, 'latin1');
  body.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + body.length)), 8 + body.length);
  return out;
}

const GRAPHEMES = new Intl.Segmenter('en', { granularity: 'grapheme' });
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * A glyph's 16 rows ready to ink, per style: each row as up to 24 bits from the cell's left edge
 * (double size doubles every dot; bold strikes each dot again one dot right, which may reach into
 * the next cell, as the printer's double strike does). Decoded from the font once per process.
 */
const styled = new Map<string, Uint32Array>();
function styledGlyph(ch: string, scale: 1 | 2, bold: boolean): Uint32Array {
  const key = `${scale}${bold ? 'b' : 'r'}${ch}`;
  let rows = styled.get(key);
  if (rows) return rows;
  const g = glyph(ch);
  rows = new Uint32Array(GLYPH_HEIGHT);
  for (let r = 0; r < GLYPH_HEIGHT; r++) {
    const bits = g[r] ?? 0;
    let wide = 0; // the row's dots at this scale, in the top 8 × scale of 24 bits
    for (let b = 0; b < GLYPH_WIDTH; b++) if (bits & (0x80 >> b)) for (let s = 0; s < scale; s++) wide |= 1 << (23 - (b * scale + s));
    rows[r] = bold ? wide | (wide >> 1) : wide;
  }
  styled.set(key, rows);
  return rows;
}

function drawText(c: BitCanvas, text: string, x0: number, y0: number, scale: 1 | 2, bold: boolean): void {
  let byte = x0 >> 3;
  // By grapheme, like the printer: a base letter with combining marks is one column (plain ASCII,
  // nearly every line, is one column a character without segmenting).
  const chars = PRINTABLE_ASCII.test(text) ? text : Array.from(GRAPHEMES.segment(text), (s) => s.segment);
  for (const ch of chars) {
    const rows = styledGlyph(ch, scale, bold);
    for (let r = 0; r < GLYPH_HEIGHT; r++) {
      const bits = rows[r]!;
      if (bits === 0) continue;
      for (let s = 0; s < scale; s++) c.ink(y0 + r * scale + s, byte, bits);
    }
    byte += scale; // GLYPH_WIDTH × scale pixels
  }
}

export function renderPng(layout: ReceiptLayout): Buffer {
  const inner = layout.columns * GLYPH_WIDTH;
  const width = inner + 2 * MARGIN;
  const qrDot = (size: number) => Math.max(1, Math.min(MAX_QR_DOT, Math.floor(inner / (size + 2 * QUIET_ZONE))));
  // The QR's matrix once per symbol: its size sets the height, then it is drawn.
  const matrices = new Map<string, ReturnType<typeof qrMatrix>>();
  const heightOf = (b: ReceiptLayout['blocks'][number]): number => {
    if (b.kind === 'text') return b.large ? GLYPH_HEIGHT * 2 : GLYPH_HEIGHT;
    if (b.kind === 'qr') {
      const m = matrices.get(b.data) ?? qrMatrix(b.data);
      matrices.set(b.data, m);
      return (m.size + 2 * QUIET_ZONE) * qrDot(m.size);
    }
    return GLYPH_HEIGHT;
  };
  const height = layout.blocks.reduce((h, b) => h + heightOf(b), 2 * MARGIN);
  const c = new BitCanvas(width, height);
  let y = MARGIN;
  for (const b of layout.blocks) {
    const h = heightOf(b);
    if (b.kind === 'text') drawText(c, b.text, MARGIN, y, b.large ? 2 : 1, b.bold === true);
    else if (b.kind === 'rule') for (let x = MARGIN; x < MARGIN + inner; x += 4) c.rect(x, y + GLYPH_HEIGHT / 2, 2, 1);
    else if (b.kind === 'qr') {
      const m = matrices.get(b.data)!;
      const dot = qrDot(m.size);
      const x0 = MARGIN + Math.floor((inner - (m.size + 2 * QUIET_ZONE) * dot) / 2) + QUIET_ZONE * dot;
      const y0 = y + QUIET_ZONE * dot;
      // Dark modules in runs along each row: one fill per run rather than per module.
      for (let r = 0; r < m.size; r++)
        for (let col = 0; col < m.size;) {
          if (!m.dark(r, col)) {
            col++;
            continue;
          }
          let end = col + 1;
          while (end < m.size && m.dark(r, end)) end++;
          c.rect(x0 + col * dot, y0 + r * dot, (end - col) * dot, dot);
          col = end;
        }
    }
    y += h;
  }
  return c.png();
}
