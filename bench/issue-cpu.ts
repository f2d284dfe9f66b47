// CPU per issued sale (process.cpuUsage, user + system), not wall time: the bench machine is shared,
// and wall time mostly measures the neighbours. Alongside, the floor measured the same way (one
// durable commit of a row of the same size) and the WAL pages each sale's commit writes.
// Run: npx esbuild bench/issue-cpu.ts --bundle --platform=node --format=cjs --external:better-sqlite3
//      --outfile=dist/bench/issue-cpu.cjs && node dist/bench/issue-cpu.cjs [n]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchLedger } from './bench-ledger';
import { scaleSale } from './scale-ledger';
import { pct, r2 } from './stats';

const N = Number(process.argv[2] ?? 400);

function lines(n: number, i: number, tag: string) {
  return { ...scaleSale(i, n, tag), payments: [{ method: 'cash', amount: '100000.00' }] };
}

/** CPU microseconds (user + system) of `fn`. */
function cpu(fn: () => unknown): number {
  const c = process.cpuUsage();
  fn();
  const d = process.cpuUsage(c);
  return d.user + d.system;
}

const dir = mkdtempSync(join(tmpdir(), 'tpos-bench-cpu-'));
const { db, ledger } = benchLedger(dir);
db.exec('CREATE TABLE floor (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
const floorInsert = db.prepare('INSERT INTO floor (body) VALUES (?)');
const pageSize = db.pragma('page_size', { simple: true }) as number;
const wal = join(dir, 'ledger.db-wal');
db.pragma('wal_autocheckpoint = 0');
if (process.env.SYNC) db.pragma(`synchronous = ${process.env.SYNC}`); // the WAL only grows here: its size delta is the frames written

for (const size of (process.env.LINES ?? '1,30').split(',').map(Number)) {
  const first = ledger.issue(lines(size, -1, `w${size}`)).invoice;
  const body = 'x'.repeat(JSON.stringify(first.invoice).length + JSON.stringify(first.sale).length);
  for (let i = 0; i < 50; i++) ledger.issue(lines(size, 1e6 + i, `warm${size}`)); // JIT, caches
  const issue: number[] = [];
  const floor: number[] = [];
  let frames = 0;
  let floorFrames = 0;
  for (let i = 0; i < N; i++) {
    let w0 = statSync(wal).size;
    issue.push(cpu(() => ledger.issue(lines(size, i, `i${size}`))));
    frames += (statSync(wal).size - w0) / (pageSize + 24);
    w0 = statSync(wal).size;
    floor.push(cpu(() => floorInsert.run(body)));
    floorFrames += (statSync(wal).size - w0) / (pageSize + 24);
    if (i % 100 === 99) db.pragma('wal_checkpoint(TRUNCATE)');
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(
    JSON.stringify({
      lines: size,
      cpu_us_mean: Math.round(mean(issue)),
      cpu_us_p50: pct(issue, 50),
      cpu_us_p99: pct(issue, 99),
      floor_cpu_us_mean: Math.round(mean(floor)),
      floor_cpu_us_p50: pct(floor, 50),
      wal_pages_per_sale: r2(frames / N),
      floor_wal_pages: r2(floorFrames / N),
    }),
  );
}
db.close();
rmSync(dir, { recursive: true, force: true });
