// The reports at scale (issue 15), for bench/system.ts scaleBench: the day summary and the Z report
// of a 10,000-invoice day, the Z PDF, the CSV export of the longest range the app allows (streamed:
// time, RSS growth, and how long the event loop waited meanwhile, i.e. what a till sale would), and
// the memory of a process running the app's services after a day's reports and the Z PDF, with the
// till's sale latency while a manager runs them.
//
// `node dist/bench/reports.cjs [--quick]` measures these rows alone on a COPY of the cached scale
// ledger (the copy is upgraded to this schema; the cache is left as it is).
import { fork } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { scaleDay, scaleLedgerFile, scaleSale, PER_DAY } from './scale-ledger';
import type { Db } from '../main/ledger/database';
import type { Data } from '../main/ledger/data';
import { openDatabase } from '../main/ledger/database';
import { openData } from '../main/ledger/data';
import { Ledger } from '../main/ledger/ledger';
import { summaryFromTotals } from '../shared/reports/day-summary';
import { closeDay, zReport } from '../main/features/reports/z-service';
import { renderZReportPdf } from '../main/reports/report-thread-host';
import { csvChunks } from '../main/features/reports/csv-export';
import { AppServices } from '../main/app/services';
import { HANDLERS, ManagerSession } from '../main/app/handlers';
import { pct, r2, time } from './stats';

export interface ReportRow {
  name: string;
  unit: string;
  value: number;
  target: number | null;
  sense?: 'max' | 'min';
  floor?: number;
}

const mb = (bytes: number) => Math.round(bytes / 1e6);

/** CPU time this (main) thread has run, in ms: Linux's per-thread schedstat, else the process's (all threads). */
function threadCpuMs(): number {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'latin1').split(' ')[0]) / 1e6;
  } catch {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1000;
  }
}

/**
 * The synchronous slices of this thread's event loop while it runs: the CPU time between two
 * turns (setImmediate ticks), i.e. how long a request queued meanwhile waits for the loop, without
 * the time the machine's load takes the CPU away (wall-clock waits on a loaded 2-core machine
 * are mostly other processes). `stop()` gives the slices in ms.
 */
export function sliceProbe(): { stop: () => number[] } {
  const slices: number[] = [];
  let on = true;
  let last = threadCpuMs();
  const tick = () => {
    const now = threadCpuMs();
    slices.push(now - last);
    last = now;
    if (on) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    stop: () => {
      on = false;
      return slices;
    },
  };
}

/** Day summary, Z report, Z PDF and the CSV export on an open scale ledger (`days` days of PER_DAY invoices). */
export async function reportRows(db: Db, data: Data, days: number, add: (r: ReportRow) => void): Promise<void> {
  const day = scaleDay(Math.floor(days / 2));
  const floorRead = Array.from({ length: 10 }, () => time(() => db.prepare('SELECT counter FROM invoices WHERE issue_date = ?').all(day)));
  const summary = Array.from({ length: 10 }, () => time(() => summaryFromTotals(day, data.reportTotals.day(day)!)));
  add({ name: 'day summary 10k', unit: 'ms', value: r2(pct(summary, 50)), target: 100, sense: 'max', floor: r2(pct(floorRead, 50)) });
  const ctx = { business: new Ledger(db).getBusiness()!, now: new Date(), demo: false, today: scaleDay(days + 1) };
  // A store closes every day: the days before are closed (in a transaction rolled back after, so
  // the cached ledger stays as built), and the day's Z report is its 10,000 invoices.
  let z: ReturnType<typeof zReport> | undefined;
  let zMs: number[];
  db.exec('BEGIN IMMEDIATE');
  try {
    for (let d = 0; d < Math.floor(days / 2); d++) closeDay(data, scaleDay(d), ctx);
    zMs = Array.from({ length: 10 }, () => time(() => (z = zReport(data, day, ctx))));
  } finally {
    db.exec('ROLLBACK');
  }
  add({ name: 'z report 10k', unit: 'ms', value: r2(pct(zMs, 50)), target: 100, sense: 'max', floor: r2(pct(floorRead, 50)) });
  if (z!.total.count !== PER_DAY) throw new Error(`z report of ${day} counts ${z!.total.count}, not ${PER_DAY}`);
  // As the app makes it: in the report thread (the first one starts the thread).
  const pdfMs: number[] = [];
  const pdfProbe = sliceProbe();
  for (let i = 0; i < 5; i++) {
    const t = process.hrtime.bigint();
    await renderZReportPdf(z!);
    pdfMs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const pdfSlices = pdfProbe.stop();
  add({ name: 'z report PDF 10k (report thread)', unit: 'ms', value: r2(pct(pdfMs, 50)), target: null });
  add({ name: "z report PDF: longest slice on the till's thread (CPU)", unit: 'ms', value: r2(Math.max(...pdfSlices)), target: null });

  // The CSV export of the longest range, streamed to a sink that drops it (the HTTP response's place).
  const n = Math.min(days, 92);
  const range = Array.from({ length: n }, (_, d) => scaleDay(d));
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  let bytes = 0;
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  const probe = sliceProbe();
  const t = Date.now();
  const count = { rows: 0 };
  for await (const chunk of csvChunks(data, range, count)) {
    bytes += Buffer.byteLength(chunk);
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  const csvMs = Date.now() - t;
  lag.disable();
  const slices = probe.stop();
  add({ name: `csv export ${n} days (${count.rows} invoices, streamed)`, unit: 'ms', value: csvMs, target: null });
  add({ name: 'csv export RSS growth', unit: 'MB', value: mb(peak - rss0), target: 150, sense: 'max' });
  add({ name: 'csv export bytes', unit: 'MB', value: r2(bytes / 1e6), target: null });
  add({
    name: 'event-loop wait p99 during the CSV export (a till sale waits this)',
    unit: 'ms',
    value: r2(lag.percentile(99) / 1e6),
    target: 20,
    sense: 'max',
  });
  // The same wait without the machine's load: the CPU the export runs between two turns of the loop.
  add({ name: "CSV export: slice p99 on the till's thread (CPU)", unit: 'ms', value: r2(pct(slices, 99)), target: null });
  add({ name: "CSV export: longest slice on the till's thread (CPU)", unit: 'ms', value: r2(Math.max(...slices)), target: null });
}

/**
 * A child process with the app's services on a copy of `file` (as `serve` runs them): a till
 * issues a sale every 20 ms, alone for 3 s (the floor: the same sales with nothing else running),
 * then while a manager runs the day summary, the Z report and the Z PDF ten times; then its RSS.
 * The child's message is the rows.
 */
export async function serveMemoryRows(file: string, days: number, script: string, add: (r: ReportRow) => void): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tpos-bench-serve-'));
  copyFileSync(file, join(dataDir, 'ledger.db'));
  try {
    const child = fork(script, ['--serve-child', dataDir, String(Math.floor(days / 2))], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [],
    });
    const rows = await new Promise<ReportRow[]>((resolve, reject) => {
      child.once('message', (m) => resolve(m as ReportRow[]));
      child.once('exit', (code) => reject(new Error(`serve child exited with ${code}`)));
    });
    child.kill();
    for (const r of rows) add(r);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function serveChild(dataDir: string, dayIndex: number): Promise<void> {
  const services = new AppServices({ dataDir, mode: 'browser', demoFeedMs: 0, log: () => {} });
  services.start();
  const day = scaleDay(dayIndex);
  const session = new ManagerSession(() => Date.now());
  session.unlock();
  const call = (channel: keyof typeof HANDLERS, req: unknown) =>
    (HANDLERS[channel] as (r: unknown, c: unknown) => unknown)(req, { services, session });
  // The days before are closed, as a store does every evening (a copy of the ledger: nothing kept).
  for (let d = 0; d < dayIndex; d++) await call('reports.closeDay', { date: scaleDay(d) });
  await new Promise((r) => setTimeout(r, 1_000));
  const rssStart = process.memoryUsage().rss;
  // The till: a sale every 20 ms, each queued on the event loop like a request.
  const sales: number[] = [];
  const rssPeak = { value: 0 };
  let stop = false;
  let i = 0;
  const till = (async () => {
    while (!stop) {
      const t = process.hrtime.bigint();
      await new Promise((r) => setImmediate(r));
      services.ledger.issue(scaleSale(i++, 3, `serve-${process.pid}`));
      sales.push(Number(process.hrtime.bigint() - t) / 1e6);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  // The till alone first (its floor on this machine: a durable commit per sale), then the manager
  // meanwhile: a day's reports and the Z PDF, ten times over.
  const aloneProbe = sliceProbe();
  await new Promise((r) => setTimeout(r, 3_000));
  const aloneSlices = aloneProbe.stop();
  const alone = sales.splice(0);
  const probe = sliceProbe();
  for (let k = 0; k < 10; k++) {
    await call('reports.daySummary', { date: day });
    await call('reports.zReport', { date: day });
    await call('export.zReportPdf', { date: day });
    rssPeak.value = Math.max(rssPeak.value, process.memoryUsage().rss);
    await new Promise((r) => setTimeout(r, 50));
  }
  const slices = probe.stop();
  stop = true;
  await till;
  // The report thread ends 250 ms after its last PDF (report-thread-host.ts IDLE_MS) and gives its memory back.
  await new Promise((r) => setTimeout(r, 500));
  const rss = process.memoryUsage().rss;
  const m = process.memoryUsage();
  process.send!([
    {
      name: 'till sale p99 while a manager runs reports + Z PDF',
      unit: 'ms',
      value: r2(pct(sales, 99)),
      target: 20,
      sense: 'max',
      floor: r2(pct(alone, 99)),
    },
    {
      name: "till's thread: longest slice while a manager runs reports + Z PDF (CPU)",
      unit: 'ms',
      value: r2(Math.max(...slices)),
      target: null,
      floor: r2(Math.max(...aloneSlices)),
    },
    { name: 'serve RSS at start (app services, scale ledger)', unit: 'MB', value: mb(rssStart), target: null },
    { name: 'serve RSS peak during the reports + Z PDF (report thread running)', unit: 'MB', value: mb(rssPeak.value), target: null },
    { name: "serve memory after a day's reports and the Z PDF", unit: 'MB', value: mb(rss), target: 150, sense: 'max' },
    { name: 'serve memory: V8 heap (total)', unit: 'MB', value: mb(m.heapTotal), target: null },
    { name: 'serve memory: external', unit: 'MB', value: mb(m.external), target: null },
  ] satisfies ReportRow[]);
  await services.stop();
}

async function main(): Promise<void> {
  const size = process.argv.includes('--quick') ? 100_000 : 1_000_000;
  const cached = scaleLedgerFile(size, (m) => process.stderr.write(`  ${m}\n`));
  const dir = mkdtempSync(join(tmpdir(), 'tpos-bench-reports-'));
  const file = join(dir, 'ledger.db');
  copyFileSync(cached, file);
  const add = (r: ReportRow) => process.stdout.write(`| ${r.name} | ${r.value} ${r.unit} | ${r.target ?? '-'} | ${r.floor ?? '-'} |\n`);
  try {
    const t = Date.now();
    const db = openDatabase(file); // upgrades the copy (021 adds up the ledger once)
    process.stderr.write(`  opened (and upgraded) the copy in ${Date.now() - t} ms\n`);
    await reportRows(db, openData(db), size / PER_DAY, add);
    db.close();
    await serveMemoryRows(file, size / PER_DAY, __filename, add);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Only when run as reports.cjs itself: bench/system.ts bundles this module, and in that bundle
// `require.main === module` holds too (it would start a second bench beside the first).
if (require.main === module && /reports\.(c?js|ts)$/.test(process.argv[1] ?? '')) {
  if (process.argv[2] === '--serve-child') void serveChild(process.argv[3]!, Number(process.argv[4]));
  else void main();
}
