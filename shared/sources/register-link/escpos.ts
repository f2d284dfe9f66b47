// ESC/POS stream scanner: walks a printer byte stream command by command, so that parameter bytes
// (ESC ! '0', ESC a '1'), raster images (GS ( L, GS v 0) and barcodes never leak into the text,
// and cuts are found where they are. Pure: bytes in, tokens out; decoding is the caller's.
//
// A command whose parameters run past the end of the bytes is reported as `incomplete` (a stream
// reader waits for more); at the true end of a job the caller scans with `final` and the partial
// command is dropped. Length-prefixed commands with implausible parameters (an image wider than
// any paper, an unknown GS ( function) are taken as noise, so line garbage cannot swallow the
// receipts that follow it.

export type Token =
  | { kind: 'text'; start: number; end: number; codepage: number }
  | { kind: 'newline'; start: number; end: number }
  | { kind: 'cut'; start: number; end: number }
  | { kind: 'codepage'; start: number; end: number; codepage: number }
  | { kind: 'command'; start: number; end: number };

export interface ScanResult {
  tokens: Token[];
  /** Where scanning stopped: bytes.length, or the start of a command that is not complete yet. */
  end: number;
  incomplete: boolean;
}

const ESC = 0x1b,
  GS = 0x1d,
  FS = 0x1c,
  DLE = 0x10,
  LF = 0x0a,
  HT = 0x09,
  FF = 0x0c;

/** Fixed parameter counts after `ESC x` (bytes after the command letter). Unknown letters: 0. */
const ESC_PARAMS: Record<number, number> = {
  0x20: 1,
  0x21: 1,
  0x24: 2,
  0x25: 1,
  0x2d: 1,
  0x33: 1,
  0x3d: 1,
  0x3f: 1,
  0x44: -1,
  0x45: 1,
  0x47: 1,
  0x4a: 1,
  0x4b: 1,
  0x4d: 1,
  0x52: 1,
  0x53: 0,
  0x54: 1,
  0x55: 1,
  0x56: 1,
  0x57: 8,
  0x5c: 2,
  0x61: 1,
  0x63: 2,
  0x64: 1,
  0x65: 1,
  0x66: 2,
  0x67: 1,
  0x70: 3,
  0x72: 1,
  0x74: 1,
  0x75: 1,
  0x76: 0,
  0x7b: 1,
  0x42: 2,
  0x43: 1,
  0x4c: 0,
  0x40: 0,
  0x32: 0,
  0x69: 0,
  0x6d: 0,
  0x3c: 0,
  0x4e: 1,
  0x4f: 0,
  0x2a: -1,
  0x26: -1,
  0x28: -1,
};

const GS_PARAMS: Record<number, number> = {
  0x21: 1,
  0x42: 1,
  0x61: 1,
  0x72: 1,
  0x2f: 1,
  0x48: 1,
  0x66: 1,
  0x68: 1,
  0x77: 1,
  0x49: 1,
  0x62: 1,
  0x45: 1,
  0x4c: 2,
  0x57: 2,
  0x50: 2,
  0x24: 2,
  0x5c: 2,
  0x5e: 3,
  0x3a: 0,
  0x54: 1,
  0x63: 0,
  0x7a: 1,
  0x67: 2,
  0x44: -1,
  0x56: -1,
  0x6b: -1,
  0x28: -1,
  0x38: -1,
  0x76: -1,
  0x2a: -1,
  0x51: -1,
  0x43: -1,
};

const FS_PARAMS: Record<number, number> = {
  0x26: 0,
  0x2e: 0,
  0x21: 1,
  0x2d: 1,
  0x43: 1,
  0x57: 1,
  0x53: 2,
  0x70: 2,
  0x3f: 2,
  0x32: 74,
  0x28: -1,
  0x67: -1,
  0x71: -1,
};

type Len = number | 'incomplete';

/** GS ( fn letters that exist (A, C, D, E, H, K, L, M, N, P, Q, k, z): anything else is noise. */
const GS_PAREN_FUNCTIONS = new Set([0x41, 0x43, 0x44, 0x45, 0x48, 0x4b, 0x4c, 0x4d, 0x4e, 0x50, 0x51, 0x6b, 0x7a]);

/** Total length of the command at `i` (prefix included), or 'incomplete'. */
function commandLength(b: Uint8Array, i: number): Len {
  const n = b.length;
  const at = (k: number): number | undefined => (i + k < n ? b[i + k] : undefined);
  const lead = b[i]!;
  const op = at(1);
  if (op === undefined) return 'incomplete';
  if (lead === DLE) {
    // Bounds-checked like every other command: a status request cut at the end of a chunk waits
    // for its parameters (it used to report an end past the bytes it was given).
    if (op === 0x04 || op === 0x05) return i + 3 <= n ? 3 : 'incomplete'; // DLE EOT n, DLE ENQ n
    if (op === 0x14) return i + 5 <= n ? 5 : 'incomplete'; // DLE DC4 fn m t
    return 1; // a lone DLE is just a control byte
  }
  const table = lead === ESC ? ESC_PARAMS : lead === GS ? GS_PARAMS : FS_PARAMS;
  const fixed = table[op];
  if (fixed === undefined) return 2;
  if (fixed >= 0) return i + 2 + fixed <= n ? 2 + fixed : 'incomplete';
  const need = (k: number): Len => (i + k <= n ? k : 'incomplete');
  const u8 = (k: number) => at(k);
  if (lead === ESC) {
    if (op === 0x44) {
      // ESC D n1…nk NUL: tab stops
      for (let k = 2; k < 35 && i + k < n; k++) if (b[i + k] === 0) return k + 1;
      return i + 35 <= n ? 2 : 'incomplete';
    }
    if (op === 0x2a) {
      // ESC * m nL nH d… bit image: m 0/1 → 1 byte per column, 32/33 → 3
      const m = u8(2),
        nL = u8(3),
        nH = u8(4);
      if (m === undefined || nL === undefined || nH === undefined) return 'incomplete';
      if (![0, 1, 32, 33].includes(m) || nH > 3) return 2; // implausible: noise, not an image
      return need(5 + (nL + nH * 256) * (m >= 32 ? 3 : 1));
    }
    if (op === 0x26) {
      // ESC & y c1 c2 [x d1…d(y×x)]… user-defined characters
      const y = u8(2),
        c1 = u8(3),
        c2 = u8(4);
      if (y === undefined || c1 === undefined || c2 === undefined) return 'incomplete';
      if (y > 3 || c1 < 0x20 || c2 < c1 || c2 > 0x7e) return 2;
      let k = 5;
      for (let c = c1; c <= c2 && c - c1 < 256; c++) {
        const x = u8(k);
        if (x === undefined) return 'incomplete';
        k += 1 + y * x;
      }
      return need(k);
    }
    if (op === 0x28) {
      // ESC ( X pL pH data
      const x = u8(2),
        pL = u8(3),
        pH = u8(4);
      if (x === undefined || pL === undefined || pH === undefined) return 'incomplete';
      if (x !== 0x41 && x !== 0x59) return 2;
      return need(5 + pL + pH * 256);
    }
  }
  if (lead === GS) {
    if (op === 0x56) {
      // GS V m [n]: m 0/1/48/49 cut; 65/66/97/98/103/104 feed-and-cut with n
      const m = u8(2);
      if (m === undefined) return 'incomplete';
      return need([0x41, 0x42, 0x61, 0x62, 0x67, 0x68].includes(m) ? 4 : 3);
    }
    if (op === 0x6b) {
      // GS k m: m ≤ 6 NUL-terminated data; m ≥ 65 length byte n then data
      const m = u8(2);
      if (m === undefined) return 'incomplete';
      if (m <= 6) {
        for (let k = 3; k < 260; k++) {
          if (i + k >= n) return 'incomplete';
          if (b[i + k] === 0) return k + 1;
        }
        return 3; // no terminator within a barcode's length: noise
      }
      if (m < 65 || m > 79) return 3;
      const len = u8(3);
      if (len === undefined) return 'incomplete';
      return need(4 + len);
    }
    if (op === 0x28) {
      // GS ( X pL pH data (graphics, QR, settings)
      const x = u8(2),
        pL = u8(3),
        pH = u8(4);
      if (x === undefined || pL === undefined || pH === undefined) return 'incomplete';
      if (!GS_PAREN_FUNCTIONS.has(x) || (x !== 0x4c && pH > 0x0f)) return 2; // only graphics (L) may be large
      return need(5 + pL + pH * 256);
    }
    if (op === 0x38) {
      // GS 8 L p1 p2 p3 p4 data (large graphics)
      const p = [u8(2), u8(3), u8(4), u8(5), u8(6)];
      if (p.some((x) => x === undefined)) return 'incomplete';
      const [l, p1, p2, p3, p4] = p as number[];
      if (l !== 0x4c || p4! > 0 || p3! > 0x0f) return 2;
      return need(7 + p1! + p2! * 0x100 + p3! * 0x10000 + p4! * 0x1000000);
    }
    if (op === 0x76) {
      // GS v 0 m xL xH yL yH d… raster bit image
      const zero = u8(2),
        m = u8(3),
        xL = u8(4),
        xH = u8(5),
        yL = u8(6),
        yH = u8(7);
      if (zero === undefined || m === undefined || xL === undefined || xH === undefined || yL === undefined || yH === undefined)
        return 'incomplete';
      if ((zero !== 0x30 && zero !== 0) || ![0, 1, 2, 3, 48, 49, 50, 51].includes(m) || xH > 0 || yH > 0x0f) return 2; // wider than any paper
      return need(8 + (xL + xH * 256) * (yL + yH * 256));
    }
    if (op === 0x2a) {
      // GS * x y d… downloaded bit image (x × y × 8 bytes)
      const x = u8(2),
        y = u8(3);
      if (x === undefined || y === undefined) return 'incomplete';
      return need(4 + x * y * 8);
    }
    if (op === 0x44 || op === 0x51 || op === 0x43) {
      // GS D / GS Q 0 / GS C: rare, fixed 2 params best effort
      return need(4);
    }
  }
  if (lead === FS) {
    if (op === 0x28) {
      // FS ( X pL pH data
      const pL = u8(3),
        pH = u8(4);
      if (pL === undefined || pH === undefined) return 'incomplete';
      return need(5 + pL + pH * 256);
    }
    if (op === 0x67) return need(4); // FS g 1/2 … best effort
    if (op === 0x71) {
      // FS q n [xL xH yL yH d…]…
      const count = u8(2);
      if (count === undefined) return 'incomplete';
      let k = 3;
      for (let c = 0; c < count; c++) {
        const xL = u8(k),
          xH = u8(k + 1),
          yL = u8(k + 2),
          yH = u8(k + 3);
        if (xL === undefined || xH === undefined || yL === undefined || yH === undefined) return 'incomplete';
        k += 4 + (xL + xH * 256) * (yL + yH * 256) * 8;
      }
      return need(k);
    }
  }
  return 2;
}

function isCut(b: Uint8Array, i: number): boolean {
  const lead = b[i],
    op = b[i + 1];
  if (lead === GS && op === 0x56) return true; // GS V
  if (lead === ESC && (op === 0x69 || op === 0x6d)) return true; // ESC i / ESC m (partial cut)
  return false;
}

/**
 * Scans `bytes` from `from`. Text runs keep the code page in force (ESC t n; `initialCodepage`
 * before any). With `final`, a truncated command at the end is swallowed instead of reported.
 */
export function scanEscPos(
  bytes: Uint8Array,
  opts: { from?: number; final?: boolean; initialCodepage?: number; untilCut?: boolean } = {},
): ScanResult {
  const tokens: Token[] = [];
  let codepage = opts.initialCodepage ?? 0;
  let i = opts.from ?? 0;
  let textStart = -1;
  const flushText = (end: number) => {
    if (textStart >= 0 && end > textStart) tokens.push({ kind: 'text', start: textStart, end, codepage });
    textStart = -1;
  };
  const n = bytes.length;
  while (i < n) {
    const c = bytes[i]!;
    if (c === ESC || c === GS || c === FS || c === DLE) {
      const len = commandLength(bytes, i);
      if (len === 'incomplete') {
        flushText(i);
        if (opts.final) {
          i = n;
          break;
        }
        return { tokens, end: i, incomplete: true };
      }
      flushText(i);
      const end = i + len;
      if (isCut(bytes, i)) {
        tokens.push({ kind: 'cut', start: i, end });
        if (opts.untilCut) return { tokens, end, incomplete: false }; // a splitter needs no further
      } else if (c === ESC && bytes[i + 1] === 0x74) {
        codepage = bytes[i + 2]!;
        tokens.push({ kind: 'codepage', start: i, end, codepage });
      } else if (c === ESC && bytes[i + 1] === 0x40) {
        codepage = 0; // ESC @ resets the printer, code page included
        tokens.push({ kind: 'codepage', start: i, end, codepage });
      } else if (c === ESC && bytes[i + 1] === 0x64 && bytes[i + 2]! > 0)
        tokens.push({ kind: 'newline', start: i, end }); // ESC d n: print and feed
      else tokens.push({ kind: 'command', start: i, end });
      i = end;
      continue;
    }
    if (c === LF || c === FF) {
      flushText(i);
      tokens.push({ kind: 'newline', start: i, end: i + 1 });
      i++;
      continue;
    }
    if (c < 0x20 && c !== HT) {
      // CR (a CR LF line end), NUL, CAN and other controls print nothing.
      flushText(i);
      tokens.push({ kind: 'command', start: i, end: i + 1 });
      i++;
      continue;
    }
    if (textStart < 0) textStart = i;
    i++;
  }
  flushText(i);
  return { tokens, end: i, incomplete: false };
}

/** True when the tokens print something other than spaces (an after-cut trailer prints nothing). */
export function printsSomething(bytes: Uint8Array, tokens: readonly Token[]): boolean {
  for (const t of tokens) {
    if (t.kind !== 'text') continue;
    for (let k = t.start; k < t.end; k++) if (bytes[k] !== 0x20 && bytes[k] !== HT) return true;
  }
  return false;
}

/** Decodes bytes in a named encoding (iconv-lite in main; shared code stays free of it). */
export type Decode = (bytes: Uint8Array, encoding: string) => string;

/** ESC t n → encoding name (Epson numbering; the ones registers send in practice). */
export const ESC_T_CODEPAGES: Readonly<Record<number, string>> = {
  0: 'cp437',
  2: 'cp850',
  3: 'cp860',
  4: 'cp863',
  5: 'cp865',
  16: 'windows-1252',
  17: 'cp866',
  18: 'cp852',
  19: 'cp858',
  45: 'windows-1250',
  46: 'windows-1251',
  47: 'windows-1253',
  48: 'windows-1254',
  49: 'windows-1255',
  50: 'windows-1256',
  51: 'windows-1257',
};

export interface StripOptions {
  /** One encoding for all text (gb18030, euc-kr, utf8…), overriding ESC t; for multi-byte registers. */
  encoding?: string;
  /** The ESC t code page in force before the first byte (it carries over between jobs). */
  codepage?: number;
}

/** The printed text of a receipt: control codes removed, each run decoded in its code page, lines right-trimmed. */
export function stripToText(bytes: Uint8Array, decode: Decode, opts: StripOptions = {}): string {
  const { tokens } = scanEscPos(bytes, { final: true, initialCodepage: opts.codepage ?? 0 });
  const lines: string[] = [];
  let line = '';
  for (const t of tokens) {
    if (t.kind === 'text') {
      const enc = opts.encoding ?? ESC_T_CODEPAGES[t.codepage] ?? 'cp437';
      line += decode(bytes.subarray(t.start, t.end), enc).replace(/\t/g, ' ');
    } else if (t.kind === 'newline' || t.kind === 'cut') {
      if (t.kind === 'newline' || line) {
        lines.push(line.trimEnd());
        line = '';
      }
    }
  }
  if (line) lines.push(line.trimEnd());
  // Leading and trailing blank lines are paper feed, not content.
  while (lines.length && !lines[0]!.trim()) lines.shift();
  while (lines.length && !lines.at(-1)!.trim()) lines.pop();
  return lines.join('\n');
}
