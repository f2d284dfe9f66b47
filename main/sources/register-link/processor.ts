// One link's processing: every chunk is journalled (durable) before it is parsed; the splitter
// cuts receipts or lines; each piece is recorded together with what it became (invoice, review,
// rejection) and the cursor move, in one transaction, so a crash never half-issues and a restart
// replays exactly the pieces not yet recorded. ACK is written after that commit.
import { createHash } from 'node:crypto';
import type { Db } from '../../ledger/database';
import type { Ledger } from '../../ledger/ledger';
import type { ReviewQueue } from '../../ledger/review-queue';
import type { CaptureStatus, ChunkKind, RegisterLinkStore } from '../../ledger/register-link-store';
import { InvalidInput, type Sale } from '../../../shared/domain/sale';
import { MoneyError } from '../../../shared/domain/money';
import { stripToText } from '../../../shared/sources/register-link/escpos';
import { LineSplitter, ReceiptSplitter, type Boundary, type LinePiece, type Piece } from '../../../shared/sources/register-link/splitter';
import { applyTemplate, type Template } from '../../../shared/sources/register-link/template';
import { reconcile } from '../../../shared/sources/register-link/reconcile';
import { LINK_SOURCE, oneLine, parseSaleLine } from '../../../shared/sources/register-link/sale-line';
import type { LinkConfig } from '../../../shared/sources/register-link/settings';
import { decode } from './decode';
import { isDiskFull } from '../../ledger/disk-space';

/** The NAK reason while the disk is full: the register keeps the sale and sends it again. */
export const DISK_FULL_NAK = 'disk full: not recorded; send it again later';

export const REVIEW_VENDOR = 'register-link';

export interface CaptureEvent {
  link: string;
  captureId: number;
  status: CaptureStatus;
  irn?: string;
  duplicate?: boolean;
  reason?: string;
}

export interface ProcessorDeps {
  db: Db;
  ledger: Ledger;
  store: RegisterLinkStore;
  review: ReviewQueue;
  link: LinkConfig;
  /** print mode: the link's template. */
  template?: Template;
  now?: () => number;
  /** print mode, passThrough: send the register's own bytes to the real printer first. */
  passThrough?: (raw: Uint8Array) => Promise<void>;
  /** sales mode: writes an ACK/NAK line back to the register. */
  reply?: (line: string) => void;
  onCapture?: (e: CaptureEvent) => void;
  /** A piece could not be recorded (database error): processing stops until recover(). */
  onFailure?: (e: Error) => void;
  /** A write failed for lack of disk space (the app gives back its reserve and watches for room). */
  onDiskFull?: () => void;
  log?: (message: string) => void;
}

export class LinkProcessor {
  private receipts: ReceiptSplitter | undefined;
  private lines: LineSplitter | undefined;
  private chain: Promise<void> = Promise.resolve();
  private lastChunkAt = 0;
  private failed: Error | undefined;
  /** Stream offset up to which "disk full" NAKs were sent: a replay while still full does not repeat them. */
  private nakedTo = -1;
  private readonly now: () => number;

  constructor(private readonly d: ProcessorDeps) {
    this.now = d.now ?? Date.now;
    if (d.link.mode === 'print' && !d.template) throw new Error(`link ${d.link.id}: print capture needs a template`);
  }

  get id(): string {
    return this.d.link.id;
  }
  get error(): Error | undefined {
    return this.failed;
  }
  /** Bytes received but not yet part of a recorded piece. */
  get pending(): number {
    return this.receipts?.pendingLength ?? 0;
  }

  /** Resumes from the durable cursor: replays journalled chunks not yet turned into captures. */
  recover(): void {
    this.failed = undefined;
    const cursor = this.d.store.cursor(this.id);
    if (this.d.link.mode === 'print') this.receipts = new ReceiptSplitter(cursor.offset, cursor.codepage);
    else this.lines = new LineSplitter(cursor.offset);
    for (const c of this.d.store.chunksFrom(this.id, cursor.offset)) {
      this.lastChunkAt = c.received_at;
      if (c.kind === 'data') {
        const skip = Math.max(0, cursor.offset - c.at);
        if (skip < c.bytes.length) this.split(c.bytes.subarray(skip));
      } else if (c.at >= cursor.offset) this.cut(c.kind);
    }
    // The connection that carried a half-received piece is gone: that piece ends here.
    if ((this.receipts?.pendingLength ?? 0) > 0 || this.linePending()) this.boundary('end-of-job');
  }

  private linePending(): boolean {
    return (this.lines?.pendingLength ?? 0) > 0;
  }

  /** Journals received bytes (durable on return), then cuts and handles what completed. */
  data(bytes: Uint8Array): void {
    if (!bytes.length) return;
    try {
      this.d.store.append(this.id, 'data', bytes);
    } catch (e) {
      // Not journalled, so not taken: say so for each complete sale line (the register resends).
      if (isDiskFull(e) && this.lines) {
        this.d.onDiskFull?.();
        this.nakDiskFull(completeLines(bytes));
      }
      throw e;
    }
    this.lastChunkAt = this.now();
    this.split(bytes);
  }

  /** An idle gap, or the end of a job (connection closed, cable pulled): journalled, then applied. */
  boundary(kind: Exclude<Boundary, 'cut'>): void {
    this.d.store.append(this.id, kind as ChunkKind, new Uint8Array(0));
    this.cut(kind);
  }

  /** Resolves when every piece cut so far has been handled. */
  idle(): Promise<void> {
    return this.chain;
  }

  private split(bytes: Uint8Array): void {
    if (this.receipts) this.receiptBatch(this.receipts.feed(bytes));
    if (this.lines) this.lineBatch(this.lines.feed(bytes).map((p) => ({ p })));
  }

  private cut(kind: Exclude<Boundary, 'cut'>): void {
    if (this.receipts) this.receiptBatch(this.receipts.boundary(kind));
    if (this.lines) {
      const p = this.lines.boundary();
      if (p) this.lineBatch([{ p, cutShort: 'the link closed in the middle of this line' }]);
    }
  }

  private enqueue(work: () => Promise<void> | void): void {
    this.chain = this.chain.then(async () => {
      if (this.failed) return; // keep order: nothing after a piece that could not be recorded
      try {
        await work();
      } catch (e) {
        this.failed = e as Error;
        this.d.log?.(`register link ${this.id}: ${(e as Error).message} (the piece stays journalled and is retried)`);
        this.d.onFailure?.(e as Error);
      }
    });
  }

  // ---------- print capture ----------

  /**
   * The pieces cut from one read: decided first (strip, template, reconcile: no I/O), passed
   * through to the printer if asked, then recorded in ONE transaction (a busy register's backlog
   * costs one disk sync per read, not per receipt).
   */
  private receiptBatch(pieces: Piece[]): void {
    if (!pieces.length) return;
    const receivedAt = this.lastChunkAt || this.now();
    this.enqueue(async () => {
      const decisions = pieces.map((p) => this.decide(p, receivedAt));
      if (this.d.link.passThrough && this.d.passThrough) {
        for (const dcs of decisions) {
          if (!dcs.piece.prints) continue;
          try {
            await this.d.passThrough(dcs.piece.bytes);
          } catch (e) {
            this.d.log?.(`register link ${this.id}: pass-through print failed: ${(e as Error).message}`);
          }
        }
      }
      const events: CaptureEvent[] = [];
      this.d.db
        .transaction(() => {
          for (const dcs of decisions) {
            const e = this.record(dcs);
            if (e) events.push(e);
          }
        })
        .immediate();
      for (const e of events) this.d.onCapture?.(e);
    });
  }

  private decide(p: Piece, receivedAt: number): Decision {
    if (!p.prints) return { piece: p, text: null, status: 'skip', receivedAt };
    const t = this.d.template!;
    let text: string;
    try {
      text = stripToText(p.bytes, decode, { ...(t.encoding ? { encoding: t.encoding } : {}), codepage: p.codepage });
    } catch (e) {
      return { piece: p, text: null, status: 'rejected', reason: `cannot decode the text: ${(e as Error).message}`, receivedAt };
    }
    const parsed = applyTemplate(text, t);
    const fallbackId = `${this.id}-${createHash('sha256').update(text).digest('hex').slice(0, 20)}`;
    const r = reconcile(parsed, t, { receivedAt: new Date(receivedAt), fallbackId, source: LINK_SOURCE });
    if (r.kind === 'sale') return { piece: p, text, status: 'issued', template: t.id, sale: r.sale, receivedAt };
    if (r.kind === 'not_sale') return { piece: p, text, status: 'not_sale', reason: r.reason, template: t.id, receivedAt };
    // Nothing of the layout recognised: garbage, a partial print or another layout → rejected.
    // Recognised but not adding up → the review queue, with the text and the reasons.
    const recognised = parsed.items.length > 0 || parsed.total !== undefined;
    const reason = r.reasons.join('; ');
    if (!recognised)
      return { piece: p, text, status: 'rejected', reason: `does not match template ${t.id}: ${reason}`, template: t.id, receivedAt };
    return { piece: p, text, status: 'review', reason, template: t.id, receivedAt };
  }

  /** Inside the batch transaction: the capture row, the invoice or review item, the cursor move. */
  private record(dcs: Decision): CaptureEvent | undefined {
    const { store, review, ledger, link } = this.d;
    const p = dcs.piece;
    if (dcs.status === 'skip') {
      store.advance(link.id, p.end, p.endCodepage);
      return undefined;
    }
    let st: CaptureStatus = dcs.status;
    let reason = dcs.reason ?? null;
    let irn: string | null = null;
    let duplicate = false;
    if (dcs.sale) {
      try {
        const res = ledger.issue(dcs.sale);
        irn = res.invoice.irn;
        duplicate = res.duplicate;
      } catch (e) {
        if (!(e instanceof InvalidInput || e instanceof MoneyError)) throw e;
        st = 'review';
        reason = `ledger refused the sale: ${e.message}`;
      }
    }
    let reviewId: number | null = null;
    if (st === 'review') {
      reviewId = review.add({
        vendor: REVIEW_VENDOR,
        vendorId: dcs.sale?.external_id ?? `${link.id}@${p.start}`,
        reason: reason ?? 'does not reconcile',
        payload: {
          link: link.id,
          stream_offset: p.start,
          template: dcs.template ?? null,
          text: dcs.text,
          raw_base64: Buffer.from(p.bytes).toString('base64'),
          ...(dcs.sale ? { sale: dcs.sale } : {}),
        },
      }).id;
    }
    const added = store.addCapture({
      link: link.id,
      mode: 'print',
      start: p.start,
      end: p.end,
      raw: p.bytes,
      text: dcs.text,
      status: st,
      reason,
      template: dcs.template ?? null,
      externalId: dcs.sale?.external_id ?? null,
      irn,
      duplicate,
      reviewId,
      receivedAt: dcs.receivedAt,
    });
    store.advance(link.id, p.end, p.endCodepage);
    if (!added.inserted) return undefined;
    return { link: link.id, captureId: added.id, status: st, ...(irn ? { irn, duplicate } : {}), ...(reason ? { reason } : {}) };
  }

  // ---------- sale messages ----------

  /** Lines from one read, recorded in one transaction; ACK/NAK written after it commits. */
  private lineBatch(items: { p: LinePiece; cutShort?: string }[]): void {
    if (!items.length) return;
    const receivedAt = this.lastChunkAt || this.now();
    this.enqueue(() => {
      const replies: string[] = [];
      const events: CaptureEvent[] = [];
      try {
        this.d.db
          .transaction(() => {
            for (const it of items) {
              const r = this.recordLine(it.p, it.cutShort, receivedAt);
              if (r.reply) replies.push(r.reply);
              if (r.event) events.push(r.event);
            }
          })
          .immediate();
      } catch (e) {
        // Rolled back: nothing issued. The lines stay journalled and are replayed (and ACKed) once
        // there is room; meanwhile the register hears why, once per line.
        if (isDiskFull(e)) {
          this.d.onDiskFull?.();
          this.nakDiskFull(items.filter((it) => !it.cutShort && !it.p.tooLong && it.p.end > this.nakedTo).map((it) => it.p.bytes));
          this.nakedTo = Math.max(this.nakedTo, ...items.map((it) => it.p.end));
        }
        throw e;
      }
      for (const line of replies) this.d.reply?.(line);
      for (const e of events) this.d.onCapture?.(e);
    });
  }

  private nakDiskFull(lines: Uint8Array[]): void {
    for (const bytes of lines) {
      const o = parseSaleLine(bytes);
      if (o.kind === 'blank') continue;
      const id = o.kind === 'sale' ? o.sale.external_id : o.externalId;
      this.d.reply?.(`NAK ${id ?? '-'} ${DISK_FULL_NAK}`);
    }
  }

  private recordLine(p: LinePiece, cutShort: string | undefined, receivedAt: number): { reply?: string; event?: CaptureEvent } {
    const { store, ledger, link } = this.d;
    const outcome = cutShort || p.tooLong ? undefined : parseSaleLine(p.bytes);
    if (outcome?.kind === 'blank') {
      store.advance(link.id, p.end);
      return {};
    }
    let status: CaptureStatus = 'rejected';
    let reason: string | null = null;
    let irn: string | null = null;
    let duplicate = false;
    let externalId: string | null = null;
    let reply: string | undefined;
    if (cutShort)
      reason = cutShort; // no NAK: the register never finished sending it and will again
    else if (p.tooLong) {
      reason = 'line is longer than 1 MiB';
      reply = `NAK - ${reason}`;
    } else if (outcome?.kind === 'bad') {
      reason = outcome.reason;
      externalId = outcome.externalId;
      reply = `NAK ${outcome.externalId ?? '-'} ${outcome.reason}`;
    } else if (outcome?.kind === 'sale') {
      externalId = outcome.sale.external_id;
      try {
        const res = ledger.issue(outcome.sale);
        status = 'issued';
        irn = res.invoice.irn;
        duplicate = res.duplicate;
        reply = `ACK ${externalId}`;
      } catch (e) {
        if (!(e instanceof InvalidInput || e instanceof MoneyError)) throw e;
        reason = oneLine(e.message);
        reply = `NAK ${externalId} ${reason}`;
      }
    }
    const added = store.addCapture({
      link: link.id,
      mode: 'sales',
      start: p.start,
      end: p.end,
      raw: p.bytes,
      text: null,
      status,
      reason,
      externalId,
      irn,
      duplicate,
      receivedAt,
    });
    store.advance(link.id, p.end);
    const event = added.inserted
      ? { link: link.id, captureId: added.id, status, ...(irn ? { irn, duplicate } : {}), ...(reason ? { reason } : {}) }
      : undefined;
    return { ...(reply ? { reply } : {}), ...(event ? { event } : {}) };
  }
}

interface Decision {
  piece: Piece;
  text: string | null;
  status: CaptureStatus | 'skip';
  reason?: string;
  template?: string;
  sale?: Sale;
  receivedAt: number;
}

/** The complete (LF-terminated) lines of a chunk, without CR LF / LF. */
function completeLines(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0x0a) continue;
    const end = i > start && bytes[i - 1] === 0x0d ? i - 1 : i;
    out.push(bytes.subarray(start, end));
    start = i + 1;
  }
  return out;
}
