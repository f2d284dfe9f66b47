// The register-link source: runs each enabled link (serial port or TCP print port) with its
// processor, arms the idle-gap timer in print mode, answers ACK/NAK in sales mode, and reports
// each link's state for the till's connection strip.
import { EventEmitter } from 'node:events';
import type { Db } from '../../ledger/database';
import type { Ledger } from '../../ledger/ledger';
import { ReviewQueue } from '../../ledger/review-queue';
import { RegisterLinkStore, type CaptureStatus } from '../../ledger/register-link-store';
import type { LinkConfig, RegisterLinkSettings } from '../../../shared/sources/register-link/settings';
import { LinkProcessor, type CaptureEvent } from './processor';
import { SerialLink, TcpLink, type LinkIO, type LinkState } from './links';

export interface LinkStatus {
  id: string;
  mode: LinkConfig['mode'];
  description: string;
  state: LinkState | 'failed';
  message: string | null;
  lastDataAt: number | null;
  counts: Record<CaptureStatus, number>;
  /** The TCP port actually listened on (port 0 in settings picks a free one). */
  port?: number;
}

export interface RegisterLinkServiceOptions {
  db: Db;
  ledger: Ledger;
  settings: RegisterLinkSettings;
  now?: () => number;
  /** Sends a register's own receipt bytes to the real printer (pass-through). */
  passThrough?: (raw: Uint8Array) => Promise<void>;
  /** Called after an invoice was issued (the print service prints the fiscal receipt). */
  onIssued?: () => void;
  /** A write failed for lack of disk space (sales lines are NAKed "disk full"; the app watches for room). */
  onDiskFull?: () => void;
  log?: (message: string) => void;
}

interface Running {
  cfg: LinkConfig;
  io: LinkIO;
  processor: LinkProcessor;
  idleTimer?: NodeJS.Timeout;
  lastDataAt: number | null;
}

export class RegisterLinkService extends EventEmitter {
  private readonly running = new Map<string, Running>();
  readonly store: RegisterLinkStore;
  private readonly review: ReviewQueue;
  private readonly now: () => number;

  constructor(private readonly o: RegisterLinkServiceOptions) {
    super();
    this.now = o.now ?? Date.now;
    this.store = new RegisterLinkStore(o.db, this.now);
    this.review = new ReviewQueue(o.db, this.now);
  }

  async start(): Promise<void> {
    for (const cfg of this.o.settings.links.filter((l) => l.enabled)) {
      const template = cfg.template ? this.o.settings.templates.find((t) => t.id === cfg.template) : undefined;
      const io: LinkIO = cfg.port.kind === 'serial' ? new SerialLink(cfg.port, cfg.reconnectMs) : new TcpLink(cfg.port);
      const processor = new LinkProcessor({
        db: this.o.db,
        ledger: this.o.ledger,
        store: this.store,
        review: this.review,
        link: cfg,
        ...(template ? { template } : {}),
        now: this.now,
        ...(this.o.passThrough ? { passThrough: this.o.passThrough } : {}),
        reply: (line) => {
          io.write(line);
        },
        onCapture: (e) => this.captured(e),
        ...(this.o.onDiskFull ? { onDiskFull: this.o.onDiskFull } : {}),
        onFailure: () => {
          this.emit('change');
          const t = setTimeout(() => {
            if (this.running.get(cfg.id) === r) this.safely(r, () => r.processor.recover());
          }, cfg.reconnectMs);
          t.unref();
        },
        ...(this.o.log ? { log: this.o.log } : {}),
      });
      const r: Running = { cfg, io, processor, lastDataAt: null };
      this.running.set(cfg.id, r);
      processor.recover(); // bytes journalled before a crash are handled before new ones arrive
      io.on('data', (b) => this.onData(r, b));
      io.on('end-of-job', () => this.endOfJob(r));
      io.on('state', () => this.emit('change'));
      try {
        await io.start();
      } catch (e) {
        this.o.log?.(`register link ${cfg.id}: ${(e as Error).message}`);
        throw new Error(`register link ${cfg.id} (${io.description}): ${(e as Error).message}`, { cause: e });
      }
    }
    this.emit('change');
  }

  private onData(r: Running, b: Buffer): void {
    try {
      r.processor.data(b);
    } catch (e) {
      // Journalling failed (disk full, database locked too long): nothing was acknowledged.
      this.o.log?.(`register link ${r.cfg.id}: could not journal ${b.length} bytes: ${(e as Error).message}`);
      return;
    }
    r.lastDataAt = this.now();
    if (r.cfg.mode === 'print') {
      if (r.idleTimer) clearTimeout(r.idleTimer);
      r.idleTimer = setTimeout(() => {
        r.idleTimer = undefined;
        if (r.processor.pending > 0) this.safely(r, () => r.processor.boundary('idle'));
      }, r.cfg.idleGapMs);
    }
    this.emit('change');
  }

  private endOfJob(r: Running): void {
    if (r.idleTimer) clearTimeout(r.idleTimer);
    r.idleTimer = undefined;
    this.safely(r, () => r.processor.boundary('end-of-job'));
  }

  private safely(r: Running, work: () => void): void {
    try {
      work();
    } catch (e) {
      this.o.log?.(`register link ${r.cfg.id}: ${(e as Error).message}`);
    }
  }

  private captured(e: CaptureEvent): void {
    if (e.status === 'issued' && !e.duplicate) this.o.onIssued?.();
    this.emit('capture', e);
    this.emit('change');
  }

  /** Resolves when every piece received so far has been handled (tests, CLI --until-idle). */
  async idle(): Promise<void> {
    await Promise.all([...this.running.values()].map((r) => r.processor.idle()));
  }

  async stop(): Promise<void> {
    for (const r of this.running.values()) {
      if (r.idleTimer) clearTimeout(r.idleTimer);
      r.idleTimer = undefined;
    }
    await Promise.all([...this.running.values()].map((r) => r.io.stop()));
    await this.idle();
    this.running.clear();
    this.emit('change');
  }

  status(): LinkStatus[] {
    return [...this.running.values()].map((r) => {
      const failed = r.processor.error;
      return {
        id: r.cfg.id,
        mode: r.cfg.mode,
        description: r.io.description,
        state: failed ? 'failed' : r.io.state,
        message: failed ? failed.message : (r.io.message ?? null),
        lastDataAt: r.lastDataAt,
        counts: this.store.counts(r.cfg.id),
        ...(r.io instanceof TcpLink ? { port: r.io.port } : {}),
      };
    });
  }
}
