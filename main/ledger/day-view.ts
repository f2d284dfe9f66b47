// The manager's day view as SQL: one Lagos day of invoices, searched and filtered in the
// database, one page at a time, so 10,000+ invoices a day stay quick (bench/day-view.ts).
// Reads only; the ledger owns every write. Rows are checked at the boundary (./rows.ts).
import type { Db } from './database';
import { prepared } from './prepared';
import { z } from 'zod';
import { col, many, one, parseRow } from './rows';
import { parseKobo } from '../../shared/domain/money';
import type { InvoiceStatus, InvoiceSummary, Request } from '../../shared/ipc/contract';
import type { PaymentMethod } from '../../shared/domain/payment-means';
import { INVOICE_TYPE } from '../../shared/domain/firs-invoice';
import type { Sale } from '../../shared/domain/sale';
import type { ReportInvoice } from '../../shared/reports/day-summary';
import type { CsvInvoice } from '../../shared/reports/csv';
import { decodeSale } from './invoice-body';

export type DayQuery = Required<Pick<Request<'invoices.listByDay'>, 'date'>> & Omit<Request<'invoices.listByDay'>, 'date'>;

export interface DayPage {
  date: string;
  total: number;
  totals: { payable_kobo: number; tax_kobo: number };
  items: InvoiceSummary[];
  nextOffset: number | null;
}

const Row = z.object({
  counter: col.int,
  irn: col.text,
  invoice_number: col.text,
  type: col.text,
  source: col.text,
  external_id: col.text,
  issued_at: col.int,
  issue_date: col.text,
  payable_kobo: col.int,
  tax_kobo: col.int,
  net_kobo: col.int,
  b2b: col.flag,
  original_irn: col.text.nullable(),
  customer: z.unknown().transform((v) => (v === null || v === undefined ? null : String(v))),
  methods: col.text.nullable(),
  report_status: col.text.nullable(),
  print_status: col.text.nullable(),
  refunded_kobo: col.int,
});
type Row = z.output<typeof Row>;
const WHAT = 'day view';

/** Outbox report state → what the till shows. */
export function reportStatus(source: string, outbox: string | null): InvoiceStatus {
  if (source === 'demo') return 'demo';
  switch (outbox) {
    case 'sending':
      return 'reporting';
    case 'done':
      return 'reported';
    case 'rejected':
      return 'rejected';
    case 'dead':
      return 'failed';
    default:
      return 'pending_report';
  }
}

export function printStatus(outbox: string | null | undefined): InvoiceSummary['print'] {
  switch (outbox) {
    case 'sending':
      return 'printing';
    case 'done':
      return 'printed';
    case 'rejected':
    case 'dead':
      return 'failed';
    default:
      return 'pending';
  }
}

const STATUS_SQL: Record<InvoiceStatus, string> = {
  demo: "i.source = 'demo'",
  pending_report: "i.source != 'demo' AND COALESCE(r.status, 'pending') IN ('pending', 'retrying')",
  reporting: "i.source != 'demo' AND r.status = 'sending'",
  reported: "i.source != 'demo' AND r.status = 'done'",
  rejected: "i.source != 'demo' AND r.status = 'rejected'",
  failed: "i.source != 'demo' AND r.status = 'dead'",
};

const FROM = `FROM invoices i
  LEFT JOIN outbox r ON r.invoice_counter = i.counter AND r.kind = 'report'
  LEFT JOIN outbox p ON p.invoice_counter = i.counter AND p.kind = 'print'`;

const COLUMNS = `i.counter, i.irn, i.invoice_number, i.type, i.source, i.external_id, i.issued_at, i.issue_date,
  i.payable_kobo, i.tax_kobo, i.net_kobo, i.b2b, i.original_irn,
  i.customer, NULLIF(i.methods, '') AS methods,
  r.status AS report_status, p.status AS print_status,
  (SELECT COALESCE(SUM(c.payable_kobo), 0) FROM invoices c WHERE c.original_irn = i.irn) AS refunded_kobo`;

const Agg = z.object({ n: col.int, payable: col.int, tax: col.int });

const AMOUNT = /^\d{1,3}(,\d{3})*(\.\d{1,2})?$|^\d+(\.\d{1,2})?$/;

export function rowToSummary(r: Row): InvoiceSummary {
  return {
    counter: r.counter,
    irn: r.irn,
    invoice_number: r.invoice_number,
    kind: r.type === INVOICE_TYPE.creditNote ? 'credit_note' : 'invoice',
    source: r.source as InvoiceSummary['source'],
    external_id: r.external_id,
    issued_at: r.issued_at,
    issue_date: r.issue_date,
    payable_kobo: r.payable_kobo,
    tax_kobo: r.tax_kobo,
    net_kobo: r.net_kobo,
    b2b: r.b2b,
    customer: r.customer,
    methods: (r.methods ? r.methods.split(' ') : []) as PaymentMethod[],
    original_irn: r.original_irn,
    status: reportStatus(r.source, r.report_status),
    print: printStatus(r.print_status),
    demo: r.source === 'demo',
    ...(r.type === INVOICE_TYPE.creditNote ? {} : { refunded_kobo: r.refunded_kobo }),
  };
}

/**
 * The day view's two queries for a filter (the day's count and totals, and one page), with their
 * parameters except the page's @limit/@offset. Exported so the query-plan test can check them.
 */
export function daySql(q: DayQuery): { agg: string; page: string; params: Record<string, unknown> } {
  const where = ['i.issue_date = @date'];
  const params: Record<string, unknown> = { date: q.date };
  const search = q.search?.trim();
  if (search) {
    const amount = AMOUNT.test(search) ? parseKobo(search.replaceAll(',', ''), 'search') : undefined;
    if (amount !== undefined) params.amount = amount;
    if ([...search].length >= 3) {
      // The trigram index of what the box searches (number, IRN, external id, buyer, TIN, item
      // names) within the day's counters, and an amount through invoices_day: only the hits are
      // read, never every invoice of the day.
      params.fts = `"${search.replaceAll('"', '""')}"`;
      const hits = [
        `SELECT rowid FROM invoice_search WHERE invoice_search MATCH @fts
           AND rowid BETWEEN (SELECT MIN(counter) FROM invoices WHERE issue_date = @date) AND (SELECT MAX(counter) FROM invoices WHERE issue_date = @date)`,
      ];
      if (amount !== undefined) hits.push('SELECT counter FROM invoices WHERE issue_date = @date AND payable_kobo = @amount');
      where.push(`i.counter IN (${hits.join(' UNION ALL ')})`);
    } else {
      // One or two characters: too short for trigrams; "contains" over the day's columns.
      params.like = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const parts = ['invoice_number', 'irn', 'external_id', 'customer', 'customer_tin'].map((c) => `i.${c} LIKE @like ESCAPE '\\'`);
      if (amount !== undefined) parts.push('i.payable_kobo = @amount');
      where.push(`(${parts.join(' OR ')})`);
    }
  }
  if (q.source) {
    // Unary +: a filter within the day, never an index (by source alone it would read every sale of the source).
    where.push('+i.source = @source');
    params.source = q.source;
  }
  if (q.status) where.push(`(${STATUS_SQL[q.status]})`);
  if (q.method) {
    where.push("instr(' ' || i.methods || ' ', ' ' || @method || ' ') > 0");
    params.method = q.method;
  }
  if (q.party) where.push(q.party === 'b2b' ? 'i.b2b = 1' : 'i.b2b = 0');
  if (q.kind) where.push(q.kind === 'credit_note' ? `i.type = '${INVOICE_TYPE.creditNote}'` : `i.type = '${INVOICE_TYPE.invoice}'`);
  const whereSql = where.join(' AND ');
  // The count and totals touch every matching row: join the report state only when filtering on it.
  const aggFrom = q.status
    ? `FROM invoices i LEFT JOIN outbox r ON r.invoice_counter = i.counter AND r.kind = 'report'`
    : 'FROM invoices i';
  return {
    agg: `SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN i.type = '${INVOICE_TYPE.creditNote}' THEN -i.payable_kobo ELSE i.payable_kobo END), 0) AS payable,
              COALESCE(SUM(CASE WHEN i.type = '${INVOICE_TYPE.creditNote}' THEN -i.tax_kobo ELSE i.tax_kobo END), 0) AS tax ${aggFrom} WHERE ${whereSql}`,
    page: `SELECT ${COLUMNS} ${FROM} WHERE ${whereSql} ORDER BY i.counter ${q.order === 'asc' ? 'ASC' : 'DESC'} LIMIT @limit OFFSET @offset`,
    params,
  };
}

export class DayView {
  constructor(private readonly db: Db) {}

  private sql(text: string) {
    return prepared(this.db, text);
  }

  list(q: DayQuery): DayPage {
    const { agg: aggSql, page, params } = daySql(q);
    const limit = q.limit ?? 200;
    const offset = q.offset ?? 0;
    const agg = parseRow(Agg, WHAT, this.sql(aggSql).get(params));
    const rows = many(Row, WHAT, this.sql(page), { ...params, limit, offset });
    return {
      date: q.date,
      total: agg.n,
      totals: { payable_kobo: agg.payable, tax_kobo: agg.tax },
      items: rows.map(rowToSummary),
      nextOffset: offset + rows.length < agg.n ? offset + rows.length : null,
    };
  }

  /** One invoice's list row (for pushed events). */
  summary(counter: number): InvoiceSummary | undefined {
    const row = one(Row, WHAT, this.sql(`SELECT ${COLUMNS} ${FROM} WHERE i.counter = ?`), counter);
    return row && rowToSummary(row);
  }

  /** Several invoices' list rows in one query, in counter order. */
  summaries(counters: readonly number[]): InvoiceSummary[] {
    if (!counters.length) return [];
    const rows = many(
      Row,
      WHAT,
      this.sql(`SELECT ${COLUMNS} ${FROM} WHERE i.counter IN (SELECT value FROM json_each(?)) ORDER BY i.counter`),
      JSON.stringify(counters),
    );
    return rows.map(rowToSummary);
  }

  /** Invoices whose report/print state changed since `sinceMs` (outbox.updated_at), for pushing updates. */
  changedSince(sinceMs: number, limit = 500): InvoiceSummary[] {
    const rows = many(
      Row,
      WHAT,
      this.sql(
        `SELECT ${COLUMNS} ${FROM} WHERE i.counter IN (SELECT invoice_counter FROM outbox WHERE updated_at > ? AND updated_at != created_at) ORDER BY i.counter LIMIT ?`,
      ),
      sinceMs,
      limit,
    );
    return rows.map(rowToSummary);
  }
}

/** One invoice as the reports read it (day summary, Z report and its period, CSV export). */
export const ReportRow = z.object({
  counter: col.int,
  invoice_number: col.text,
  irn: col.text,
  type: col.text,
  source: col.text,
  external_id: col.text,
  issued_at: col.int,
  payable_kobo: col.int,
  net_kobo: col.int,
  tax_kobo: col.int,
  tip_kobo: col.int,
  hash: col.text,
  b2b: col.flag,
  original_irn: col.text.nullable(),
  dictionary_id: col.int,
  body: z.instanceof(Buffer),
  report_status: col.text.nullable(),
});

/** A day's invoices (up to a chain counter) for the day summary, the Z report and the CSV export. */
export const REPORT_INVOICES_SQL = `SELECT i.counter, i.invoice_number, i.irn, i.type, i.source, i.external_id, i.issued_at, i.payable_kobo, i.net_kobo, i.tax_kobo, i.tip_kobo,
            i.hash, i.b2b, i.original_irn, i.dictionary_id, i.body, r.status AS report_status
       FROM invoices i LEFT JOIN outbox r ON r.invoice_counter = i.counter AND r.kind = 'report'
      WHERE i.issue_date = ? AND i.counter <= ? ORDER BY i.counter`;

/** What reports and exports need of each invoice of a day: the stored figures and the canonical
 * sale (not the FIRS JSON, which reports do not read: half the parsing of Ledger.listByDate).
 * `upTo`: only invoices up to this chain counter (a closed Z report's range). */
export function reportInvoices(db: Db, date: string, upTo?: number): (ReportInvoice & CsvInvoice)[] {
  const rows = many(ReportRow, 'report invoices', prepared(db, REPORT_INVOICES_SQL), date, upTo ?? Number.MAX_SAFE_INTEGER);
  return rows.map((r) => toReportInvoice(db, r));
}

function toReportInvoice(db: Db, { dictionary_id, body, report_status, ...r }: z.output<typeof ReportRow>): ReportInvoice & CsvInvoice {
  return { ...r, sale: decodeSale<Sale>(db, dictionary_id, body), status: LEDGER_STATUS[reportStatus(r.source, report_status)] };
}

/** One page of a day's invoices after chain counter `after`, in counter order (an export's chunk). */
export const REPORT_INVOICES_PAGE_SQL = `SELECT i.counter, i.invoice_number, i.irn, i.type, i.source, i.external_id, i.issued_at, i.payable_kobo, i.net_kobo, i.tax_kobo,
            i.tip_kobo, i.hash, i.b2b, i.original_irn, i.dictionary_id, i.body, r.status AS report_status
       FROM invoices i LEFT JOIN outbox r ON r.invoice_counter = i.counter AND r.kind = 'report'
      WHERE i.issue_date = ? AND i.counter > ? ORDER BY i.counter LIMIT ?`;

/**
 * Hands each invoice of one page to `each` as it is read (better-sqlite3's iterate: the page is
 * never held as a whole) and returns the last counter read, or null when the page was empty.
 * `each` must not use the connection: it runs while the statement is open.
 */
export function reportInvoicePage(
  db: Db,
  date: string,
  after: number,
  limit: number,
  each: (inv: ReportInvoice & CsvInvoice) => void,
): number | null {
  let last: number | null = null;
  for (const raw of prepared(db, REPORT_INVOICES_PAGE_SQL).iterate(date, after, limit)) {
    const inv = toReportInvoice(db, parseRow(ReportRow, 'report invoices', raw));
    each(inv);
    last = inv.counter;
  }
  return last;
}

/** The ledger's own report-status words (IssuedInvoice.status), as reports print them. */
const LEDGER_STATUS: Record<InvoiceStatus, string> = {
  pending_report: 'pending_report',
  reporting: 'reporting',
  reported: 'reported',
  rejected: 'rejected',
  failed: 'failed',
  demo: 'demo',
};
