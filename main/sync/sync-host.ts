// The app's handle on the sync when it runs in a worker thread (sync-thread.ts): the same API as
// SyncService, so the composition root can use either. Reads (problems, attempts, report state)
// and the small writes a manager asks for (requeue, retry now) run here on the app's connection,
// in one short statement each; the sending runs in the worker. A worker that dies is restarted.
import { EventEmitter } from 'node:events';
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

  start(): void {
    this.wanted = true;
    if (this.worker) return;
    const { db: _db, script, log: _log, restartMs: _r, ...options } = this.o;
    const worker = new Worker(script, { workerData: { file: this.o.db.name, options } });
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
      const done = () => {
        resolve();
      };
      worker.once('exit', done);
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

  /** The worker's last pushed status; the queue read here until the first push. */
  status(): SyncStatus {
    const q = queueStatus(this.jobs, Date.now());
    if (!this.last) return { online: true, authPaused: false, ...q };
    // Queue figures read fresh (one short query): a requeue here shows at once.
    return { ...this.last, ...q, ...(this.last.lastError && !q.lastError ? { lastError: this.last.lastError } : {}) };
  }

  retryNow(): number {
    const n = this.jobs.retryNow();
    this.send({ type: 'retryNow' });
    return n;
  }

  requeue(irn: string): boolean {
    const ok = this.jobs.requeue(irn);
    if (ok) this.send({ type: 'wake' });
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

  private send(c: ThreadCommand): void {
    this.worker?.postMessage(c);
  }
}
