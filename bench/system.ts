// `npm run bench` (whole system, issue 15): issuing against its floor, receipts, the day view,
// reports and export on a large ledger, the sync's drain on an empty and a large ledger with the
// till's latency meanwhile, startup, memory and idle CPU. Prints a table and writes
// bench/results.json ([{name, unit, value, target, met, machine, date}]). `--quick` uses a 100k
// ledger instead of 1M (built once through the ledger's API, cached under the temp folder).
// Never a test: timings are measured here, not asserted.
import { execFileSync, fork } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { benchLedger } from './bench-ledger';
import { scaleDay, scaleLedgerFile, scaleSale, PER_DAY } from './scale-ledger';
import { openDatabase } from '../main/ledger/database';
import { openData } from '../main/ledger/data';
import { Ledger } from '../main/ledger/ledger';
import { verifyFullParallel, verifyThreadScript } from '../main/ledger/verify-parallel';
import { SyncThreadHost } from '../main/sync/sync-host';
import { AppServer } from '../main/server/app-server';
import { AppServices } from '../main/app/services';
import { reportRows, serveMemoryRows } from './reports';
import { buildReceipt } from '../shared/receipt/receipt';
import { layoutReceipt } from '../shared/receipt/layout';
import { renderEscpos } from '../main/print/escpos-render';
import { renderPng } from '../main/print/png-render';
import { startFakeFirs } from '../test/fakes/firs-server';
import { pct, r2, time } from './stats';

const QUICK = process.argv.includes('--quick');
/** `--only=sync,app` runs those parts (issue, scale, sync, app) and merges their rows into results.json. */
const ONLY = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const part = (name: string) => !ONLY || ONLY.includes(name);
/** The sync thread's bundle, beside this one's folder (dist/bench → dist/main). */
const SYNC_SCRIPT = join(__dirname, '..', 'main', 'sync-thread.cjs');
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

// ---------- 2b. three processes issuing into one file ----------
/** A child of the bench: issues 3-line sales into `file` until `ms` passed; sends its count and waits. */
function issuer(file: string, ms: number, tag: string): void {
  const db = openDatabase(file);
  const ledger = new Ledger(db);
  const waits: number[] = [];
  ledger.issue(lines(3, -1, tag)); // warm-up (key import, statements), as in the one-source row
  const until = Date.now() + ms;
  let n = 0;
  while (Date.now() < until) waits.push(time(() => ledger.issue(lines(3, n++, tag))));
  db.close();
  process.send!({ n: n + 1, p99: pct(waits, 99), max: Math.max(...waits) });
}

async function threeSources(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tpos-bench-three-'));
  benchLedger(dir).db.close();
  const file = join(dir, 'ledger.db');
  const ms = QUICK ? 5_000 : 10_000;
  const t0 = Date.now();
  const results = await Promise.all(
    ['a', 'b', 'c'].map(
      (tag) =>
        new Promise<{ n: number; p99: number; max: number }>((resolve, reject) => {
          const child = fork(process.argv[1]!, ['--issuer', file, String(ms), tag], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
          child.once('message', (m) => resolve(m as never));
          child.once('exit', (code) => code !== 0 && reject(new Error(`issuer ${tag} exited ${code}`)));
        }),
    ),
  );
  const secs = (Date.now() - t0) / 1000;
  const total = results.reduce((a, r) => a + r.n, 0);
  // Gap-free: counters 1..N with none missing, the hash chain intact, every sale there once.
  const check = openDatabase(file);
  const c = check.prepare('SELECT COUNT(*) AS n, MIN(counter) AS lo, MAX(counter) AS hi FROM invoices').get() as {
    n: number;
    lo: number;
    hi: number;
  };
  const ok = c.n === total && c.lo === 1 && c.hi === c.n && new Ledger(check).verify().ok;
  check.close();
  add({
    name: `sales/s three sources${ok ? ' (gap-free)' : ' (GAPS OR BROKEN CHAIN)'}`,
    unit: 'sales/s',
    value: Math.round(total / secs),
    target: null,
  });
  add({ name: 'issue p99 three sources', unit: 'ms', value: r2(Math.max(...results.map((r) => r.p99))), target: 10, sense: 'max' });
  add({ name: 'issue max wait three sources', unit: 'ms', value: r2(Math.max(...results.map((r) => r.max))), target: null });
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
  // A full walk as `verify --full` runs it (ranges across worker threads), which records a
  // checkpoint; then `verify` from that checkpoint, the routine check: the checkpointed invoice
  // re-hashed, then only what came after it. CPU per invoice counts every thread of the process.
  const ledger = new Ledger(db);
  const script = verifyThreadScript();
  const v = Date.now();
  const cpu0 = process.cpuUsage();
  const full = script ? await verifyFullParallel(ledger, { script, record: true }) : ledger.verify({ from: 'start', record: true });
  const cpu = process.cpuUsage(cpu0);
  add({
    name: `verify ${SIZE / 1000}k${full.ok ? '' : ' (BROKEN)'}${script ? '' : ' (one thread: worker not built)'}`,
    unit: 's',
    value: r2((Date.now() - v) / 1000),
    target: SIZE === 1_000_000 ? 20 : 2,
    sense: 'max',
  });
  add({ name: `verify CPU per invoice ${SIZE / 1000}k`, unit: 'µs', value: r2((cpu.user + cpu.system) / SIZE), target: null });
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
  // As the app runs it: the sync in its worker thread, the till on this one.
  const sync = new SyncThreadHost({
    db,
    script: SYNC_SCRIPT,
    firs: { baseUrl: firs.url, apiKey: firs.key, apiSecret: firs.secret },
    ...SYNC_TUNING,
    log: () => {},
  });
  const start = sync.status().queueDepth;
  const till: number[] = [];
  const t0 = Date.now();
  sync.start();
  let i = 0;
  const limit = t0 + (QUICK ? 30_000 : 60_000);
  // The queue depth comes from the worker's status pushes: the till's thread never counts it.
  while ((i < 5 || sync.status().queueDepth > 0) && Date.now() < limit) {
    const t = process.hrtime.bigint();
    await new Promise((r) => setImmediate(r)); // queued on the event loop like an IPC request
    ledger.issue(scaleSale(i++, 3, `till-${label}`));
    till.push(Number(process.hrtime.bigint() - t) / 1e6);
    await sleep(20);
  }
  const secs = (Date.now() - t0) / 1000;
  await sync.stop();
  const left = sync.status().queueDepth;
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
  const server = new AppServer({ services: app, port: 0, lan: false, log: () => {} });
  await server.listen();
  const login = await fetch(server.url, { redirect: 'manual' });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  let n = 0;
  /** One till sale through browser mode: POST /api/invoke/sales.createManual, round trip in ms. */
  const sale = async (): Promise<number> => {
    const t = process.hrtime.bigint();
    const r = await fetch(`${server.baseUrl}/api/invoke/sales.createManual`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ sale: scaleSale(n++, 3, 'browser') }),
    });
    const body = (await r.json()) as { ok: boolean; error?: unknown };
    if (!body.ok) throw new Error(`browser-mode sale refused: ${JSON.stringify(body.error)}`);
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  await sale();
  add({ name: `startup to first sale ${SIZE / 1000}k`, unit: 'ms', value: Date.now() - t0, target: null });
  // Sales while the backlog drains in the sync thread, then sales with nothing else running.
  const draining: number[] = [];
  const end = Date.now() + 120_000;
  while (app.syncStatus().queueDepth > 0 && Date.now() < end) {
    draining.push(await sale());
    await sleep(50);
  }
  if (draining.length > 0)
    add({ name: `browser sale p99 while syncing ${SIZE / 1000}k`, unit: 'ms', value: r2(pct(draining, 99)), target: 20, sense: 'max' });
  await sleep(3_000);
  const quiet: number[] = [];
  for (let i = 0; i < 200; i++) {
    quiet.push(await sale());
    await sleep(20);
  }
  add({ name: `browser sale p99 ${SIZE / 1000}k`, unit: 'ms', value: r2(pct(quiet, 99)), target: 20, sense: 'max' });
  while (app.syncStatus().queueDepth > 0 && Date.now() < end + 30_000) await sleep(500);
  await sleep(3_000);
  // Idle: this thread and the sync thread (process.cpuUsage counts every thread of the process).
  const drained = app.syncStatus().queueDepth === 0;
  const c0 = process.cpuUsage();
  const w0 = Date.now();
  await sleep(30_000);
  const c = process.cpuUsage(c0);
  const pctCpu = ((c.user + c.system) / 1000 / (Date.now() - w0)) * 100;
  add({
    name: `idle cpu ${SIZE / 1000}k (app services, sync on, 30 s${drained ? '' : ', NOT idle: the backlog was still draining'})`,
    unit: '% of a core',
    value: r2(pctCpu),
    target: 1,
    sense: 'max',
  });
  // A plain figure: this process also holds the benches before it (ledgers, fakes, results); the
  // issue's memory target is the serve row (bench/reports.ts serveMemoryRows), a process of its own.
  add({ name: 'bench process RSS at the end', unit: 'MB', value: Math.round(process.memoryUsage().rss / 1e6), target: null });
  await server.close();
  await app.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
  const date = new Date().toISOString();
  process.stderr.write(`bench (${QUICK ? 'quick, ' : ''}${SIZE} invoices) on ${machine}\n`);
  const file = scaleLedgerFile(SIZE, (m) => process.stderr.write(`  ${m}\n`));
  if (part('issue')) {
    issueBench();
    await threeSources();
  }
  if (part('scale')) await scaleBench(file);
  if (part('sync') || part('app')) {
    const firs = await fakeFirs(20);
    try {
      if (part('sync')) {
        const empty = mkdtempSync(join(tmpdir(), 'tpos-bench-drain-'));
        const { db, ledger } = benchLedger(empty);
        const backlog = QUICK ? 5_000 : 20_000;
        for (let i = 0; i < backlog; i += 500) ledger.issueAll(Array.from({ length: 500 }, (_, j) => scaleSale(i + j, 3, 'empty')));
        db.close();
        await drain(join(empty, 'ledger.db'), 'empty', firs);
        rmSync(empty, { recursive: true, force: true });
        // A copy: the cached ledger stays as built (other benches and branches read it).
        const big = mkdtempSync(join(tmpdir(), 'tpos-bench-drain-'));
        copyFileSync(file, join(big, 'ledger.db'));
        await drain(join(big, 'ledger.db'), `${SIZE / 1000}k`, firs);
        rmSync(big, { recursive: true, force: true });
      }
      if (part('app')) await appBench(file, firs);
    } finally {
      firs.stop();
    }
  }
  const out = rows.map(({ sense, floor, ...r }) => ({
    ...r,
    ...(floor !== undefined ? { floor, ratio_to_floor: r2(r.value / Math.max(floor, 0.001)) } : {}),
    met: r.target === null ? null : sense === 'min' ? r.value >= r.target : r.value <= r.target,
    machine,
    date,
  }));
  const resultsFile = join(__dirname, '..', '..', 'bench', 'results.json');
  // A partial run (--only) replaces its own rows and keeps the others' as last measured.
  const kept =
    ONLY && existsSync(resultsFile)
      ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as { name: string }[]).filter((r) => !out.some((o) => o.name === r.name))
      : [];
  writeFileSync(resultsFile, `${JSON.stringify([...kept, ...out], null, 2)}\n`);
  console.log(`\nTaxPoynt POS whole-system bench${QUICK ? ' (--quick)' : ''}: ${SIZE.toLocaleString('en')} invoices, ${machine}\n`);
  console.log('| what | value | target | met | floor (ratio) |');
  console.log('|---|---|---|---|---|');
  for (const r of out)
    console.log(
      `| ${r.name} | ${r.value} ${r.unit} | ${r.target ?? '-'} | ${r.met === null ? '-' : r.met ? 'yes' : 'NO'} | ${'floor' in r ? `${r.floor} (${r.ratio_to_floor}×)` : '-'} |`,
    );
}

if (process.argv[2] === '--issuer') {
  issuer(process.argv[3]!, Number(process.argv[4]), process.argv[5]!);
} else if (process.argv[2] === '--fake') {
  const latency = Number(process.argv[3] ?? 20);
  void startFakeFirs({ latencyMs: () => latency }).then((f) => process.send!({ url: f.url, key: f.apiKey, secret: f.apiSecret }));
} else {
  void main();
}
