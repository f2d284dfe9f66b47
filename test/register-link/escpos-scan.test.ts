// The ESC/POS scanner, command by command, with byte sequences as the Epson ESC/POS command
// reference defines them: each command is consumed whole (its parameters and data never leak
// into the text), every truncation of it is reported as incomplete (a stream reader waits for the
// rest) or dropped at the end of a job, and implausible parameters are taken as noise so they
// cannot swallow the receipt that follows. The real captures are in real-print.test.ts.
import { describe, expect, it } from 'vitest';
import { printsSomething, scanEscPos, stripToText, type Token } from '../../shared/sources/register-link/escpos';
import { decode } from '../../main/sources/register-link/decode';

const ESC = 0x1b,
  GS = 0x1d,
  FS = 0x1c,
  DLE = 0x10;
const A = 0x41,
  B = 0x42;
const bytes = (...parts: (number | number[] | string)[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'number' ? [p] : typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));
const zeros = (n: number) => new Array<number>(n).fill(0x55);
const kinds = (tokens: Token[]) => tokens.map((t) => `${t.kind}:${t.start}-${t.end}`);

/** name → the full command as sent (parameters and data included). */
const WHOLE: [string, number[]][] = [
  ['DLE EOT n (real-time status)', [DLE, 0x04, 1]],
  ['DLE ENQ n', [DLE, 0x05, 2]],
  ['DLE DC4 fn m t (drawer pulse)', [DLE, 0x14, 1, 0, 1]],
  ['ESC ! n (print mode)', [ESC, 0x21, 0x30]],
  ['ESC D n1…nk NUL (tab stops)', [ESC, 0x44, 8, 16, 24, 0]],
  ['ESC * m nL nH (8-dot bit image, 3 columns)', [ESC, 0x2a, 0, 3, 0, ...zeros(3)]],
  ['ESC * 33 nL nH (24-dot bit image, 2 columns)', [ESC, 0x2a, 33, 2, 0, ...zeros(6)]],
  ['ESC & y c1 c2 x d… (two user-defined characters)', [ESC, 0x26, 3, 0x41, 0x42, 2, ...zeros(6), 1, ...zeros(3)]],
  ['ESC ( A pL pH (beeper)', [ESC, 0x28, 0x41, 3, 0, 0x61, 1, 2]],
  ['ESC W (print area, 8 parameters)', [ESC, 0x57, 0, 0, 0, 0, 0x80, 1, 0x40, 2]],
  ['GS ! n (character size)', [GS, 0x21, 0x11]],
  ['GS k m=4 data NUL (CODE39)', [GS, 0x6b, 4, ...Buffer.from('TP-42'), 0]],
  ['GS k m=73 n data (CODE128)', [GS, 0x6b, 73, 4, 0x7b, 0x42, 0x31, 0x32]],
  ['GS ( k pL pH (QR: store data)', [GS, 0x28, 0x6b, 6, 0, 0x31, 0x50, 0x30, ...Buffer.from('IRN')]],
  ['GS ( L pL pH (graphics, large)', [GS, 0x28, 0x4c, 0x00, 0x01, ...zeros(0x100)]],
  ['GS 8 L p1 p2 p3 p4 (large graphics)', [GS, 0x38, 0x4c, 4, 0, 0, 0, 0x30, 0x32, 0x30, 0x30]],
  ['GS v 0 m xL xH yL yH (raster image 2×3)', [GS, 0x76, 0x30, 0, 2, 0, 3, 0, ...zeros(6)]],
  ['GS * x y (downloaded image 1×1)', [GS, 0x2a, 1, 1, ...zeros(8)]],
  ['GS D (best effort: 2 parameters)', [GS, 0x44, 0x30, 0x43]],
  ['GS Q 0 (best effort)', [GS, 0x51, 0x30, 0]],
  ['GS C (counter, best effort)', [GS, 0x43, 0x30, 1]],
  ['FS ( A pL pH (Kanji settings)', [FS, 0x28, 0x41, 2, 0, 0x30, 0x31]],
  ['FS g 1 (best effort)', [FS, 0x67, 0x31, 0]],
  ['FS q n (NV images: one of 1×1)', [FS, 0x71, 1, 1, 0, 1, 0, ...zeros(8)]],
  ['FS & (Kanji mode on)', [FS, 0x26]],
  ['FS 2 c1 c2 d1…d72 (user Kanji)', [FS, 0x32, 0x77, 0x21, ...zeros(72)]],
];

describe('scanEscPos: whole commands are consumed, truncated ones wait', () => {
  it.each(WHOLE)('%s', (_name, cmd) => {
    const whole = scanEscPos(bytes(A, cmd, B));
    expect(kinds(whole.tokens)).toEqual(['text:0-1', `command:1-${1 + cmd.length}`, `text:${1 + cmd.length}-${2 + cmd.length}`]);
    expect(whole.incomplete).toBe(false);
    // Every cut-short prefix (the rest still on the wire) waits at the command; at the end of a
    // job (final) it is dropped and the text before it kept.
    for (let k = 1; k < cmd.length; k++) {
      const part = bytes(A, cmd.slice(0, k));
      expect(scanEscPos(part), `${k} of ${cmd.length} bytes`).toEqual({
        tokens: [{ kind: 'text', start: 0, end: 1, codepage: 0 }],
        end: 1,
        incomplete: true,
      });
      expect(scanEscPos(part, { final: true })).toEqual({
        tokens: [{ kind: 'text', start: 0, end: 1, codepage: 0 }],
        end: part.length,
        incomplete: false,
      });
    }
  });

  it('a lone DLE, an unknown ESC letter and an unknown GS letter are short commands, not text', () => {
    expect(kinds(scanEscPos(bytes(DLE, 0x41, 0x42)).tokens)).toEqual(['command:0-1', 'text:1-3']);
    expect(kinds(scanEscPos(bytes(ESC, 0x7f, B)).tokens)).toEqual(['command:0-2', 'text:2-3']);
    expect(kinds(scanEscPos(bytes(GS, 0x7f, B)).tokens)).toEqual(['command:0-2', 'text:2-3']);
  });
});

describe('scanEscPos: implausible parameters are noise, so the receipt after them survives', () => {
  const noise: [string, number[], number][] = [
    ['ESC * with mode 7 (no such bit-image mode)', [ESC, 0x2a, 7, 0xff, 0xff], 2],
    ['ESC * wider than any paper (nH 4)', [ESC, 0x2a, 0, 0, 4], 2],
    ['ESC & with 9-dot rows (y 9)', [ESC, 0x26, 9, 0x41, 0x42], 2],
    ['ESC & with a range that runs backwards', [ESC, 0x26, 3, 0x42, 0x41], 2],
    ['ESC ( with an unknown function', [ESC, 0x28, 0x5a, 0xff, 0xff], 2],
    ['GS k m=4 with no NUL within a barcode length', [GS, 0x6b, 4, ...zeros(300)], 3],
    ['GS k with m=20 (no such symbology)', [GS, 0x6b, 20, 0x41], 3],
    ['GS ( with an unknown function', [GS, 0x28, 0x5a, 0xff, 0xff], 2],
    ['GS ( k larger than any QR command', [GS, 0x28, 0x6b, 0, 0x20], 2],
    ['GS 8 without L', [GS, 0x38, 0x4d, 0, 0, 0, 0], 2],
    ['GS 8 L of more than 1 MB', [GS, 0x38, 0x4c, 0, 0, 0x10, 0], 2],
    ['GS v with 0x31 instead of 0', [GS, 0x76, 0x31, 0, 1, 0, 1, 0], 2],
    ['GS v 0 with mode 9', [GS, 0x76, 0x30, 9, 1, 0, 1, 0], 2],
    ['GS v 0 wider than any paper', [GS, 0x76, 0x30, 0, 0, 1, 1, 0], 2],
  ];
  it.each(noise)('%s', (_name, cmd, len) => {
    const r = scanEscPos(bytes(cmd, '\nTOTAL 100.00\n'), { final: true });
    expect(r.tokens[0]).toEqual({ kind: 'command', start: 0, end: len });
    // the receipt line after the noise is still read as text
    expect(stripToText(bytes(cmd, '\nTOTAL 100.00\n'), decode)).toMatch(/TOTAL 100\.00$/);
  });
});

describe('scanEscPos: cuts, code pages, feeds and controls', () => {
  it('GS V m and GS V m n, ESC i and ESC m are cuts; untilCut stops after the first', () => {
    const job = bytes('A', GS, 0x56, 0x31, 'B', GS, 0x56, 0x41, 3, 'C', ESC, 0x69, 'D', ESC, 0x6d, 'E');
    expect(kinds(scanEscPos(job).tokens)).toEqual([
      'text:0-1',
      'cut:1-4',
      'text:4-5',
      'cut:5-9',
      'text:9-10',
      'cut:10-12',
      'text:12-13',
      'cut:13-15',
      'text:15-16',
    ]);
    const first = scanEscPos(job, { untilCut: true });
    expect([kinds(first.tokens), first.end, first.incomplete]).toEqual([['text:0-1', 'cut:1-4'], 4, false]);
    expect(kinds(scanEscPos(job, { untilCut: true, from: 4 }).tokens)).toEqual(['text:4-5', 'cut:5-9']);
  });

  it('ESC t selects the code page of the text after it; ESC @ resets it; initialCodepage applies before', () => {
    const r = scanEscPos(bytes('a', ESC, 0x74, 19, 'b', ESC, 0x40, 'c'), { initialCodepage: 16 });
    expect(r.tokens).toEqual([
      { kind: 'text', start: 0, end: 1, codepage: 16 },
      { kind: 'codepage', start: 1, end: 4, codepage: 19 },
      { kind: 'text', start: 4, end: 5, codepage: 19 },
      { kind: 'codepage', start: 5, end: 7, codepage: 0 },
      { kind: 'text', start: 7, end: 8, codepage: 0 },
    ]);
  });

  it('ESC d n (print and feed n lines) ends a line; ESC d 0 does not; CR, NUL and FF', () => {
    expect(stripToText(bytes('one', ESC, 0x64, 2, 'two', ESC, 0x64, 0, 'more\r\nthree', 0, '\x0cfour'), decode)).toBe(
      'one\ntwomore\nthree\nfour',
    );
  });

  it('printsSomething: spaces and tabs print nothing; a letter does', () => {
    const blank = bytes('  \t ', GS, 0x56, 0x30);
    expect(printsSomething(blank, scanEscPos(blank).tokens)).toBe(false);
    const text = bytes(' x');
    expect(printsSomething(text, scanEscPos(text).tokens)).toBe(true);
  });
});

describe('stripToText', () => {
  it('decodes each run in its ESC t code page; unknown numbers fall back to CP437; tabs become spaces', () => {
    // 0x81 is ü in CP437 (and CP858), 0xFC in windows-1252 (ESC t 16).
    expect(stripToText(bytes('f', 0x81, 'r\t', ESC, 0x74, 16, 'f', 0xfc, 'r\t', ESC, 0x74, 99, 'f', 0x81, 'r'), decode)).toBe(
      'für für für',
    );
  });

  it('one encoding overrides ESC t (a GBK register); blank lines and feed at both ends are dropped; a cut ends a line', () => {
    const gbk = [0xc4, 0xe3, 0xba, 0xc3]; // 你好
    expect(stripToText(bytes('\n\n', ESC, 0x74, 16, gbk, '  ', GS, 0x56, 0x30, 'x\n\n\n'), decode, { encoding: 'gbk' })).toBe('你好\nx');
    expect(stripToText(bytes(GS, 0x56, 0x30, GS, 0x56, 0x30), decode)).toBe('');
  });

  it('carries the code page in force from the previous job', () => {
    expect(stripToText(bytes(0x8e), decode, { codepage: 19 })).toBe('Ä');
  });
});
