// The app's handle on the sync when it runs in a worker thread (sync-thread.ts): the same API as
// SyncService, so the composition root can use either. The worker sends, records and counts the
// queue on its own connection and pushes the status here; the app's thread reads nothing for the
// status strip once the first status arrived. Reads a manager asks for (problems, attempts, report
// state) and the small writes (requeue, retry now) run here, one short statement each, and ask
// the worker for a fresh status. A worker that dies has its leases ended and is restarted.
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { Db } from '../ledger/database';
import { ReportJobs, type AttemptRow, type Problem } from '../ledger/report-jobs';
import { queueStatus } from './queue-status';
import type { SyncLog, SyncStatus } from './sync-service';
import type { ThreadCommand, ThreadEvent, ThreadOptions } from './sync-thread-protocol';

export interface SyncThreadHostOptions extends ThreadOptions {
  db: Db;
  /** Path of the bundled worker script (dist/main/sync-thread.cjs). */
  script: string;
  log?: SyncLog;
  /** Wait before restarting a worker that died. */
  restartMs?: number;
}

export class SyncThreadHost {
  private readonly jobs: ReportJobs;
  private readonly events = new EventEmitter();
  private readonly log: SyncLog;
  private worker: Worker | undefined;
  private workerId = '';
  private last: SyncStatus | undefined;
  private wanted = false;
  private stopping: Promise<void> | undefined;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly o: SyncThreadHostOptions) {
    if (o.db.memory) throw new Error('the sync thread needs the ledger in a file (an in-memory database is not shared between threads)');
    this.jobs = new ReportJobs(o.db);
    this.log = o.log ?? ((level, message) => process.stderr.write(`[sync] ${level}: ${message}\n`));
  }

  on(event: 'change', cb: (status: SyncStatus) => void): () => void {
    this.events.on(event, cb);
    return () => this.events.off(event, cb);
  }

  /** True while a worker thread runs. */
  get running(): boolean {
    return this.worker !== undefined;
  }

  start(): void {
    this.wanted = true;
    if (this.worker) return;
    const { db: _db, script, log: _log, restartMs: _r, ...options } = this.o;
    // Our own lease-owner name per worker (host:pid:nonce): a dead worker's leases can be ended at once.
    const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.workerId = workerId;
    const worker = new Worker(script, { workerData: { file: this.o.db.name, options: { ...options, workerId } } });
    this.worker = worker;
    worker.on('message', (e: ThreadEvent) => {
      if (e.type === 'status') {
        this.last = e.status;
        this.events.emit('change', e.status);
      } else if (e.type === 'log') this.log(e.level, e.message);
    });
    worker.on('error', (err) => this.log('error', `sync thread failed: ${err.message}`));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      if (this.wanted && !this.stopping) {
        this.log('error', `sync thread exited (${code}); restarting`);
        this.releaseLeases(workerId);
        this.restartTimer = setTimeout(() => this.wanted && this.start(), this.o.restartMs ?? 2_000);
      }
    });
    this.send({ type: 'start' });
  }

  /** Stops the worker after its in-flight requests are answered and recorded. */
  async stop(): Promise<void> {
    this.wanted = false;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (!worker) return;
    this.stopping ??= new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      worker.on('message', (e: ThreadEvent) => {
        if (e.type === 'stopped') void worker.terminate();
      });
      worker.postMessage({ type: 'stop' } satisfies ThreadCommand);
    }).finally(() => {
      this.stopping = undefined;
      this.worker = undefined;
    });
    return this.stopping;
  }

  /** The worker's last pushed status (counted on its connection); read here only until the first push. */
  status(): SyncStatus {
    if (this.last) return this.last;
    return { online: true, authPaused: false, ...queueStatus(this.jobs, Date.now()) };
  }

  retryNow(): number {
    const n = this.jobs.retryNow();
    this.send({ type: 'retryNow' });
    return n;
  }

  requeue(irn: string): boolean {
    const ok = this.jobs.requeue(irn);
    if (ok) {
      this.send({ type: 'wake' });
      this.send({ type: 'status' });
    }
    return ok;
  }

  /** New work (e.g. a B2B invoice was just issued): the worker looks now. */
  wake(): void {
    this.send({ type: 'wake' });
  }

  listProblems(): Problem[] {
    return this.jobs.problems();
  }

  attempts(irn: string): AttemptRow[] {
    return this.jobs.attempts(irn);
  }

  reportState(irn: string): ReturnType<ReportJobs['result']> {
    return this.jobs.result(irn);
  }

  /** A worker that died mid-request: its jobs are due now, and confirmed before any resend. */
  private releaseLeases(workerId: string): void {
    try {
      const n = this.jobs.expireLeases(workerId);
      if (n > 0) this.log('info', `${n} report(s) the stopped sync thread held are due again (confirmed before any resend)`);
    } catch (e) {
      this.log('error', `sync thread leases: ${(e as Error).message}`);
    }
  }

  private send(c: ThreadCommand): void {
    this.worker?.postMessage(c);
  }
}
