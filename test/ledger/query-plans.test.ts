// The hot queries (main/ledger/hot-queries.ts) on a ledger whose statistics describe a year of a
// busy store: 1,000,000 invoices over 100 days, two outbox jobs each, almost all reported. SQLite
// plans from sqlite_stat1, so a small real ledger is ANALYZEd and its statistics scaled to that
// size. Every query must reach invoices and outbox through an index (no `SCAN invoices`, no
// `SCAN outbox`, no walk of the outbox by kind alone); those whose rows must come in index order
// must not sort. Not timed: plans, not stopwatches (speed is measured by `npm run bench`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../main/ledger/database';
import { hotQueries } from '../../main/ledger/hot-queries';
import { daySql } from '../../main/ledger/day-view';
import { REPORT_SQL } from '../../main/ledger/report-jobs';
import { tempDir } from '../support/fixture';

const SCALE = 1_000; // 1,000 seeded invoices → statistics for 1,000,000

let db: Db;

function seed(db: Db): void {
  // 100 days × 10 invoices; every 10th B2B, every 50th a credit note of the invoice before it.
  db.exec(`
    WITH RECURSIVE n(c) AS (SELECT 1 UNION ALL SELECT c + 1 FROM n WHERE c < 1000)
    INSERT INTO invoices (counter, invoice_number, irn, type, source, external_id, issued_at, issue_date, currency, payable_kobo, tax_kobo,
       net_kobo, tip_kobo, b2b, original_irn, qr, invoice_json, sale_json, prev_hash, hash, recorded_at)
    SELECT c, printf('T01-%06d', c), printf('IRN%d-94ND90NR-20261124', c), CASE WHEN c % 50 = 0 THEN '380' ELSE '381' END,
           CASE WHEN c % 3 = 0 THEN 'manual' ELSE 'square' END, printf('ext-%d', c), 1770000000 + c * 60,
           date('2026-01-01', printf('+%d days', (c - 1) / 10)), 'NGN', 150000, 10000, 140000, 0, CASE WHEN c % 10 = 0 THEN 1 ELSE 0 END,
           CASE WHEN c % 50 = 0 THEN printf('IRN%d-94ND90NR-20261124', c - 1) END, 'qr', '{}',
           '{"customer":{"name":"Ada"},"payments":[{"method":"cash"}]}', printf('h%d', c - 1), printf('h%d', c), 1770000000000 + c * 60000
      FROM n;
    INSERT INTO outbox (invoice_counter, kind, status, next_attempt_at, created_at, updated_at)
      SELECT counter, 'print', 'done', recorded_at, recorded_at, recorded_at + 1 FROM invoices;
    INSERT INTO outbox (invoice_counter, kind, status, attempts, next_attempt_at, created_at, updated_at)
      SELECT counter, 'report',
             CASE WHEN counter > 990 THEN 'pending' WHEN counter > 985 THEN 'retrying' WHEN counter = 985 THEN 'sending'
                  WHEN counter % 200 = 7 THEN 'rejected' WHEN counter % 300 = 11 THEN 'dead' ELSE 'done' END,
             1, recorded_at, recorded_at, recorded_at + 2 FROM invoices;
    INSERT INTO cloud_invoice_uploads (invoice_counter, state_sent, outcome, batch_key, uploaded_at)
      SELECT counter, 'reported', 'accepted', 'b', recorded_at FROM invoices WHERE counter <= 980;
    DELETE FROM cloud_queue WHERE invoice_counter <= 980;
    -- A close a day, and each day's running totals (groups per day: 2 kinds, 3 VAT, 3 methods, 12 hours).
    INSERT INTO z_reports (z_number, day, first_counter, last_counter, head_counter, head_hash, closed_at, report_json)
      SELECT (counter - 1) / 10 + 1, issue_date, MIN(counter), MAX(counter), MAX(counter), 'h', 0, '{}' FROM invoices GROUP BY issue_date;
    WITH g(dim, key) AS (VALUES ('doc', 'sale'), ('doc', 'credit'), ('vat', 'STANDARD_VAT|7.5'), ('vat', 'ZERO_VAT|0'), ('vat', 'EXEMPTED|0'),
                                ('pay', 'cash'), ('pay', 'card'), ('pay', 'transfer'), ('hour', '08'), ('hour', '09'), ('hour', '10'), ('hour', '11'),
                                ('hour', '12'), ('hour', '13'), ('hour', '14'), ('hour', '15'), ('hour', '16'), ('hour', '17'), ('hour', '18'), ('hour', '19'))
    INSERT INTO report_totals (issue_date, after_z, demo, dim, key, n, a, b, c, d, first_counter, last_counter)
      SELECT z.day, z.z_number - 1, 0, g.dim, g.key, 1, 1, 1, 0, 0, z.first_counter, z.last_counter FROM z_reports z, g;
  `);
}

/** sqlite_stat1 scaled from the seed's size to SCALE × it: row counts grow, unique keys stay unique. */
function scaleStatistics(db: Db): void {
  db.exec('ANALYZE');
  const rows = db.prepare('SELECT tbl, idx, stat FROM sqlite_stat1').all() as { tbl: string; idx: string | null; stat: string }[];
  const put = db.prepare('UPDATE sqlite_stat1 SET stat = ? WHERE tbl = ? AND idx IS ?');
  for (const r of rows) {
    const [n, ...per] = r.stat.split(' ');
    const scaled = [Number(n) * SCALE, ...per.map((v) => (/^\d+$/.test(v) && v !== '1' ? Number(v) * SCALE : v))];
    put.run(scaled.join(' '), r.tbl, r.idx);
  }
  db.exec('ANALYZE sqlite_schema'); // reload the statistics into the planner
}

function plan(sql: string, params: Record<string, unknown> | unknown[]): string[] {
  const st = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  const rows = (Array.isArray(params) ? st.all(...params) : st.all(params)) as { detail: string }[];
  return rows.map((r) => r.detail);
}

/** What is wrong with a plan for a ledger of 1M invoices (empty when nothing). */
function problems(details: string[], indexOrder: boolean, demoOnly = false): string[] {
  const out: string[] = [];
  for (const d of details) {
    // `SCAN i` / `SCAN invoices` (aliases name the table too) — a walk of the table or of a whole index.
    if (/^SCAN (invoices|outbox|i|o|r|p|oi|oo)\b/.test(d)) out.push(`full scan: ${d}`);
    // The running report totals: a year of days × periods × groups, read by day or by Z period only.
    if (/^SCAN (report_totals|z_reports)\b/.test(d)) out.push(`full scan: ${d}`);
    if (/^SEARCH report_totals\b.*\(after_z<\?\)$/.test(d)) out.push(`every earlier period's totals: ${d}`);
    // The outbox's index searched by kind alone reads half the table.
    if (/^SEARCH (outbox|o|r|p|oo)\b.*\(kind=\?\)$/.test(d)) out.push(`outbox walked by kind alone: ${d}`);
    // The (source, external_id) key searched by source alone reads every sale of that source.
    if (!demoOnly && /^SEARCH (invoices|i)\b.*\(source=\?\)$/.test(d)) out.push(`invoices walked by source: ${d}`);
    if (indexOrder && /USE TEMP B-TREE FOR (ORDER BY|RIGHT PART OF ORDER BY|LAST TERM OF ORDER BY)/.test(d))
      out.push(`sorts every match: ${d}`);
  }
  return out;
}

beforeAll(() => {
  db = openDatabase(join(tempDir('tpos-plans-'), 'ledger.db'));
  seed(db);
  scaleStatistics(db);
});
afterAll(() => db.close());

it('the statistics describe a million invoices and two million outbox jobs', () => {
  const stat = (idx: string) => (db.prepare('SELECT stat FROM sqlite_stat1 WHERE idx = ?').get(idx) as { stat: string }).stat;
  expect(stat('invoices_day').split(' ').slice(0, 2)).toEqual(['1000000', '10000']);
  expect(Number(stat('outbox_due').split(' ')[0])).toBe(2_000_000);
  expect(Number(stat('report_totals_by_z').split(' ')[0])).toBe(2_000_000);
});

describe('every hot query uses an index on the 1M-invoice schema', () => {
  it.each(hotQueries().map((q) => [q.name, q] as const))('%s', (_name, q) => {
    const details = plan(q.sql, q.params);
    expect(details.length).toBeGreaterThan(0);
    expect(problems(details, q.indexOrder === true, q.demoOnly), details.join('\n')).toEqual([]);
  });
});

it('the check itself fails on the queries issue 15 measured (a whole-queue count, a claim sorting the backlog)', () => {
  const oldCount = `SELECT o.status, COUNT(*) AS n FROM outbox o JOIN invoices i ON i.counter = o.invoice_counter
    WHERE o.kind = 'report' AND o.status != 'done' AND i.source != 'demo' GROUP BY o.status`;
  expect(problems(plan(oldCount, []), false)).not.toEqual([]);
  const oldClaim = `SELECT o.invoice_counter, i.invoice_json FROM outbox o JOIN invoices i ON i.counter = o.invoice_counter
    WHERE o.kind = 'report' AND o.status IN ('pending', 'retrying') AND o.next_attempt_at <= 1 ORDER BY i.b2b DESC, o.invoice_counter LIMIT 4`;
  expect(problems(plan(oldClaim, []), true)).not.toEqual([]);
  expect(problems(plan('SELECT COUNT(*) FROM invoices WHERE tip_kobo > 0', []), false)).not.toEqual([]);
  // The day view filtered by source before it kept the source out of the index choice.
  const bySource = `SELECT i.counter FROM invoices i WHERE i.issue_date = ? AND i.source = ? ORDER BY i.counter DESC LIMIT 200`;
  expect(problems(plan(bySource, ['2026-01-05', 'manual']), true)).not.toEqual([]);
  // Totals asked by anything but the day or the period walk the whole totals table.
  expect(problems(plan('SELECT SUM(n) FROM report_totals WHERE a > 5', []), false)).not.toEqual([]);
  // The period's second half by its Z range (as the planner chose before the unary +): every earlier period.
  const byZ =
    'SELECT SUM(n) FROM report_totals INDEXED BY report_totals_by_z WHERE after_z < @prev_z AND issue_date > @prev_day AND issue_date <= @day';
  expect(problems(plan(byZ, { prev_z: 99, prev_day: '2026-01-04', day: '2026-01-05' }), false)).not.toEqual([]);
});

it('the day view search reads only the hits: the trigram index, then the rows it names (issue 15)', () => {
  const { agg, page, params } = daySql({ date: '2026-01-05', search: 'Rice 5kg' });
  for (const sql of [agg, page]) {
    const details = plan(sql, { ...params, limit: 50, offset: 0 });
    expect(details.join('\n')).toMatch(/invoice_search VIRTUAL TABLE INDEX/);
    expect(details.join('\n')).not.toMatch(/json_each|json_extract/);
  }
  // The day's count and totals come from the covering index, not the invoice rows.
  const plain = daySql({ date: '2026-01-05' });
  expect(plan(plain.agg, plain.params).join('\n')).toMatch(/USING COVERING INDEX invoices_day/);
  // Nothing of the day view reads the stored JSON in SQL.
  for (const q of [{}, { search: 'ab' }, { search: 'rice' }, { method: 'card' as const }])
    expect(Object.values(daySql({ date: '2026-01-05', ...q })).join(' ')).not.toMatch(/_json|json_/);
});

it('the claim reads the due range of its own (status, B2B) pair, also on a new ledger without statistics', () => {
  // Without sqlite_stat1 SQLite chose outbox_due (kind, status, next_attempt_at) and tested b2b per
  // row: asking for B2B jobs walked every due B2C job of the backlog (issue 15, a drain's profile).
  const fresh = openDatabase(join(tempDir('tpos-plans-new-'), 'ledger.db'));
  try {
    for (const d of [db, fresh]) {
      const details = d
        .prepare(`EXPLAIN QUERY PLAN ${REPORT_SQL.claimDue}`)
        .all({ status: 'pending', b2b: 1, now: 1, limit: 16 })
        .map((r) => (r as { detail: string }).detail);
      expect(details[0]).toMatch(/^SEARCH o USING INDEX outbox_report_due \(status=\? AND b2b=\? AND next_attempt_at<\?\)/);
      expect(problems(details, true)).toEqual([]);
    }
  } finally {
    fresh.close();
  }
});
