// Yoruba, Igbo and Hausa names on the printer (issue 14): letters PC858 lacks print as their
// nearest letter it has, one for one, so columns stay aligned and the preview can show the same.
import { expect, it } from 'vitest';
import { asPrinted, baseLetter, printableText } from '../../main/print/escpos-render';
import { renderPng } from '../../main/print/png-render';
import type { ReceiptLayout } from '../../shared/receipt/layout';
import { glyph } from '../../main/print/bitmap-font';

it('drops only the marks the code page cannot print', () => {
  expect(printableText('Ọlọ́jọ́ Ẹ̀kọ́ Ṣadé Ńkechi Ìbàdàn')).toBe('Olójó Èkó Sadé Nkechi Ìbàdàn');
  expect([...'ọ ẹ ṣ ń ǹ ị ụ'].map((c) => (c === ' ' ? c : baseLetter(c))).join('')).toBe('o e s n n i u');
  expect(baseLetter('ẹ̀')).toBe('è'); // e + dot below + grave: the grave survives
  expect(baseLetter('ɗ')).toBeUndefined(); // Hausa hooked d: no decomposition
  expect(printableText('Ɗanjuma')).toBe('?anjuma');
  expect(printableText('Ọ́').length).toBe(1);
});

it('the preview font draws the marked letters themselves (Unifont), and composes a letter with its marks', () => {
  const rows = (ch: string) => Array.from(glyph(ch));
  const box = rows('日').join(',');
  const dotBelow = (ch: string) =>
    rows(ch)
      .slice(14)
      .some((r) => r !== 0);
  for (const [marked, plain] of [
    ['ọ', 'o'],
    ['ẹ', 'e'],
    ['Ṣ', 'S'],
    ['ị', 'i'],
    ['ụ', 'u'],
  ] as const) {
    expect(rows(marked).join(','), marked).not.toBe(rows(plain).join(','));
    expect(dotBelow(marked), `${marked} has its dot below`).toBe(true);
    expect(dotBelow(plain), `${plain} has none`).toBe(false);
  }
  // Tones: a mark above the letter (rows the plain letter leaves blank).
  for (const [toned, plain] of [
    ['ń', 'n'],
    ['à', 'a'],
    ['ì', 'i'],
  ] as const) {
    const above = (ch: string) =>
      rows(ch)
        .slice(0, 5)
        .some((r) => r !== 0);
    expect(above(toned), toned).toBe(true);
    expect(rows(toned).join(','), toned).not.toBe(rows(plain).join(','));
    if (plain !== 'i') expect(above(plain), plain).toBe(false); // i has its own dot up there
  }
  // Typed as base + combining marks, a letter is drawn like its precomposed form.
  expect(rows('o\u0323').join(',')).toBe(rows('ọ').join(','));
  // ẹ̀ has no code point of its own: ẹ with the grave drawn over it.
  const eDotGrave = rows('ẹ̀');
  expect(eDotGrave.slice(5).join(',')).toBe(rows('ẹ').slice(5).join(','));
  expect(eDotGrave.slice(0, 5).some((r) => r !== 0)).toBe(true);
  // Hausa hooked letters are in the font too; a character no font here has stays a box.
  expect(rows('ɗ').join(',')).not.toBe(box);
  expect(rows('ɓ').join(',')).not.toBe(rows('b').join(','));
  expect(rows('日').join(',')).toBe(box);
});

it('the preview PNG draws the marks; the as-printed PNG is the printer text (ọ→o), same size', () => {
  const layout: ReceiptLayout = { width: 58, columns: 32, drawer: false, blocks: [{ kind: 'text', text: 'Ẹ̀wà Ọlọ́jọ́ Ṣadé' }] };
  const printed = asPrinted(layout);
  expect(printed.blocks[0]).toEqual({ kind: 'text', text: 'Èwà Olójó Sadé' });
  const plain: ReceiptLayout = { ...layout, blocks: [{ kind: 'text', text: 'Èwà Olójó Sadé' }] };
  expect(renderPng(printed).equals(renderPng(plain))).toBe(true);
  expect(renderPng(layout).equals(renderPng(plain))).toBe(false);
  expect(renderPng(layout).length).toBeGreaterThan(0);
});
