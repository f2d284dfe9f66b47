// Running report totals (migration 021-report-totals): what each issued invoice adds to its day's
// reports, added up in the sale's own transaction, so a day summary or a Z report reads a few
// dozen rows instead of parsing every invoice of the day (issue 15: 650–760 ms for 10,000).
//
// Rows are keyed by the invoice's Lagos date, the Z close it was issued after (`after_z`: the
// latest Z number at issue; 0 before the first close) and the demo flag, then by what the reports
// group by (`dim`/`key`). A Z period is "dated up to its day and issued by its close, less what
// the previous close covered" (main/ledger/z-reports.ts): with `after_z` that is two index ranges
// of this table. Columns n/a/b/c/d by dim:
//   doc  (key 'sale' | 'credit')       n invoices, a payable, b net, c tax, d tip (stored, positive)
//   vat  (key 'CATEGORY|rate')         n subtotals, a taxable, b tax (signed: credit notes subtract)
//   pay  (key method)                  n payments, a taken (cash net of change), b tendered (signed)
//   hour (key '00'..'23', Lagos time)  n invoices, a payable (signed)
// first/last_counter: the range of invoices behind the row (the order groups first appeared in,
// and a period's first and last invoice).
import { z } from 'zod';
import type { Db } from './database';
import { prepared } from './prepared';
import { col, many, one } from './rows';
import type { Sale } from '../../shared/domain/sale';
import { computeTotals } from '../../shared/domain/totals';
import type { PaymentMethod } from '../../shared/domain/payment-means';
import { contribution, emptyTotals, type Contribution, type PeriodFacts, type ReportTotals } from '../../shared/reports/day-summary';

const UPSERT = `INSERT INTO report_totals (issue_date, after_z, demo, dim, key, n, a, b, c, d, first_counter, last_counter)
  VALUES (@issue_date, @after_z, @demo, @dim, @key, @n, @a, @b, @c, @d, @first, @last)
  ON CONFLICT (issue_date, after_z, demo, dim, key) DO UPDATE SET
    n = n + excluded.n, a = a + excluded.a, b = b + excluded.b, c = c + excluded.c, d = d + excluded.d,
    first_counter = min(first_counter, excluded.first_counter), last_counter = max(last_counter, excluded.last_counter)`;

/** UPSERT of `n` rows at once (positional parameters, 12 a row in the order of its columns). */
function upsertRows(n: number): string {
  const values = Array.from({ length: n }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
  return UPSERT.replace('(@issue_date, @after_z, @demo, @dim, @key, @n, @a, @b, @c, @d, @first, @last)', `${values}`);
}

const SUMS = `SELECT dim, key, demo, SUM(n) AS n, SUM(a) AS a, SUM(b) AS b, SUM(c) AS c, SUM(d) AS d,
    MIN(first_counter) AS first, MAX(last_counter) AS last`;

/** The report queries, by name (their plans are checked by test/ledger/query-plans.test.ts). */
export const REPORT_TOTALS_SQL = {
  upsert: UPSERT,
  latestZ: 'SELECT COALESCE(MAX(z_number), 0) AS n FROM z_reports',
  day: `${SUMS} FROM report_totals WHERE issue_date = ? GROUP BY dim, key, demo`,
  // A Z period: issued after the previous close and dated up to the day; or issued by the
  // previous close but dated after its day (a sale dated tomorrow, rung up before today's close).
  // Each half on its own index: the second by date (unary +: never "every period before the last").
  period: `${SUMS} FROM (
      SELECT * FROM report_totals WHERE after_z >= @prev_z AND issue_date <= @day
      UNION ALL
      SELECT * FROM report_totals WHERE +after_z < @prev_z AND issue_date > @prev_day AND issue_date <= @day
    ) GROUP BY dim, key, demo`,
  // Report jobs not done in the period's counter range, each (status, b2b) an index range
  // (outbox_report_open ends with the key): the period's own jobs, whatever the ledger's backlog.
  periodOpenReports: `SELECT COUNT(*) AS n FROM outbox o JOIN invoices i ON i.counter = o.invoice_counter
     WHERE o.kind = 'report' AND o.status IN ('pending', 'sending', 'retrying', 'rejected', 'dead') AND o.b2b IN (0, 1)
       AND o.invoice_counter BETWEEN @first AND @last AND i.source != 'demo'
       AND ((i.counter > @prev_head AND i.counter <= @head AND i.issue_date <= @day)
         OR (i.counter <= @prev_head AND i.issue_date > @prev_day AND i.issue_date <= @day))`,
  // Closes before the previous one that it does not contain (only possible with closes carried
  // over from the old settings blob): then "less what the previous close covered" is not enough.
  unorderedCloses: 'SELECT 1 AS n FROM z_reports WHERE z_number < @prev_z AND (day > @prev_day OR head_counter > @prev_head) LIMIT 1',
  gapUpTo: 'SELECT 1 AS n FROM report_totals_gaps WHERE issue_date <= ? LIMIT 1',
  gapOn: 'SELECT 1 AS n FROM report_totals_gaps WHERE issue_date = ?',
  invoiceAt: 'SELECT invoice_number, hash FROM invoices WHERE counter = ?',
} as const;

const SumRow = z.object({
  dim: z.enum(['doc', 'vat', 'pay', 'hour']),
  key: col.text,
  demo: col.flag,
  n: col.int,
  a: col.int,
  b: col.int,
  c: col.int,
  d: col.int,
  first: col.int,
  last: col.int,
});
type SumRow = z.output<typeof SumRow>;
const N = z.object({ n: col.int });
const At = z.object({ invoice_number: col.text, hash: col.text });

interface TotalsRow {
  issue_date: string;
  after_z: number;
  demo: 0 | 1;
  dim: SumRow['dim'];
  key: string;
  n: number;
  a: number;
  b: number;
  c: number;
  d: number;
  first: number;
  last: number;
}

/** One invoice's contribution as report_totals rows. */
function rowsOf(counter: number, issueDate: string, afterZ: number, c: Contribution): TotalsRow[] {
  const base = { issue_date: issueDate, after_z: afterZ, demo: c.demo ? 1 : 0, first: counter, last: counter } as const;
  const rows: TotalsRow[] = [
    {
      ...base,
      dim: 'doc',
      key: c.credit ? 'credit' : 'sale',
      n: 1,
      a: c.payable_kobo,
      b: c.net_kobo,
      c: c.tax_kobo,
      d: c.tip_kobo,
    },
    {
      ...base,
      dim: 'hour',
      key: String(c.hour).padStart(2, '0'),
      n: 1,
      a: c.credit ? -c.payable_kobo : c.payable_kobo,
      b: 0,
      c: 0,
      d: 0,
    },
  ];
  for (const v of c.vat)
    rows.push({ ...base, dim: 'vat', key: `${v.category}|${v.rate}`, n: 1, a: v.taxable_kobo, b: v.tax_kobo, c: 0, d: 0 });
  for (const p of c.payments) rows.push({ ...base, dim: 'pay', key: p.method, n: 1, a: p.amount_kobo, b: p.tendered_kobo, c: 0, d: 0 });
  return rows;
}

/** Summed rows (in any order) as the reports' totals, each group in the order it first appeared. */
function toTotals(rows: readonly SumRow[]): { totals: ReportTotals; first: number | null; last: number | null } {
  const totals = emptyTotals();
  const vat = new Map<string, { first: number; row: ReportTotals['vat'][number] }>();
  const pay = new Map<string, { first: number; row: ReportTotals['payments'][number] }>();
  let first: number | null = null;
  let last: number | null = null;
  for (const r of rows) {
    if (r.dim === 'doc') {
      totals.docs.push({
        credit: r.key === 'credit',
        demo: r.demo,
        count: r.n,
        payable_kobo: r.a,
        net_kobo: r.b,
        tax_kobo: r.c,
        tip_kobo: r.d,
      });
      first = first === null ? r.first : Math.min(first, r.first);
      last = last === null ? r.last : Math.max(last, r.last);
    } else if (r.dim === 'hour') {
      const h = totals.hourly[Number(r.key)]!;
      h.count += r.n;
      h.payable_kobo += r.a;
    } else if (r.dim === 'vat') {
      const bar = r.key.indexOf('|');
      const g = vat.get(r.key) ?? {
        first: r.first,
        row: {
          category: r.key.slice(0, bar) as ReportTotals['vat'][number]['category'],
          rate: r.key.slice(bar + 1),
          taxable_kobo: 0,
          tax_kobo: 0,
        },
      };
      g.first = Math.min(g.first, r.first);
      g.row.taxable_kobo += r.a;
      g.row.tax_kobo += r.b;
      vat.set(r.key, g);
    } else {
      const g = pay.get(r.key) ?? { first: r.first, row: { method: r.key as PaymentMethod, amount_kobo: 0, count: 0 } };
      g.first = Math.min(g.first, r.first);
      g.row.amount_kobo += r.a;
      g.row.count += r.n;
      pay.set(r.key, g);
    }
  }
  const inOrder = <T>(m: Map<string, { first: number; row: T }>) => [...m.values()].sort((x, y) => x.first - y.first).map((g) => g.row);
  totals.vat = inOrder(vat);
  totals.payments = inOrder(pay);
  return { totals, first, last };
}

/** The Z close a period is measured against: the previous one (none: z 0, head 0, day ''). */
export interface PreviousClose {
  z_number: number;
  head_counter: number;
  day: string;
}

export class ReportTotalsStore {
  constructor(private readonly db: Db) {}

  /** Adds an invoice being issued (called inside the issuing transaction, after its row is written). */
  record(counter: number, issueDate: string, c: Contribution): void {
    const afterZ = one(N, 'latest z', prepared(this.db, REPORT_TOTALS_SQL.latestZ))!.n;
    // All of the invoice's rows in one statement (SQLite applies them in order, a row conflicting
    // with one before it included, as the statement per row did).
    const rows = rowsOf(counter, issueDate, afterZ, c);
    prepared(this.db, upsertRows(rows.length)).run(
      rows.flatMap((r) => [r.issue_date, r.after_z, r.demo, r.dim, r.key, r.n, r.a, r.b, r.c, r.d, r.first, r.last]),
    );
  }

  /** A day's totals; undefined when some invoice of the day could not be added up (see backfill). */
  day(date: string): ReportTotals | undefined {
    if (one(N, 'report totals gap', prepared(this.db, REPORT_TOTALS_SQL.gapOn), date)) return undefined;
    return toTotals(many(SumRow, 'day totals', prepared(this.db, REPORT_TOTALS_SQL.day), date)).totals;
  }

  /**
   * A Z period's totals and facts: dated up to `day`, issued by chain counter `head`, not covered
   * by `prev`. Undefined when the running totals cannot say it exactly (closes out of order, or a
   * day the upgrade could not add up): the caller then reads the invoices.
   */
  period(
    day: string,
    head: number,
    prev: PreviousClose,
  ): { totals: ReportTotals; facts: PeriodFacts; first: number | null; last: number | null } | undefined {
    const p = { prev_z: prev.z_number, prev_day: prev.day, prev_head: prev.head_counter };
    if (one(N, 'z order', prepared(this.db, REPORT_TOTALS_SQL.unorderedCloses), p)) return undefined;
    if (one(N, 'report totals gap', prepared(this.db, REPORT_TOTALS_SQL.gapUpTo), day)) return undefined;
    const { totals, first, last } = toTotals(many(SumRow, 'period totals', prepared(this.db, REPORT_TOTALS_SQL.period), { ...p, day }));
    const count = totals.docs.reduce((s, d) => s + d.count, 0);
    const demo = totals.docs.reduce((s, d) => s + (d.demo ? d.count : 0), 0);
    const open =
      first === null
        ? 0
        : one(N, 'period open reports', prepared(this.db, REPORT_TOTALS_SQL.periodOpenReports), { ...p, day, head, first, last })!.n;
    const at = (counter: number | null) =>
      counter === null ? undefined : one(At, 'invoice at counter', prepared(this.db, REPORT_TOTALS_SQL.invoiceAt), counter);
    const a = at(first);
    const b = at(last);
    return {
      totals,
      facts: {
        first_invoice: a?.invoice_number ?? null,
        last_invoice: b?.invoice_number ?? null,
        chain_head: b?.hash ?? null,
        reported: count - demo - open,
      },
      first,
      last,
    };
  }
}

const BackfillRow = z.object({
  counter: col.int,
  type: col.text,
  source: col.text,
  issued_at: col.int,
  issue_date: col.text,
  payable_kobo: col.int,
  net_kobo: col.int,
  tax_kobo: col.int,
  tip_kobo: col.int,
  sale_json: col.text,
});

/**
 * Adds up the invoices already in the ledger (run once by migration 021). Each invoice counts after
 * the latest close whose chain head it is beyond, as it would have at issue. A day with an invoice
 * whose sale no longer adds up to its stored columns is recorded as a gap: its reports keep
 * reading the invoices (and say what is wrong, as before).
 */
export function backfillReportTotals(db: Db): void {
  const heads = many(
    z.object({ z_number: col.int, head_counter: col.int }),
    'z heads',
    db.prepare('SELECT z_number, head_counter FROM z_reports ORDER BY z_number'),
  );
  const afterZ = (counter: number) => heads.reduce((z, h) => (h.head_counter < counter && h.z_number > z ? h.z_number : z), 0);
  const sums = new Map<string, TotalsRow>();
  const gaps = new Set<string>();
  const rows = db
    .prepare(
      'SELECT counter, type, source, issued_at, issue_date, payable_kobo, net_kobo, tax_kobo, tip_kobo, sale_json FROM invoices ORDER BY counter',
    )
    .iterate();
  for (const raw of rows) {
    const inv = BackfillRow.parse(raw);
    let c: Contribution;
    try {
      const t = computeTotals(JSON.parse(inv.sale_json) as Sale);
      if (t.taxInclusive !== inv.payable_kobo || t.taxTotal !== inv.tax_kobo || t.taxExclusive !== inv.net_kobo || t.tip !== inv.tip_kobo)
        throw new Error('stored totals differ');
      c = contribution(inv, t);
    } catch {
      gaps.add(inv.issue_date);
      continue;
    }
    for (const r of rowsOf(inv.counter, inv.issue_date, afterZ(inv.counter), c)) {
      const k = `${r.issue_date}\u0000${r.after_z}\u0000${r.demo}\u0000${r.dim}\u0000${r.key}`;
      const s = sums.get(k);
      if (!s) sums.set(k, r);
      else {
        s.n += r.n;
        s.a += r.a;
        s.b += r.b;
        s.c += r.c;
        s.d += r.d;
        s.last = r.last;
      }
    }
  }
  const put = db.prepare(UPSERT);
  for (const r of sums.values()) put.run(r);
  const gap = db.prepare('INSERT INTO report_totals_gaps (issue_date) VALUES (?)');
  for (const d of gaps) gap.run(d);
}
