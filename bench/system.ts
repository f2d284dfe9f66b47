// `npm run bench` (whole system, issue 15): issuing against its floor, receipts, the day view,
// reports and export on a large ledger, the sync's drain on an empty and a large ledger with the
// till's latency meanwhile, startup, memory and idle CPU. Prints a table and writes
// bench/results.json ([{name, unit, value, target, met, machine, date}]). `--quick` uses a 100k
// ledger instead of 1M (built once through the ledger's API, cached under the temp folder).
// Never a test: timings are measured here, not asserted.
import { execFileSync, fork } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { benchLedger } from './bench-ledger';
import { scaleDay, scaleLedgerFile, scaleSale, PER_DAY } from './scale-ledger';
import { openDatabase } from '../main/ledger/database';
import { openData } from '../main/ledger/data';
import { Ledger } from '../main/ledger/ledger';
import { SyncService } from '../main/sync/sync-service';
import { AppServices } from '../main/app/services';
import { reportRows, serveMemoryRows } from './reports';
import { buildReceipt } from '../shared/receipt/receipt';
import { layoutReceipt } from '../shared/receipt/layout';
import { renderEscpos } from '../main/print/escpos-render';
import { renderPng } from '../main/print/png-render';
import { startFakeFirs } from '../test/fakes/firs-server';

const QUICK = process.argv.includes('--quick');
const SIZE = QUICK ? 100_000 : 1_000_000;
const SYNC_TUNING = { ratePerSec: 1_000, burst: 100, concurrency: 64 };

interface Row {
  name: string;
  unit: string;
  value: number;
  target: number | null;
  /** 'max': value must be at most the target; 'min': at least. */
  sense?: 'max' | 'min';
  floor?: number;
  met?: boolean | null;
  machine?: string;
  date?: string;
}
const rows: Row[] = [];
const add = (r: Row) => {
  rows.push(r);
  process.stderr.write(`  ${r.name}: ${r.value} ${r.unit}\n`);
};

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};
const r2 = (x: number) => Math.round(x * 100) / 100;
const time = (fn: () => unknown) => {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function lines(n: number, i: number, tag: string) {
  const s = scaleSale(i, n, tag);
  return { ...s, payments: [{ method: 'cash', amount: '100000.00' }] };
}

async function fakeFirs(latencyMs: number): Promise<{ url: string; key: string; secret: string; stop: () => void }> {
  const child = fork(process.argv[1]!, ['--fake', String(latencyMs)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const f = await new Promise<{ url: string; key: string; secret: string }>((r) => child.once('message', (m) => r(m as never)));
  return { ...f, stop: () => child.kill() };
}

// ---------- 1. issue against the floor ----------
function issueBench(): void {
  const dir = mkdtempSync(join(tmpdir(), 'tpos-bench-sys-'));
  const { db, ledger } = benchLedger(dir);
  db.exec('CREATE TABLE floor (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const floorInsert = db.prepare('INSERT INTO floor (body) VALUES (?)');
  const n = QUICK ? 300 : 2_000;
  let sample: ReturnType<Ledger['issue']>['invoice'] | undefined;
  for (const size of [1, 30]) {
    const issue: number[] = [];
    const floor: number[] = [];
    const first = ledger.issue(lines(size, -1, `w${size}`)).invoice;
    sample ??= first;
    const body = 'x'.repeat(JSON.stringify(first.invoice).length + JSON.stringify(first.sale).length);
    for (let i = 0; i < n; i++) {
      issue.push(time(() => ledger.issue(lines(size, i, `i${size}`))));
      floor.push(time(() => floorInsert.run(body)));
    }
    const f99 = pct(floor, 99);
    add({ name: `issue p50 ${size}-line`, unit: 'ms', value: r2(pct(issue, 50)), target: null, floor: r2(pct(floor, 50)) });
    add({ name: `issue p99 ${size}-line`, unit: 'ms', value: r2(pct(issue, 99)), target: 10, sense: 'max', floor: r2(f99) });
  }
  // Sustained sales/s from one source (each its own durable commit).
  const until = Date.now() + (QUICK ? 3_000 : 10_000);
  let k = 0;
  const t0 = Date.now();
  while (Date.now() < until) ledger.issue(lines(3, k++, 'rate'));
  add({ name: 'sales/s one source', unit: 'sales/s', value: Math.round(k / ((Date.now() - t0) / 1000)), target: null });

  // ---------- 3. receipts ----------
  const business = ledger.getBusiness()!;
  const layout = layoutReceipt(buildReceipt(sample!, business), { width: 80, nairaSymbol: false });
  for (const qr of ['native', 'raster'] as const) {
    let bytes: Buffer = Buffer.alloc(0);
    const ms = Array.from({ length: 50 }, () =>
      time(() => (bytes = renderEscpos(layout, { commands: 'epson', qr, cut: true, drawer: false }))),
    );
    add({ name: `receipt ESC/POS ${qr} QR`, unit: 'ms', value: r2(pct(ms, 50)), target: null });
    add({ name: `receipt ESC/POS ${qr} QR bytes`, unit: 'bytes', value: bytes.length, target: null });
  }
  let png: Buffer = Buffer.alloc(0);
  const pngMs = Array.from({ length: 20 }, () => time(() => (png = renderPng(layout))));
  add({ name: 'receipt PNG 80 mm (only for a preview)', unit: 'ms', value: r2(pct(pngMs, 50)), target: 10, sense: 'max' });
  add({ name: 'receipt PNG bytes', unit: 'bytes', value: png.length, target: null });
  db.close();
  rmSync(dir, { recursive: true, force: true });
}

// ---------- 4. scale ----------
async function scaleBench(file: string): Promise<void> {
  const db = openDatabase(file);
  const data = openData(db);
  const days = SIZE / PER_DAY;
  const day = scaleDay(Math.floor(days / 2));
  const view: number[] = [];
  const search: number[] = [];
  const itemSearch: number[] = [];
  for (let i = 0; i < 30; i++) {
    view.push(time(() => data.dayView.list({ date: day, limit: 50, offset: (i % 5) * 50 })));
    // An invoice number of that day (T01 + 8 digits), and an item name every sale of the day has (the worst case).
    search.push(time(() => data.dayView.list({ date: day, search: `T01${String(SIZE / 2 + i).padStart(8, '0')}`, limit: 50 })));
    itemSearch.push(time(() => data.dayView.list({ date: day, search: `Item ${i % 3}`, limit: 50 })));
  }
  const floorRead: number[] = [];
  for (let i = 0; i < 30; i++) floorRead.push(time(() => db.prepare('SELECT counter FROM invoices WHERE issue_date = ?').all(day)));
  add({ name: `day view page p50 ${SIZE / 1000}k`, unit: 'ms', value: r2(pct(view, 50)), target: null, floor: r2(pct(floorRead, 50)) });
  add({
    name: `day view page p99 ${SIZE / 1000}k`,
    unit: 'ms',
    value: r2(pct(view, 99)),
    target: 50,
    sense: 'max',
    floor: r2(pct(floorRead, 99)),
  });
  add({ name: `day view search p99 ${SIZE / 1000}k`, unit: 'ms', value: r2(pct(search, 99)), target: 50, sense: 'max' });
  add({
    name: `day view item search p99 ${SIZE / 1000}k (every sale matches)`,
    unit: 'ms',
    value: r2(pct(itemSearch, 99)),
    target: 50,
    sense: 'max',
  });
  // Day summary, Z report (earlier days closed), Z PDF, the streamed CSV export: bench/reports.ts.
  await reportRows(db, data, days, add);
  // The file as it is (a ledger upgraded by 022 was VACUUMed once; a new one is compact anyway).
  const size = statSync(file).size;
  add({ name: `database size ${SIZE / 1000}k`, unit: 'MB', value: Math.round(size / 1e6), target: null });
  add({ name: 'bytes per invoice', unit: 'bytes', value: Math.round(size / SIZE), target: 2_000, sense: 'max' });
  // A full walk (verify --full), which records a checkpoint; then `verify` from that checkpoint,
  // the routine check: the checkpointed invoice re-hashed, then only what came after it.
  const ledger = new Ledger(db);
  const v = Date.now();
  const full = ledger.verify({ from: 'start', record: true });
  add({
    name: `verify ${SIZE / 1000}k${full.ok ? '' : ' (BROKEN)'}`,
    unit: 's',
    value: r2((Date.now() - v) / 1000),
    target: SIZE === 1_000_000 ? 20 : 2,
    sense: 'max',
  });
  const inc = Array.from({ length: 5 }, () => time(() => ledger.verify({ from: 'checkpoint', record: true })));
  add({ name: `verify incremental ${SIZE / 1000}k (from the checkpoint)`, unit: 'ms', value: r2(pct(inc, 50)), target: null });
  db.close();
  // `taxpoynt-pos status` as a store runs it: a process of its own on the ledger (no chain walk).
  const cli = join(__dirname, '..', '..', 'bin', 'taxpoynt-pos.cjs');
  const status = Array.from({ length: 3 }, () =>
    time(() => execFileSync(process.execPath, [cli, '--data-dir', dirname(file), 'status'], { stdio: ['ignore', 'ignore', 'inherit'] })),
  );
  add({ name: `status ${SIZE / 1000}k (CLI process)`, unit: 's', value: r2(pct(status, 50) / 1000), target: 1, sense: 'max' });
  // A process running the app's services: the till's sales while a manager runs the reports and the Z PDF, then its memory.
  await serveMemoryRows(file, days, join(__dirname, 'reports.cjs'), add);
}

// ---------- 5. sync drain with the till meanwhile ----------
async function drain(file: string, label: string, firs: { url: string; key: string; secret: string }): Promise<void> {
  const db = openDatabase(file);
  const ledger = new Ledger(db);
  const pending = db.prepare(`SELECT COUNT(*) FROM outbox WHERE kind = 'report' AND status != 'done'`).pluck();
  const start = pending.get() as number;
  const sync = new SyncService({
    db,
    ledger,
    firs: { baseUrl: firs.url, apiKey: firs.key, apiSecret: firs.secret },
    ...SYNC_TUNING,
    log: () => {},
  });
  const till: number[] = [];
  const t0 = Date.now();
  sync.start();
  let i = 0;
  const limit = t0 + (QUICK ? 20_000 : 60_000);
  while ((pending.get() as number) > 0 && Date.now() < limit) {
    const t = process.hrtime.bigint();
    await new Promise((r) => setImmediate(r)); // queued on the event loop like an IPC request
    ledger.issue(scaleSale(i++, 3, `till-${label}`));
    till.push(Number(process.hrtime.bigint() - t) / 1e6);
    await sleep(20);
  }
  const secs = (Date.now() - t0) / 1000;
  await sync.stop();
  const left = pending.get() as number;
  db.close();
  add({ name: `sync reports/s ${label}`, unit: 'reports/s', value: Math.round((start + i - left) / secs), target: 500, sense: 'min' });
  add({ name: `till issue p99 while syncing ${label}`, unit: 'ms', value: r2(pct(till, 99)), target: 10, sense: 'max' });
}

// ---------- 6. startup, memory, idle CPU ----------
async function appBench(file: string, firs: { url: string; key: string; secret: string }): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tpos-bench-app-'));
  copyFileSync(file, join(dataDir, 'ledger.db'));
  const t0 = Date.now();
  const app = new AppServices({ dataDir, mode: 'browser', log: () => {} });
  app.settings.set('firs', { baseUrl: firs.url });
  app.settings.set('sync', SYNC_TUNING);
  app.secrets.set('firs.apiKey', firs.key);
  app.secrets.set('firs.apiSecret', firs.secret);
  app.start();
  app.ledger.issue(scaleSale(0, 3, 'startup'));
  add({ name: `startup to first sale ${SIZE / 1000}k`, unit: 'ms', value: Date.now() - t0, target: null });
  // Let the backlog drain, then sit idle.
  const end = Date.now() + 120_000;
  while (app.syncStatus().queueDepth > 0 && Date.now() < end) await sleep(500);
  await sleep(3_000);
  const c0 = process.cpuUsage();
  const w0 = Date.now();
  await sleep(30_000);
  const c = process.cpuUsage(c0);
  const pctCpu = ((c.user + c.system) / 1000 / (Date.now() - w0)) * 100;
  add({ name: `idle cpu ${SIZE / 1000}k (app services, sync on, 30 s)`, unit: '% of a core', value: r2(pctCpu), target: 1, sense: 'max' });
  add({ name: 'bench process RSS at the end', unit: 'MB', value: Math.round(process.memoryUsage().rss / 1e6), target: 150, sense: 'max' });
  await app.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
  const date = new Date().toISOString();
  process.stderr.write(`bench (${QUICK ? 'quick, ' : ''}${SIZE} invoices) on ${machine}\n`);
  const file = scaleLedgerFile(SIZE, (m) => process.stderr.write(`  ${m}\n`));
  issueBench();
  await scaleBench(file);
  const firs = await fakeFirs(20);
  try {
    const empty = mkdtempSync(join(tmpdir(), 'tpos-bench-drain-'));
    const { db, ledger } = benchLedger(empty);
    for (let i = 0; i < 5_000; i += 500) ledger.issueAll(Array.from({ length: 500 }, (_, j) => scaleSale(i + j, 3, 'empty')));
    db.close();
    await drain(join(empty, 'ledger.db'), 'empty', firs);
    rmSync(empty, { recursive: true, force: true });
    const big = mkdtempSync(join(tmpdir(), 'tpos-bench-drain-'));
    copyFileSync(file, join(big, 'ledger.db'));
    await drain(join(big, 'ledger.db'), `${SIZE / 1000}k`, firs);
    rmSync(big, { recursive: true, force: true });
    await appBench(file, firs);
  } finally {
    firs.stop();
  }
  const out = rows.map(({ sense, floor, ...r }) => ({
    ...r,
    ...(floor !== undefined ? { floor, ratio_to_floor: r2(r.value / Math.max(floor, 0.001)) } : {}),
    met: r.target === null ? null : sense === 'min' ? r.value >= r.target : r.value <= r.target,
    machine,
    date,
  }));
  writeFileSync(join(__dirname, '..', '..', 'bench', 'results.json'), `${JSON.stringify(out, null, 2)}\n`);
  console.log(`\nTaxPoynt POS whole-system bench${QUICK ? ' (--quick)' : ''}: ${SIZE.toLocaleString('en')} invoices, ${machine}\n`);
  console.log('| what | value | target | met | floor (ratio) |');
  console.log('|---|---|---|---|---|');
  for (const r of out)
    console.log(
      `| ${r.name} | ${r.value} ${r.unit} | ${r.target ?? '-'} | ${r.met === null ? '-' : r.met ? 'yes' : 'NO'} | ${'floor' in r ? `${r.floor} (${r.ratio_to_floor}×)` : '-'} |`,
    );
}

if (process.argv[2] === '--fake') {
  const latency = Number(process.argv[3] ?? 20);
  void startFakeFirs({ latencyMs: () => latency }).then((f) => process.send!({ url: f.url, key: f.apiKey, secret: f.apiSecret }));
} else {
  void main();
}
