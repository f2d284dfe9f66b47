// `npm run bench` (day view part): the manager's day view, day summary, Z report and CSV export
// on a ledger holding BENCH_DAY_INVOICES (default 10,000) invoices on one Lagos day plus as many
// spread over the surrounding days. Reports medians of repeated runs, in ms.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchLedger } from './bench-ledger';
import { DayView, reportInvoices, type DayQuery } from '../main/ledger/day-view';
import { summariseDay, buildZReport, type ReportInvoice } from '../shared/reports/day-summary';
import { invoicesToCsv, type CsvInvoice } from '../shared/reports/csv';
import { formatKobo } from '../shared/domain/money';

const PER_DAY = Number(process.env.BENCH_DAY_INVOICES ?? 10_000);
const DAY = '2026-11-20';
const METHODS = ['cash', 'card', 'transfer'] as const;

function sale(i: number, date: string) {
  const minute = i % (24 * 60);
  const at = `${date}T${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00+01:00`;
  const amount = formatKobo(50_000 + (i % 977) * 137);
  return {
    source: 'manual',
    external_id: `bench-${date}-${i}`,
    occurred_at: at,
    currency: 'NGN',
    lines: [
      {
        name: `Item ${i % 50}`,
        quantity: '1',
        unit_price: amount,
        tax: { category: i % 5 === 0 ? 'ZERO_VAT' : 'STANDARD_VAT', rate: i % 5 === 0 ? '0' : '7.5', inclusive: true },
      },
    ],
    payments: [{ method: METHODS[i % 3], amount }],
    ...(i % 10 === 0 ? { customer: { name: `Customer ${i} Ltd`, tin: `1000${String(i).padStart(4, '0')}-0001` } } : {}),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'tpos-bench-day-'));
const { db, ledger } = benchLedger(dir, () => new Date('2026-11-24T12:00:00Z'));

const fillStart = performance.now();
for (const [date, n] of [
  ['2026-11-19', PER_DAY / 2],
  [DAY, PER_DAY],
  ['2026-11-21', PER_DAY / 2],
] as const) {
  for (let start = 0; start < n; start += 1000) {
    ledger.issueAll(Array.from({ length: Math.min(1000, n - start) }, (_, k) => sale(start + k, date)));
  }
}
console.log(`filled ${ledger.count()} invoices (${PER_DAY} on ${DAY}) in ${((performance.now() - fillStart) / 1000).toFixed(1)} s`);

const view = new DayView(db);
function median(fn: () => unknown, runs = 15): number {
  fn(); // warm the statement cache
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    fn();
    t.push(performance.now() - s);
  }
  return t.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

const cases: [string, DayQuery][] = [
  ['first page (200 rows + count + totals)', { date: DAY }],
  ['page 40 (offset 8000)', { date: DAY, offset: 8000 }],
  ['search customer name', { date: DAY, search: 'Customer 4250' }],
  ['search invoice number', { date: DAY, search: 'T0100012' }],
  ['search amount', { date: DAY, search: formatKobo(50_000 + 5 * 137) }],
  ['filter card payments', { date: DAY, method: 'card' }],
  ['filter B2B', { date: DAY, party: 'b2b' }],
  ['filter status pending_report', { date: DAY, status: 'pending_report' }],
];
const results: Record<string, string> = {};
for (const [name, q] of cases) {
  const page = view.list(q);
  results[`day view: ${name} [${page.total} match]`] = `${median(() => view.list(q)).toFixed(1)} ms`;
}
const invoices = reportInvoices(db, DAY);
results[`Ledger.listByDate (${invoices.length} full invoices, for comparison)`] =
  `${median(() => ledger.listByDate(DAY), 5).toFixed(0)} ms`;
results[`reportInvoices (${invoices.length}: figures + sale)`] = `${median(() => reportInvoices(db, DAY), 5).toFixed(0)} ms`;
results['day summary (from loaded invoices)'] = `${median(() => summariseDay(DAY, invoices as ReportInvoice[]), 5).toFixed(0)} ms`;
results['Z report (from loaded invoices)'] =
  `${median(() => buildZReport(DAY, invoices as ReportInvoice[], { business: { name: 'B', tin: 'T', terminal: 'T01' }, generatedAt: 0, closed: null }), 5).toFixed(0)} ms`;
results['CSV of the day (from loaded invoices)'] = `${median(() => invoicesToCsv(invoices as CsvInvoice[]), 5).toFixed(0)} ms`;
const plan = db
  .prepare('EXPLAIN QUERY PLAN SELECT i.counter FROM invoices i WHERE i.issue_date = ? ORDER BY i.counter DESC LIMIT 200')
  .all(DAY) as { detail: string }[];
results['query plan'] = plan.map((p) => p.detail).join(' | ');
console.table(results);
db.close();
rmSync(dir, { recursive: true, force: true });
