// Cuts a register's byte stream into pieces: receipts (print capture: at a paper cut, an idle gap
// or the end of a network print job) and lines (sale messages). Positions are absolute offsets in
// the link's stream, so that the reader can record durably how far it has consumed and resume
// there after a restart with the same pieces. Pure and incremental: feed bytes, get pieces.
import { printsSomething, scanEscPos } from './escpos';

export type Boundary = 'cut' | 'idle' | 'end-of-job';

export interface Piece {
  /** Absolute stream offsets [start, end). */
  start: number;
  end: number;
  bytes: Uint8Array;
  boundary: Boundary;
  /** ESC t code page in force at the start of the piece (it carries over from earlier jobs). */
  codepage: number;
  /** The code page in force at its end (the next piece starts with it). */
  endCodepage: number;
  /** False for a piece that prints nothing (the reset/buzzer bytes after a cut). */
  prints: boolean;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (!a.length) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export class ReceiptSplitter {
  private buf: Uint8Array = new Uint8Array(0);
  /** Absolute offset of buf[0]. */
  private base: number;
  /** Relative offset where the next scan starts (always at a command boundary). */
  private scanned = 0;
  private printed = false;
  private codepage: number;
  private startCodepage: number;

  constructor(start = 0, codepage = 0) {
    this.base = start;
    this.codepage = codepage;
    this.startCodepage = codepage;
  }

  /** Absolute offset up to which everything has been handed out as pieces. */
  get position(): number {
    return this.base;
  }
  get pendingLength(): number {
    return this.buf.length;
  }
  /** The code page in force after the last byte scanned (to resume with). */
  get currentCodepage(): number {
    return this.codepage;
  }
  get pendingCodepage(): number {
    return this.startCodepage;
  }

  feed(bytes: Uint8Array): Piece[] {
    this.buf = concat(this.buf, bytes);
    return this.scan(false);
  }

  /** An idle gap or the end of a job: whatever is pending is one piece. */
  boundary(kind: Exclude<Boundary, 'cut'>): Piece[] {
    const out = this.scan(true);
    if (this.buf.length) out.push(this.take(this.buf.length, kind));
    return out;
  }

  private scan(final: boolean): Piece[] {
    const out: Piece[] = [];
    for (;;) {
      const r = scanEscPos(this.buf, { from: this.scanned, final, initialCodepage: this.codepage, untilCut: true });
      let cutAt = -1;
      for (const t of r.tokens) {
        if (t.kind === 'text' && !this.printed) this.printed = printsSomething(this.buf, [t]);
        if (t.kind === 'codepage') this.codepage = t.codepage;
        if (t.kind === 'cut') {
          cutAt = t.end;
          break;
        }
      }
      if (cutAt < 0) {
        this.scanned = r.end;
        return out;
      }
      out.push(this.take(cutAt, 'cut'));
    }
  }

  private take(end: number, boundary: Boundary): Piece {
    const piece: Piece = {
      start: this.base,
      end: this.base + end,
      bytes: this.buf.slice(0, end),
      boundary,
      codepage: this.startCodepage,
      endCodepage: this.codepage,
      prints: this.printed,
    };
    this.buf = this.buf.subarray(end); // a view: a long backlog is not copied once per receipt
    this.base += end;
    this.scanned = 0;
    this.printed = false;
    this.startCodepage = this.codepage;
    return piece;
  }
}

export interface LinePiece {
  start: number;
  end: number;
  /** The line without its CR LF / LF. */
  bytes: Uint8Array;
  /** Longer than the limit: the bytes are cut short and the line is refused. */
  tooLong: boolean;
}

/** Sale-message lines: one JSON document per LF-terminated line. */
export class LineSplitter {
  private buf: Uint8Array = new Uint8Array(0);
  private base: number;
  private skipping = false;
  private skipStart = 0;

  constructor(
    start = 0,
    private readonly maxLine = 1 << 20,
  ) {
    this.base = start;
  }

  get position(): number {
    return this.skipping ? this.skipStart : this.base;
  }
  get pendingLength(): number {
    return this.skipping ? 1 + this.base - this.skipStart : this.buf.length;
  }

  /** The link closed: an unterminated line is a piece of its own (never a sale: it may be cut short). */
  boundary(): LinePiece | undefined {
    if (!this.pendingLength) return undefined;
    const start = this.position;
    const piece = {
      start,
      end: this.base + (this.skipping ? 0 : this.buf.length),
      bytes: this.buf.slice(0, 64 * 1024),
      tooLong: this.skipping,
    };
    this.base = piece.end;
    this.buf = new Uint8Array(0);
    this.skipping = false;
    return piece;
  }

  feed(bytes: Uint8Array): LinePiece[] {
    const out: LinePiece[] = [];
    let from = 0;
    for (let k = 0; k < bytes.length; k++) {
      if (bytes[k] !== 0x0a) continue;
      out.push(this.close(bytes.subarray(from, k), k + 1 - from));
      from = k + 1;
    }
    const rest = bytes.subarray(from);
    if (this.skipping) this.base += rest.length;
    else {
      this.buf = concat(this.buf, rest.slice());
      if (this.buf.length > this.maxLine) {
        this.skipping = true;
        this.skipStart = this.base;
        this.base += this.buf.length;
        this.buf = this.buf.slice(0, 64);
      }
    }
    return out;
  }

  private close(tail: Uint8Array, consumed: number): LinePiece {
    if (this.skipping) {
      const piece = { start: this.skipStart, end: this.base + consumed, bytes: this.buf, tooLong: true };
      this.skipping = false;
      this.buf = new Uint8Array(0);
      this.base += consumed;
      return piece;
    }
    let line = concat(this.buf, tail.slice());
    if (line.length && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
    const start = this.base;
    this.base += this.buf.length + consumed;
    this.buf = new Uint8Array(0);
    const tooLong = line.length > this.maxLine;
    return { start, end: this.base, bytes: tooLong ? line.slice(0, 64) : line, tooLong };
  }
}
