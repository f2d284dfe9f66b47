// One link's processing: every chunk is journalled (durable) before it is parsed; the splitter
// cuts receipts or lines; each piece is recorded together with what it became (invoice, review,
// rejection) and the cursor move, in one transaction, so a crash never half-issues and a restart
// replays exactly the pieces not yet recorded. ACK is written after that commit.
import { createHash } from 'node:crypto';
import type { Db } from '../../ledger/database';
import type { Ledger } from '../../ledger/ledger';
import type { ReviewQueue } from '../../ledger/review-queue';
import type { CaptureStatus, ChunkKind, RegisterLinkStore } from '../../ledger/register-link-store';
import { InvalidInput } from '../../../shared/domain/sale';
import { MoneyError } from '../../../shared/domain/money';
import { stripToText } from '../../../shared/sources/register-link/escpos';
import { LineSplitter, ReceiptSplitter, type Boundary, type LinePiece, type Piece } from '../../../shared/sources/register-link/splitter';
import { applyTemplate, type Template } from '../../../shared/sources/register-link/template';
import { reconcile } from '../../../shared/sources/register-link/reconcile';
import { LINK_SOURCE, oneLine, parseSaleLine } from '../../../shared/sources/register-link/sale-line';
import type { LinkConfig } from '../../../shared/sources/register-link/settings';
import { decode } from './decode';

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
  log?: (message: string) => void;
}

export class LinkProcessor {
  private receipts: ReceiptSplitter | undefined;
  private lines: LineSplitter | undefined;
  private chain: Promise<void> = Promise.resolve();
  private lastChunkAt = 0;
  private failed: Error | undefined;
  private readonly now: () => number;

  constructor(private readonly d: ProcessorDeps) {
    this.now = d.now ?? Date.now;
    if (d.link.mode === 'print' && !d.template) throw new Error(`link ${d.link.id}: print capture needs a template`);
  }

  get id(): string { return this.d.link.id; }
  get error(): Error | undefined { return this.failed; }
  /** Bytes received but not yet part of a recorded piece. */
  get pending(): number { return this.receipts?.pendingLength ?? 0; }

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
    this.d.store.append(this.id, 'data', bytes);
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
    if (this.receipts) for (const p of this.receipts.feed(bytes)) this.enqueue(() => this.handleReceipt(p));
    if (this.lines) for (const p of this.lines.feed(bytes)) this.enqueue(() => this.handleLine(p));
  }

  private cut(kind: Exclude<Boundary, 'cut'>): void {
    if (this.receipts) for (const p of this.receipts.boundary(kind)) this.enqueue(() => this.handleReceipt(p));
    if (this.lines) {
      const p = this.lines.boundary();
      if (p) this.enqueue(() => this.handleLine(p, 'the link closed in the middle of this line'));
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

  private async handleReceipt(p: Piece): Promise<void> {
    const { store, link } = this.d;
    const codepage = p.endCodepage;
    if (!p.prints) {
      store.advance(link.id, p.end, codepage);
      return;
    }
    const t = this.d.template!;
    const receivedAt = this.lastChunkAt || this.now();
    let text: string;
    try {
      text = stripToText(p.bytes, decode, { ...(t.encoding ? { encoding: t.encoding } : {}), codepage: p.codepage });
    } catch (e) {
      this.record(p, null, 'rejected', { reason: `cannot decode the text: ${(e as Error).message}` }, codepage);
      return;
    }
    if (link.passThrough && this.d.passThrough) {
      try {
        await this.d.passThrough(p.bytes);
      } catch (e) {
        this.d.log?.(`register link ${link.id}: pass-through print failed: ${(e as Error).message}`);
      }
    }
    const parsed = applyTemplate(text, t);
    const fallbackId = `${link.id}-${createHash('sha256').update(text).digest('hex').slice(0, 20)}`;
    const r = reconcile(parsed, t, { receivedAt: new Date(receivedAt), fallbackId, source: LINK_SOURCE });
    if (r.kind === 'not_sale') { this.record(p, text, 'not_sale', { reason: r.reason, template: t.id }, codepage); return; }
    if (r.kind === 'mismatch') {
      // Nothing of the layout recognised: garbage, a partial print or another layout → rejected.
      // Recognised but not adding up → the review queue, with the text and the reasons.
      const recognised = parsed.items.length > 0 || parsed.total !== undefined;
      const reason = r.reasons.join('; ');
      if (!recognised) { this.record(p, text, 'rejected', { reason: `does not match template ${t.id}: ${reason}`, template: t.id }, codepage); return; }
      this.record(p, text, 'review', { reason, template: t.id }, codepage);
      return;
    }
    this.record(p, text, 'issued', { template: t.id, sale: r.sale }, codepage);
  }

  /** One transaction: the capture row, the invoice or review item, the cursor move. */
  private record(p: Piece, text: string | null, status: CaptureStatus, o: { reason?: string; template?: string; sale?: import('../../../shared/domain/sale').Sale }, codepage: number): void {
    const { db, store, review, ledger, link } = this.d;
    let event: CaptureEvent | undefined;
    db.transaction(() => {
      let st = status;
      let reason = o.reason ?? null;
      let irn: string | null = null;
      let duplicate = false;
      let externalId: string | null = o.sale?.external_id ?? null;
      if (o.sale) {
        try {
          const res = ledger.issue(o.sale);
          irn = res.invoice.irn;
          duplicate = res.duplicate;
        } catch (e) {
          if (!(e instanceof InvalidInput || e instanceof MoneyError)) throw e;
          st = 'review';
          reason = `ledger refused the sale: ${e.message}`;
        }
      }
      let reviewId: number | null = null;
      const captureKey = `${link.id}@${p.start}`;
      if (st === 'review') {
        reviewId = review.add({
          vendor: REVIEW_VENDOR, vendorId: o.sale?.external_id ?? captureKey, reason: reason ?? 'does not reconcile',
          payload: { link: link.id, stream_offset: p.start, template: o.template ?? null, text, raw_base64: Buffer.from(p.bytes).toString('base64'), ...(o.sale ? { sale: o.sale } : {}) },
        }).id;
      }
      if (st !== 'issued') externalId = o.sale?.external_id ?? null;
      const added = store.addCapture({
        link: link.id, mode: 'print', start: p.start, end: p.end, raw: p.bytes, text, status: st, reason, template: o.template ?? null,
        externalId, irn, duplicate, reviewId, receivedAt: this.lastChunkAt || this.now(),
      });
      store.advance(link.id, p.end, codepage);
      if (added.inserted) event = { link: link.id, captureId: added.id, status: st, ...(irn ? { irn, duplicate } : {}), ...(reason ? { reason } : {}) };
    }).immediate();
    if (event) this.d.onCapture?.(event);
  }

  // ---------- sale messages ----------

  private handleLine(p: LinePiece, cutShort?: string): void {
    const { db, store, ledger, link } = this.d;
    const raw = p.bytes;
    let reply: string | undefined;
    let event: CaptureEvent | undefined;
    const outcome = cutShort ? undefined : p.tooLong ? undefined : parseSaleLine(raw);
    if (outcome?.kind === 'blank') { store.advance(link.id, p.end); return; }
    db.transaction(() => {
      let status: CaptureStatus = 'rejected';
      let reason: string | null = null;
      let irn: string | null = null;
      let duplicate = false;
      let externalId: string | null = null;
      if (cutShort) reason = cutShort; // no NAK: the register never finished sending it and will again
      else if (p.tooLong) { reason = 'line is longer than 1 MiB'; reply = `NAK - ${reason}`; }
      else if (outcome?.kind === 'bad') {
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
        link: link.id, mode: 'sales', start: p.start, end: p.end, raw, text: null, status, reason, externalId, irn, duplicate,
        receivedAt: this.lastChunkAt || this.now(),
      });
      store.advance(link.id, p.end);
      if (added.inserted) event = { link: link.id, captureId: added.id, status, ...(irn ? { irn, duplicate } : {}), ...(reason ? { reason } : {}) };
    }).immediate();
    if (reply) this.d.reply?.(reply);
    if (event) this.d.onCapture?.(event);
  }
}
