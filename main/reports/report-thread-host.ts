// The app's handle on the report thread (report-thread.ts): the Electron main and `serve` make
// the Z report PDF through it, so pdfkit's layout never runs on the till's event loop (issue 15:
// a till sale waited up to 32 ms while a manager saved a Z PDF) and its fonts never sit in the
// app's heap. The thread starts with the first job and ends once idle for IDLE_MS (a Z PDF is a
// few times a day; its ~30 MB are given back). A thread that dies fails its jobs with an error
// saying so; the next job starts a new one. Without the bundled script (a checkout that was never
// built) the PDF is made on this thread, yielding after each line, and that is logged once.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ZReport } from '../../shared/ipc/contract';
import { zReportPdf } from './z-report-pdf';
import type { ReportJob, ReportReply } from './report-thread-protocol';

/** How long an idle report thread is kept for the next job (a manager saving several days' Z). */
export const IDLE_MS = 250;

interface Pending {
  resolve: (bytes: Buffer) => void;
  reject: (e: Error) => void;
}

export class ReportThread {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  private idle: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly o: { script: string; idleMs?: number }) {}

  /** True while a thread runs. */
  get running(): boolean {
    return this.worker !== undefined;
  }

  zReportPdf(z: ZReport): Promise<Buffer> {
    return this.run({ id: ++this.seq, type: 'zReportPdf', z });
  }

  /** Ends the thread now; jobs in flight fail. */
  async close(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    this.failAll(w, new Error('the report thread was closed before the job finished'));
    await w.terminate();
  }

  private run(job: ReportJob): Promise<Buffer> {
    const w = this.ensure();
    if (this.idle) clearTimeout(this.idle);
    this.idle = undefined;
    w.ref(); // a job in flight keeps the process alive
    return new Promise<Buffer>((resolve, reject) => {
      this.pending.set(job.id, { resolve, reject });
      w.postMessage(job);
    });
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.o.script);
    this.worker = w;
    w.on('message', (m: ReportReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength));
      else p.reject(new Error(m.message));
      if (this.pending.size === 0 && this.worker === w) this.whenIdle(w);
    });
    w.on('error', (e) => this.failAll(w, new Error(`the report thread failed (${e.message}); nothing was made: try again`)));
    w.on('exit', (code) => this.failAll(w, new Error(`the report thread stopped (exit code ${code}); nothing was made: try again`)));
    return w;
  }

  private whenIdle(w: Worker): void {
    w.unref();
    this.idle = setTimeout(() => {
      if (this.worker !== w || this.pending.size) return;
      this.worker = undefined;
      void w.terminate();
    }, this.o.idleMs ?? IDLE_MS);
    this.idle.unref();
  }

  /** The thread `w` is gone: its jobs fail with `e`, and the next job starts a new thread. */
  private failAll(w: Worker, e: Error): void {
    if (this.worker !== w) return;
    this.worker = undefined;
    if (this.idle) clearTimeout(this.idle);
    this.idle = undefined;
    const jobs = [...this.pending.values()];
    this.pending.clear();
    for (const p of jobs) p.reject(e);
  }
}

/**
 * The bundled thread script: beside the bundle that runs (dist/main/cli.cjs or electron.cjs, also
 * inside app.asar), else dist/main of a source checkout (tests, benches in dist/bench).
 */
export function reportThreadScript(): string | undefined {
  const candidates = [join(__dirname, 'report-thread.cjs'), join(__dirname, '..', '..', 'dist', 'main', 'report-thread.cjs')];
  return candidates.find((c) => existsSync(c));
}

let shared: ReportThread | null | undefined;

/** The Z report PDF, made in the process's report thread (on this thread when it was never built). */
export async function renderZReportPdf(z: ZReport, log: (m: string) => void = (m) => process.stderr.write(`${m}\n`)): Promise<Buffer> {
  if (shared === undefined) {
    const script = reportThreadScript();
    shared = script ? new ReportThread({ script }) : null;
    if (!shared) log("reports: the Z PDF is made on the till's thread: dist/main/report-thread.cjs was not found (npm run build)");
  }
  return shared ? shared.zReportPdf(z) : zReportPdf(z);
}
