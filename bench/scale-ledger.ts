// The scale benchmark's ledger: N invoices over N / 10,000 days (a busy supermarket's 10,000 sales
// a day), issued through the ledger's own API (issueAll, 500 per transaction), with 95 % of the
// report jobs already reported, as a store's file looks after a year. Built once and cached under
// the temp folder between runs (tmpdir()/tpos-bench-scale-<N>/ledger.db): building 1M takes a
// quarter of an hour on a 2-core machine. Returns a copy-free path; callers open their own connection.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchLedger } from './bench-ledger';

export const PER_DAY = 10_000;
/** The first day of the scale ledger (Lagos dates). */
export const FIRST_DAY = Date.parse('2026-01-01T09:00:00+01:00');

export function scaleSale(i: number, lines = 3, tag = 'scale', at: Date = new Date()) {
  return {
    source: 'manual',
    external_id: `${tag}-${i}`,
    occurred_at: at.toISOString(),
    currency: 'NGN',
    lines: Array.from({ length: lines }, (_, l) => ({
      name: `Item ${l}`,
      sku: `SKU${l}`,
      quantity: '2',
      unit_price: `${100 + l}.50`,
      tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true },
    })),
    payments: [{ method: 'cash', amount: '5000.00' }],
  };
}

/** The Lagos date of day `d` of the scale ledger. */
export function scaleDay(d: number): string {
  return new Date(FIRST_DAY + d * 86_400_000 + 3_600_000).toISOString().slice(0, 10);
}

export function scaleLedgerFile(n: number, log: (m: string) => void = () => {}): string {
  const dir = join(tmpdir(), `tpos-bench-scale-${n}`);
  const file = join(dir, 'ledger.db');
  if (existsSync(file)) return file;
  const build = join(tmpdir(), `tpos-bench-scale-${n}.building`);
  rmSync(build, { recursive: true, force: true });
  mkdirSync(build, { recursive: true });
  let i = 0;
  // Sales spread evenly over the days, 8 h of trading each.
  const clock = () => new Date(FIRST_DAY + Math.floor(i / PER_DAY) * 86_400_000 + ((i % PER_DAY) / PER_DAY) * 8 * 3_600_000);
  const { db, ledger } = benchLedger(build, clock);
  db.pragma('synchronous = OFF'); // building only: the benchmarks reopen it with the app's settings
  const t0 = Date.now();
  while (i < n) {
    const at = new Date(clock().getTime() - 60_000); // sold a minute before it was issued
    const batch = Array.from({ length: Math.min(500, n - i) }, (_, j) => scaleSale(i + j, 3, 'scale', at));
    ledger.issueAll(batch);
    i += batch.length;
    if (i % 50_000 === 0) log(`scale ledger: ${i} / ${n} issued (${Math.round((Date.now() - t0) / 1000)} s)`);
  }
  // A year's ledger has reported nearly everything: the last 5 % wait (prints are done).
  db.prepare(`UPDATE outbox SET status = 'done', updated_at = created_at + 1 WHERE kind = 'print'`).run();
  db.prepare(`UPDATE outbox SET status = 'done', updated_at = created_at + 1 WHERE kind = 'report' AND invoice_counter <= ?`).run(
    Math.floor(n * 0.95),
  );
  db.exec('ANALYZE');
  db.close();
  mkdirSync(join(dir, '..'), { recursive: true });
  rmSync(dir, { recursive: true, force: true });
  renameSync(build, dir);
  return file;
}
