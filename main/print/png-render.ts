// Renders a receipt layout to a PNG (the virtual printer, the UI preview, the README sample):
// an 8×16 bitmap font, double size for large lines, and the QR drawn module by module.
import { PNG } from 'pngjs';
import type { ReceiptLayout } from '../../shared/receipt/layout';
import { glyph, GLYPH_HEIGHT, GLYPH_WIDTH } from './bitmap-font';
import { qrMatrix, QUIET_ZONE } from './qr-matrix';

const MARGIN = 16;
const MAX_QR_DOT = 4;

// One byte a pixel (0 black, 255 white), written directly: the receipt is black on white, so a
// grey PNG decodes to the same pixels as RGBA did, with a quarter of the bytes to filter and deflate.
class Canvas {
  readonly px: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.px = new Uint8Array(width * height).fill(0xff);
  }
  rect(x: number, y: number, w: number, h: number): void {
    const x0 = Math.max(0, x);
    const x1 = Math.min(this.width, x + w);
    if (x1 <= x0) return;
    for (let yy = Math.max(0, y), y1 = Math.min(this.height, y + h); yy < y1; yy++)
      this.px.fill(0, yy * this.width + x0, yy * this.width + x1);
  }
}

const GRAPHEMES = new Intl.Segmenter('en', { granularity: 'grapheme' });

// Glyph rows per character, decoded once (the font is a hex string).
const glyphs = new Map<string, ArrayLike<number>>();
function cachedGlyph(ch: string): ArrayLike<number> {
  let g = glyphs.get(ch);
  if (!g) glyphs.set(ch, (g = Uint8Array.from(glyph(ch))));
  return g;
}

function drawText(c: Canvas, text: string, x0: number, y0: number, scale: number, bold: boolean): void {
  let x = x0;
  // By grapheme, like the printer: a base letter with combining marks is one column.
  for (const { segment: ch } of GRAPHEMES.segment(text)) {
    const rows = cachedGlyph(ch);
    for (let r = 0; r < GLYPH_HEIGHT; r++) {
      const bits = rows[r] ?? 0;
      if (bits === 0) continue;
      for (let b = 0; b < GLYPH_WIDTH; b++) {
        if (!(bits & (0x80 >> b))) continue;
        // Double strike one dot right when bold.
        c.rect(x + b * scale, y0 + r * scale, bold ? scale + 1 : scale, scale);
      }
    }
    x += GLYPH_WIDTH * scale;
  }
}

export function renderPng(layout: ReceiptLayout): Buffer {
  const inner = layout.columns * GLYPH_WIDTH;
  const width = inner + 2 * MARGIN;
  const qrDot = (size: number) => Math.max(1, Math.min(MAX_QR_DOT, Math.floor(inner / (size + 2 * QUIET_ZONE))));
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
  const c = new Canvas(width, height);
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
      for (let r = 0; r < m.size; r++)
        for (let col = 0; col < m.size; col++) if (m.dark(r, col)) c.rect(x0 + col * dot, y0 + r * dot, dot, dot);
    }
    y += h;
  }
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, bitDepth: 8 });
  png.data = Buffer.from(c.px.buffer, c.px.byteOffset, c.px.length);
  // No per-row filter search and a fast deflate: bilevel rows compress well either way.
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, filterType: 0, deflateLevel: 6 });
}
