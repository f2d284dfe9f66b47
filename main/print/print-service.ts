// PrintService: drains the print queue to the configured printer in the background, so a sale is
// never blocked by the printer. Originals come from the outbox rows Ledger.issue writes; reprints
// are requested explicitly and print "COPY". Failure policy:
//  - nothing reached the printer (off, unplugged, out of paper, cover open): retry with backoff;
//  - bytes may have reached it (connection lost mid-job, paper ran out during it, or the app died
//    mid-print and its lease expired): "printed-unconfirmed", listed in problems(), never re-sent
//    automatically, because a duplicate fiscal receipt is worse than asking for a reprint.
import { InvoiceQueries } from '../ledger/invoice-queries';
import { EventEmitter } from 'node:events';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Db } from '../ledger/database';
import type { IssuedInvoice, Ledger } from '../ledger/ledger';
import { PrintJobs, LeaseLost, type ClaimedPrintJob, type PrintProblem } from '../ledger/print-jobs';
import { InvalidInput } from '../../shared/domain/sale';
import { isDiskFull } from '../ledger/disk-space';
import { buildReceipt } from '../../shared/receipt/receipt';
import { layoutReceipt, layoutToText, COLUMNS, type PaperWidth, type ReceiptLayout, type ReceiptBlock } from '../../shared/receipt/layout';
import { parsePrinterConfig, type PrinterConfig } from '../../shared/receipt/printer-config';
import { asPrinted, renderEscpos, type QrMode } from './escpos-render';
import { renderPng } from './png-render';
import { openTransport } from './open-transport';
import { blocking, describeStatus, NotSent, type NotSentReason, type PrintPayload, type Transport } from './transport';

export type PrinterState = 'ready' | 'offline' | 'paper_out' | 'error' | 'virtual';

export interface PrintStatus {
  printer: PrinterState;
  message?: string;
  queued: number;
  /** Printed-unconfirmed jobs waiting for a person (see problems()). */
  unconfirmed: number;
}

export interface PrintServiceOptions {
  db: Db;
  ledger: Ledger;
  config?: unknown; // PrinterConfig input; validated here (default: virtual)
  now?: () => number;
  owner?: string;
  /** How long a job may stay 'sending' before another worker may recover it. */
  leaseMs?: number;
  /** Idle poll: picks up jobs issued by other processes (CLI ingest, capture). */
  pollMs?: number;
  backoff?: { baseMs: number; maxMs: number };
  /** A transport instead of the one the config names (the composition root's virtual printer). */
  transport?: Transport;
  /**
   * Originals captured more than this long after their sale (a POS catch-up after days offline)
   * are not printed automatically: nobody is at the till for them, and hundreds of receipts would
   * pour out. They stay printable on request (reprint). Unset: every original prints.
   */
  lateCaptureMs?: number;
  /** A write failed for lack of disk space (the app gives back its space reserve and watches for room). */
  onDiskFull?: () => void;
}

/** Epson models without the GS ( k QR command (they get the raster image in qr: auto). */
const NO_NATIVE_QR = /^TM-(T88(II|III|IV)|U\d+)/i;

const NOT_SENT_STATE: Record<NotSentReason, PrinterState> = { offline: 'offline', paper_out: 'paper_out', error: 'error' };

export class PrintService extends EventEmitter {
  private readonly jobs: PrintJobs;
  private readonly now: () => number;
  private readonly owner: string;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly backoff: { baseMs: number; maxMs: number };
  private config: PrinterConfig;
  private transport: Transport;
  private state: { printer: PrinterState; message?: string };
  private qrMode: QrMode | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private lock: Promise<unknown> = Promise.resolve();
  /**
   * A job's outcome the ledger could not record (disk full) after its bytes went to the printer.
   * Written before anything else is claimed, once there is room: the job ends printed (or
   * unconfirmed, or retried if nothing was sent) instead of staying "sending" until its lease
   * runs out and being written off as unconfirmed — and it is never sent twice.
   */
  private unsaved: (() => void) | undefined;

  constructor(private readonly o: PrintServiceOptions) {
    super();
    this.jobs = new PrintJobs(o.db);
    this.now = o.now ?? Date.now;
    this.owner = o.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.leaseMs = o.leaseMs ?? 120_000;
    this.pollMs = o.pollMs ?? 1000;
    this.backoff = o.backoff ?? { baseMs: 1000, maxMs: 60_000 };
    this.config = parsePrinterConfig(o.config);
    this.transport = o.transport ?? openTransport(this.config);
    this.state = this.transport.kind === 'virtual' ? { printer: 'virtual' } : { printer: 'ready', message: 'not checked yet' };
  }

  // ---------- lifecycle ----------

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.refreshStatus();
    this.loop = this.run();
  }

  /** Stops taking jobs and waits for the one in flight. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.lock;
  }

  /** Process due jobs now (after a sale, a reprint, a printer coming back). */
  kick(): void {
    this.wake?.();
  }

  /** Processes every job due now, then returns (CLI print-worker --until-idle, tests). */
  async runUntilIdle(): Promise<number> {
    let n = 0;
    while (await this.processOne()) n++;
    return n;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let worked = false;
      try {
        worked = await this.processOne();
      } catch (e) {
        if (isDiskFull(e)) this.o.onDiskFull?.();
        this.setState('error', `print queue: ${(e as Error).message}`);
      }
      if (!this.running) continue;
      if (worked) {
        // The virtual printer answers without real I/O: without a turn of the event loop between
        // jobs, a backlog (thousands of sales ingested at once) would starve HTTP, IPC and timers.
        await nextTurn();
        continue;
      }
      const due = this.jobs.nextDueAt();
      const wait = Math.max(10, Math.min(this.pollMs, due === undefined ? this.pollMs : due - this.now()));
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, wait);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  // ---------- state ----------

  status(): PrintStatus {
    return {
      printer: this.state.printer,
      ...(this.state.message ? { message: this.state.message } : {}),
      queued: this.jobs.queued(),
      unconfirmed: this.jobs.problems().length,
    };
  }

  problems(): PrintProblem[] {
    return this.jobs.problems();
  }

  /** After checking the paper of an unconfirmed job (problems()[i].job): it printed, or reprint a COPY. */
  resolveProblem(job: string, action: 'printed' | 'reprint'): { resolved: true; request?: number } {
    const r = this.jobs.resolve(job, action, this.now());
    this.emitChange();
    this.kick();
    return r;
  }

  private setState(printer: PrinterState, message?: string): void {
    const changed = printer !== this.state.printer || message !== this.state.message;
    this.state = { printer, ...(message ? { message } : {}) };
    if (changed) this.emitChange();
  }

  private emitChange(): void {
    this.emit('change', this.status());
  }

  /** Asks the printer for its state (without printing) and shows it. */
  async refreshStatus(): Promise<PrintStatus> {
    if (this.transport.kind === 'virtual') return this.status();
    try {
      const p = await this.transport.probe();
      if (!p.reachable) this.setState('offline', p.message);
      else if (p.status && blocking(p.status)) this.setState(p.status.paperOut ? 'paper_out' : 'error', describeStatus(p.status));
      else this.setState('ready', p.status ? describeStatus(p.status) : p.model);
    } catch (e) {
      this.setState('error', (e as Error).message);
    }
    return this.status();
  }

  /** Replaces the printer setting (waits for the job in flight). */
  async configure(config: unknown): Promise<PrinterConfig> {
    const parsed = parsePrinterConfig(config);
    await this.exclusive(async () => {
      this.config = parsed;
      this.transport = openTransport(parsed);
      this.qrMode = undefined;
      this.state = this.transport.kind === 'virtual' ? { printer: 'virtual' } : { printer: 'ready', message: 'not checked yet' };
    });
    this.emitChange();
    void this.refreshStatus();
    this.kick();
    return parsed;
  }

  // ---------- requests ----------

  /** Queues a reprint of an issued invoice; it prints "COPY" and never opens the drawer. */
  reprint(irn: string): { request: number } {
    const inv = this.o.ledger.findByIrn(irn);
    if (!inv) throw new InvalidInput(`irn: no invoice ${irn} in this ledger`);
    const request = this.jobs.enqueueCopy(inv.counter, this.now());
    this.emitChange();
    this.kick();
    return { request };
  }

  /** The receipt as it would print (PNG and text), without printing. */
  preview(irn: string, options: { width?: PaperWidth; copy?: boolean } = {}): ReceiptPreview {
    const inv = this.o.ledger.findByIrn(irn);
    if (!inv) throw new InvalidInput(`irn: no invoice ${irn} in this ledger`);
    const layout = this.layoutFor(inv, options.copy === true, options.width ?? this.config.width);
    return previewOf(layout);
  }

  /** Prints a test page straight away (not queued) and reports what happened. */
  async testPrint(): Promise<{ ok: boolean; message: string; status: PrintStatus }> {
    return this.exclusive(async () => {
      const layout = testLayout(this.config.width, this.o.ledger.getBusiness()?.name ?? 'TaxPoynt POS');
      try {
        const bytes = renderEscpos(layout, {
          commands: this.config.type,
          qr: await this.resolveQrMode(),
          cut: this.config.cut,
          drawer: false,
        });
        const out = await this.transport.print({ name: `test-${this.now()}`, bytes, layout }, () => undefined);
        const stop = blocking(out.after);
        if (stop) this.setState(out.after?.paperOut ? 'paper_out' : 'error', stop.message);
        else this.setState(this.transport.kind === 'virtual' ? 'virtual' : 'ready', out.after ? describeStatus(out.after) : undefined);
        return { ok: !stop, message: stop ? stop.message : `test page sent to ${this.transport.description}`, status: this.status() };
      } catch (e) {
        const state = e instanceof NotSent ? NOT_SENT_STATE[e.reason] : 'error';
        this.setState(state, (e as Error).message);
        return { ok: false, message: (e as Error).message, status: this.status() };
      }
    });
  }

  /** The virtual printer, when that is what prints (UI preview of the last jobs, support). */
  get virtual(): Transport | undefined {
    return this.transport.kind === 'virtual' ? this.transport : undefined;
  }

  // ---------- the worker ----------

  private nairaSymbol(): boolean {
    return this.config.naira === 'auto' && this.transport.kind === 'virtual';
  }

  private layoutFor(inv: IssuedInvoice, copy: boolean, width: PaperWidth): ReceiptLayout {
    const business = this.o.ledger.getBusiness();
    if (!business) throw new Error('this terminal is not set up');
    return layoutReceipt(buildReceipt(inv, business, { copy }), { width, nairaSymbol: this.nairaSymbol() });
  }

  private async resolveQrMode(): Promise<QrMode> {
    if (this.config.qr !== 'auto') return this.config.qr;
    if (this.qrMode) return this.qrMode;
    if (this.transport.kind === 'virtual' || this.config.type === 'star') {
      this.qrMode = 'native';
    } else {
      // Epson: ask the model (GS I). No answer, or a model without GS ( k: the raster image,
      // which every ESC/POS printer prints.
      const model = (await this.transport.probe().catch(() => undefined))?.model;
      if (model === undefined) return 'raster'; // not cached: the printer may just be off
      this.qrMode = NO_NATIVE_QR.test(model) ? 'raster' : 'native';
    }
    return this.qrMode;
  }

  private invoiceByCounter(counter: number): IssuedInvoice {
    const irn = new InvoiceQueries(this.o.db).irnOf(counter);
    const inv = irn === undefined ? undefined : this.o.ledger.findByIrn(irn);
    if (!inv) throw new Error(`invoice #${counter} is missing from the ledger`);
    return inv;
  }

  private async payloadFor(job: ClaimedPrintJob): Promise<PrintPayload> {
    const qr = await this.resolveQrMode();
    if (job.kind === 'test') {
      const layout = testLayout(this.config.width, this.o.ledger.getBusiness()?.name ?? 'TaxPoynt POS');
      return {
        name: `test-${job.key.source === 'request' ? job.key.id : 0}`,
        layout,
        bytes: renderEscpos(layout, { commands: this.config.type, qr, cut: this.config.cut, drawer: false }),
      };
    }
    const inv = this.invoiceByCounter(job.counter!);
    const copy = job.kind === 'copy';
    const layout = this.layoutFor(inv, copy, this.config.width);
    const bytes = renderEscpos(layout, { commands: this.config.type, qr, cut: this.config.cut, drawer: this.config.cash_drawer && !copy });
    return { name: copy && job.key.source === 'request' ? `${inv.invoice_number}-copy-${job.key.id}` : inv.invoice_number, layout, bytes };
  }

  private delay(attempts: number): number {
    return Math.min(this.backoff.maxMs, this.backoff.baseMs * 2 ** Math.max(0, attempts - 1));
  }

  /** Records an outcome; on a full disk keeps it to record later (see `unsaved`). False if kept. */
  private record(outcome: () => void): boolean {
    try {
      outcome();
      this.unsaved = undefined;
      return true;
    } catch (e) {
      if (e instanceof LeaseLost) {
        this.unsaved = undefined; // another worker recovered the job: nothing left to settle here
        return true;
      }
      if (!isDiskFull(e)) throw e;
      this.unsaved = outcome;
      this.setState('error', 'the disk is full: the print queue waits until there is space again');
      this.o.onDiskFull?.();
      return false;
    }
  }

  /** One due job, start to finish. False when nothing is due (or a kept outcome still cannot be written). */
  private async processOne(): Promise<boolean> {
    if (this.unsaved) {
      const outcome = this.unsaved;
      const saved = await this.exclusive(async () => this.record(outcome));
      if (!saved) return false;
      this.emitChange();
    }
    const job = this.jobs.claim(this.owner, this.now(), this.leaseMs);
    if (!job) return false;
    const late = this.o.lateCaptureMs;
    if (late !== undefined && job.kind === 'original' && job.counter !== null) {
      const delay = this.jobs.captureDelayMs(job.counter);
      if (delay > late) {
        const minutes = Math.round(delay / 60_000);
        this.jobs.skip(
          job.key,
          this.owner,
          `not printed automatically: captured ${minutes} min after the sale (print it on request)`,
          this.now(),
        );
        this.emitChange();
        return true;
      }
    }
    await this.exclusive(async () => {
      let attemptId: number | undefined;
      // The outcome is decided first and written once (record), so a full disk cannot turn a
      // printed receipt into "unconfirmed" or leave it "sending".
      let outcome: () => void;
      let state: { printer: PrinterState; message?: string };
      try {
        const payload = await this.payloadFor(job);
        const out = await this.transport.print(payload, () => {
          attemptId = this.jobs.beginAttempt(job.key, this.owner, this.now());
        });
        const stop = blocking(out.after);
        const now = this.now();
        if (stop) {
          const sent = attemptId!;
          outcome = () =>
            this.jobs.unconfirmed(
              job.key,
              this.owner,
              `the printer reported "${describeStatus(out.after!)}" right after this receipt was sent, so it may be incomplete: check it and reprint if needed`,
              now,
              sent,
            );
          state = { printer: out.after!.paperOut ? 'paper_out' : 'error', message: stop.message };
        } else {
          const sent = attemptId!;
          outcome = () => this.jobs.printed(job.key, this.owner, sent, now);
          state = {
            printer: this.transport.kind === 'virtual' ? 'virtual' : 'ready',
            ...(out.after ? { message: describeStatus(out.after) } : {}),
          };
        }
      } catch (e) {
        const err = e as Error;
        if (err instanceof LeaseLost) return; // another worker recovered it; nothing to settle
        const now = this.now();
        const sent = attemptId;
        if (err instanceof NotSent || sent === undefined) {
          outcome = () => this.jobs.retryLater(job.key, this.owner, err.message, now + this.delay(job.attempts), now, sent);
          state = { printer: err instanceof NotSent ? NOT_SENT_STATE[err.reason] : 'error', message: err.message };
        } else {
          outcome = () =>
            this.jobs.unconfirmed(
              job.key,
              this.owner,
              `the connection to the printer failed while this receipt was being sent (${err.message}); it may or may not have printed`,
              now,
              sent,
            );
          state = { printer: 'offline', message: err.message };
        }
      }
      if (this.record(outcome)) this.setState(state.printer, state.message);
    });
    this.emitChange();
    return true;
  }
}

/** A short page with a QR, to check a printer's setting. */
function testLayout(width: PaperWidth, name: string): ReceiptLayout {
  const cols = COLUMNS[width];
  const line = (t: string): ReceiptBlock => ({ kind: 'text', text: t.slice(0, cols).padEnd(cols) });
  return {
    width,
    columns: cols,
    drawer: false,
    blocks: [
      line(name),
      line('Printer test page'),
      line(`Paper ${width} mm, ${cols} columns`),
      { kind: 'rule' },
      { kind: 'qr', data: 'TaxPoynt POS printer test' },
      { kind: 'feed' },
    ],
  };
}

export interface ReceiptPreview {
  png: Buffer;
  text: string;
  /** Exactly what the printer prints (its code page: ọ→o, ₦→N): image and text. */
  printedPng: Buffer;
  printedText: string;
}

/** The preview of a layout: as laid out (the marked letters drawn), and as the printer prints it. */
export function previewOf(layout: ReceiptLayout): ReceiptPreview {
  const printed = asPrinted(layout);
  return { png: renderPng(layout), text: layoutToText(layout), printedPng: renderPng(printed), printedText: layoutToText(printed) };
}
