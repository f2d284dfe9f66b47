// Every query the background work and the manager's screens run often, by name, with example
// parameters: the sync (claiming due reports, the cloud queue), the status strip (report-queue
// counts, the change watch), the day view and its search, the day summary / Z report and the CSV
// export. test/ledger/query-plans.test.ts asks SQLite for each one's plan on a schema whose
// statistics say 1M invoices and checks that none walks the invoices or the outbox (issue 15).
// The texts are the modules' own (exported beside the code that runs them), never copies.
import { REPORT_SQL } from './report-jobs';
import { CLOUD_SQL } from './cloud-store';
import { daySql, REPORT_INVOICES_PAGE_SQL, REPORT_INVOICES_SQL, type DayQuery } from './day-view';
import { REPORT_TOTALS_SQL } from './report-totals';
import { WATCH_SQL } from './invoice-queries';
import { WALK_SQL } from './ledger';

export interface HotQuery {
  name: string;
  sql: string;
  params: Record<string, unknown> | unknown[];
  /** The rows must come in index order: sorting them would mean reading every match first. */
  indexOrder?: boolean;
  /** Searching invoices by source is allowed: the source is 'demo', which a real ledger never holds. */
  demoOnly?: boolean;
}

const NOW = 1_780_000_000_000;
const DAY = '2026-11-24';
const PERIOD = { prev_z: 99, prev_day: '2026-11-23', day: DAY };

function dayView(name: string, q: Omit<DayQuery, 'date'>): HotQuery[] {
  const { agg, page, params } = daySql({ date: DAY, ...q });
  return [
    { name: `day view ${name}: count and totals`, sql: agg, params },
    { name: `day view ${name}: page`, sql: page, params: { ...params, limit: 200, offset: 0 }, indexOrder: true },
  ];
}

export function hotQueries(): HotQuery[] {
  return [
    {
      name: 'sync claim: due reports',
      sql: REPORT_SQL.claimDue,
      params: { status: 'pending', b2b: 1, now: NOW, limit: 4 },
      indexOrder: true,
    },
    { name: 'sync claim: expired leases', sql: REPORT_SQL.claimExpired, params: { now: NOW, limit: 4 } },
    { name: 'sync claim: take the lease', sql: REPORT_SQL.take, params: ['w', NOW, NOW, 1] },
    { name: 'sync claim: earlier attempt lost', sql: REPORT_SQL.loseInFlight, params: [NOW, 1] },
    { name: 'sync claim: earlier attempts', sql: REPORT_SQL.priorAttempts, params: [1] },
    { name: 'sync record: lease still held', sql: REPORT_SQL.held, params: [1, 'w'] },
    { name: 'sync record: attempt ended', sql: REPORT_SQL.endAttempt, params: ['signed', NOW, 201, 'signed', null, 1] },
    { name: 'sync record: done', sql: REPORT_SQL.markDone, params: [NOW, 1] },
    { name: 'sync record: retry or dead', sql: REPORT_SQL.markRetry, params: ['retrying', NOW, 'x', NOW, 1] },
    { name: 'sync record: rejected', sql: REPORT_SQL.markRejected, params: ['x', NOW, 1] },
    { name: 'sync thread died: its leases end', sql: REPORT_SQL.expireLeases, params: { now: NOW, worker: 'w' } },
    { name: 'sync claim: invoice JSON', sql: REPORT_SQL.invoiceJson, params: [1] },
    { name: 'sync claim: demo waiting', sql: REPORT_SQL.demoWaiting, params: [], demoOnly: true },
    { name: 'sync next due', sql: REPORT_SQL.nextDueAt, params: [] },
    { name: 'status strip: report queue counts', sql: REPORT_SQL.countOpen, params: [] },
    { name: 'status strip: demo report counts', sql: REPORT_SQL.countDemo, params: [], demoOnly: true },
    { name: 'status strip: oldest unreported B2C', sql: REPORT_SQL.oldestB2c, params: { status: 'pending' }, indexOrder: true },
    { name: 'status strip: collisions', sql: REPORT_SQL.collisions, params: [] },
    { name: 'status strip: last error', sql: REPORT_SQL.lastError, params: [] },
    { name: 'status strip: print queue', sql: WATCH_SQL.printQueued, params: [] },
    { name: 'change watch: new invoices', sql: WATCH_SQL.countersAfter, params: [1, 300], indexOrder: true },
    { name: 'change watch: outbox changes', sql: WATCH_SQL.outboxChangedSince, params: [NOW, 300], indexOrder: true },
    { name: 'cloud queue: pending count', sql: CLOUD_SQL.pendingCount, params: [] },
    { name: 'cloud queue: stale rows', sql: CLOUD_SQL.stale, params: [] },
    { name: 'cloud queue: pending rows', sql: CLOUD_SQL.pending, params: [NOW, 100], indexOrder: true },
    { name: 'cloud day summary rows', sql: CLOUD_SQL.dayRows, params: [DAY], indexOrder: true },
    ...dayView('plain', {}),
    ...dayView('oldest first', { order: 'asc' }),
    ...dayView('search text', { search: 'T01-0042' }),
    ...dayView('search amount', { search: '1,500.00' }),
    ...dayView('search item name', { search: 'rice' }),
    ...dayView('search two characters', { search: 'ad' }),
    ...dayView('status filter', { status: 'pending_report' }),
    ...dayView('method filter', { method: 'card' }),
    ...dayView('B2B credit notes by source', { party: 'b2b', kind: 'credit_note', source: 'manual' }),
    { name: "day summary / Z report / CSV export: a day's invoices", sql: REPORT_INVOICES_SQL, params: [DAY, NOW], indexOrder: true },
    { name: 'CSV export: a page of a day', sql: REPORT_INVOICES_PAGE_SQL, params: [DAY, 1000, 500], indexOrder: true },
    { name: 'report totals: latest Z', sql: REPORT_TOTALS_SQL.latestZ, params: [] },
    { name: 'day summary: totals of a day', sql: REPORT_TOTALS_SQL.day, params: [DAY] },
    { name: 'Z report: totals of a period', sql: REPORT_TOTALS_SQL.period, params: PERIOD },
    {
      name: 'Z report: open reports of a period',
      sql: REPORT_TOTALS_SQL.periodOpenReports,
      params: { ...PERIOD, prev_head: 990_000, head: 1_000_000, first: 990_001, last: 1_000_000 },
    },
    { name: 'Z report: closes out of order', sql: REPORT_TOTALS_SQL.unorderedCloses, params: { ...PERIOD, prev_head: 990_000 } },
    { name: 'Z report: a gap up to the day', sql: REPORT_TOTALS_SQL.gapUpTo, params: [DAY] },
    { name: 'Z report: first/last invoice', sql: REPORT_TOTALS_SQL.invoiceAt, params: [1] },
    {
      name: 'verify: the chain after a checkpoint',
      sql: `${WALK_SQL} WHERE counter > ? ORDER BY counter`,
      params: [999_000],
      indexOrder: true,
    },
    { name: 'verify: the checkpointed invoice', sql: `${WALK_SQL} WHERE counter = ?`, params: [999_000] },
    {
      name: 'verify --full: one worker’s range',
      sql: `${WALK_SQL} WHERE counter > ? AND counter <= ? ORDER BY counter`,
      params: [500_000, 750_000],
      indexOrder: true,
    },
    { name: 'verify --full: the hash before a range', sql: 'SELECT hash FROM invoices WHERE counter = ?', params: [500_000] },
  ];
}
