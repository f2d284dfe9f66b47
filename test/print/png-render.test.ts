// The PNG receipt is drawn straight into 1-bit PNG rows (png-render.ts): every pixel of a line is
// the font's glyph at its scale, bold strikes each dot again one dot right (into the next cell for
// the last column), and the file decodes with an ordinary PNG reader.
import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { renderPng } from '../../main/print/png-render';
import { glyph, GLYPH_HEIGHT, GLYPH_WIDTH } from '../../main/print/bitmap-font';
import type { ReceiptLayout } from '../../shared/receipt/layout';
import { qrMatrix, qrSize } from '../../main/print/qr-matrix';

const MARGIN = 16;

/** The expected black pixels of `text` drawn from (MARGIN, y0), as the printer lays it out. */
function expected(text: string, scale: number, bold: boolean, y0: number): Set<string> {
  const black = new Set<string>();
  [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)].forEach(({ segment }, i) => {
    const rows = glyph(segment);
    for (let r = 0; r < GLYPH_HEIGHT; r++)
      for (let b = 0; b < GLYPH_WIDTH; b++) {
        if (!((rows[r] ?? 0) & (0x80 >> b))) continue;
        for (let dy = 0; dy < scale; dy++)
          for (let dx = 0; dx < scale + (bold ? 1 : 0); dx++)
            black.add(`${MARGIN + i * GLYPH_WIDTH * scale + b * scale + dx},${y0 + r * scale + dy}`);
      }
  });
  return black;
}

describe('renderPng', () => {
  it('draws each line pixel for pixel from the font (plain, bold, double size, marked letters) in a 1-bit grey PNG', () => {
    const lines = [
      { kind: 'text', text: 'TOTAL NGN 1,234.50 ~|', bold: false, large: false },
      { kind: 'text', text: 'Bold WM#@', bold: true, large: false },
      { kind: 'text', text: 'BIG ₦ — …', bold: false, large: true },
      { kind: 'text', text: 'Ọ̀gẹ̀dẹ̀ ṣíṣè Ɓ', bold: true, large: true },
    ] as const;
    const layout: ReceiptLayout = { columns: 32, blocks: [...lines] } as ReceiptLayout;
    const file = renderPng(layout);
    expect(file[24]).toBe(1); // IHDR bit depth
    expect(file[25]).toBe(0); // grey
    const png = PNG.sync.read(file);
    expect(png.width).toBe(32 * GLYPH_WIDTH + 2 * MARGIN);
    let y = MARGIN;
    const black = new Set<string>();
    for (const l of lines) {
      const scale = l.large ? 2 : 1;
      for (const p of expected(l.text, scale, l.bold, y)) black.add(p);
      y += GLYPH_HEIGHT * scale;
    }
    expect(png.height).toBe(y + MARGIN);
    const wrong: string[] = [];
    for (let yy = 0; yy < png.height; yy++)
      for (let x = 0; x < png.width; x++) {
        const dark = png.data[(yy * png.width + x) * 4] === 0;
        if (dark !== black.has(`${x},${yy}`)) wrong.push(`${x},${yy}`);
      }
    expect(wrong).toEqual([]);
  });
});

describe('qrSize', () => {
  it("is the size of the symbol qrMatrix builds, at every version's capacity and one byte over", () => {
    const caps = [14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287, 331, 362, 412, 450, 504, 560, 624, 666];
    const lengths = [1, ...caps.flatMap((c) => [c, c + 1]), 1_000, 2_331];
    for (const n of lengths) {
      const data = 'A1b+/='.repeat(400).slice(0, n);
      expect(qrSize(data), `${n} bytes`).toBe(qrMatrix(data).size);
    }
    expect(qrSize('ọ'.repeat(7))).toBe(qrMatrix('ọ'.repeat(7)).size); // UTF-8 bytes, not characters
    expect(() => qrSize('x'.repeat(2_332))).toThrow(/2332 bytes do not fit/);
  });
});
