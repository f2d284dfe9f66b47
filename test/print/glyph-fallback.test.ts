// Yoruba, Igbo and Hausa names on the printer (issue 14): letters PC858 lacks print as their
// nearest letter it has, one for one, so columns stay aligned and the preview can show the same.
import { expect, it } from 'vitest';
import { baseLetter, printableText } from '../../main/print/escpos-render';
import { glyph } from '../../main/print/bitmap-font';

it('drops only the marks the code page cannot print', () => {
  expect(printableText('Ọlọ́jọ́ Ẹ̀kọ́ Ṣadé Ńkechi Ìbàdàn')).toBe('Olójó Èkó Sadé Nkechi Ìbàdàn');
  expect([...'ọ ẹ ṣ ń ǹ ị ụ'].map((c) => (c === ' ' ? c : baseLetter(c))).join('')).toBe('o e s n n i u');
  expect(baseLetter('ẹ̀')).toBe('è'); // e + dot below + grave: the grave survives
  expect(baseLetter('ɗ')).toBeUndefined(); // Hausa hooked d: no decomposition
  expect(printableText('Ɗanjuma')).toBe('?anjuma');
  expect(printableText('Ọ́').length).toBe(1);
});

it('the preview font draws such a letter as the printer prints it, not as a box', () => {
  const rows = (ch: string) => Array.from(glyph(ch)).join(',');
  const box = rows('日');
  for (const [marked, plain] of [
    ['ọ', 'o'],
    ['ẹ̀', 'e'],
    ['Ṣ', 'S'],
    ['ń', 'n'],
  ] as const)
    expect(rows(marked), marked).toBe(rows(plain));
  expect(rows('ɗ')).toBe(box);
});
