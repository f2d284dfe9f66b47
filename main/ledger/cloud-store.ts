// What the TaxPoynt cloud still needs and what it has accepted (tables cloud_queue,
// cloud_days_dirty, cloud_invoice_uploads, cloud_day_uploads: migrations 004 and 008). The
// uploader (main/cloud/cloud-uploader.ts) owns the protocol; this module owns the SQL.
import { z } from 'zod';
import type { Db } from './database';
import { prepared } from './prepared';
import { col, many, one } from './rows';
import { decodeBody } from './invoice-body';

// The wire report state of an invoice, from the outbox and the report results.
const STATE_SQL = `CASE WHEN i.source = 'demo' OR rr.outcome = 'not_reportable' THEN 'not_reportable'
  WHEN o.status = 'done' THEN 'reported' WHEN o.status = 'rejected' THEN 'rejected' WHEN o.status = 'dead' THEN 'failed' ELSE 'pending' END`;

const QUEUED = `FROM cloud_queue q JOIN invoices i ON i.counter = q.invoice_counter
     LEFT JOIN outbox o ON o.invoice_counter = i.counter AND o.kind = 'report'
     LEFT JOIN report_results rr ON rr.invoice_counter = i.counter LEFT JOIN cloud_invoice_uploads cu ON cu.invoice_counter = i.counter`;

/** The uploader's queries, by name (their plans are checked by test/ledger/query-plans.test.ts). */
export const CLOUD_SQL = {
  pendingCount: `SELECT COUNT(*) AS n ${QUEUED} WHERE cu.invoice_counter IS NULL OR cu.state_sent != (${STATE_SQL})`,
  stale: `SELECT q.invoice_counter ${QUEUED} WHERE cu.state_sent = (${STATE_SQL})`,
  pending: `SELECT i.counter, i.irn, i.invoice_number, i.type, i.source, i.external_id, i.issued_at, i.issue_date, i.currency, i.payable_kobo,
              i.tax_kobo, i.net_kobo, i.tip_kobo, i.b2b, i.original_irn, i.qr, i.hash, i.prev_hash, i.dictionary_id, i.body, ${STATE_SQL} AS state
         ${QUEUED}
        WHERE (cu.invoice_counter IS NULL OR cu.state_sent != (${STATE_SQL}))
          AND ((${STATE_SQL}) != 'pending' OR i.recorded_at <= ?)
        ORDER BY q.invoice_counter LIMIT ?`,
  dayRows: `SELECT i.invoice_number, i.type, i.currency, i.payable_kobo, i.tax_kobo, i.tip_kobo, i.dictionary_id, i.body, i.hash, o.status AS report_status
         FROM invoices i LEFT JOIN outbox o ON o.invoice_counter = i.counter AND o.kind = 'report'
        WHERE i.issue_date = ? AND i.source != 'demo' ORDER BY i.counter`,
} as const;

const ReportState = z.enum(['pending', 'reported', 'rejected', 'failed', 'not_reportable']);
export type CloudReportState = z.output<typeof ReportState>;

const PendingRow = z.object({
  counter: col.int,
  irn: col.text,
  invoice_number: col.text,
  type: z.enum(['381', '380']),
  source: col.text,
  external_id: col.text,
  issued_at: col.int,
  issue_date: col.text,
  currency: col.text,
  payable_kobo: col.int,
  tax_kobo: col.int,
  net_kobo: col.int,
  tip_kobo: col.int,
  b2b: col.flag,
  original_irn: col.text.nullable(),
  qr: col.text,
  hash: col.text,
  prev_hash: col.text,
  dictionary_id: col.int,
  body: z.instanceof(Buffer),
  state: ReportState,
});
export type CloudPendingRow = Omit<z.output<typeof PendingRow>, 'dictionary_id' | 'body'> & { invoice_json: string; sale_json: string };

const DayRow = z.object({
  invoice_number: col.text,
  type: col.text,
  currency: col.text,
  payable_kobo: col.int,
  tax_kobo: col.int,
  tip_kobo: col.int,
  dictionary_id: col.int,
  body: z.instanceof(Buffer),
  hash: col.text,
  report_status: col.text.nullable(),
});
export type CloudDayRow = Omit<z.output<typeof DayRow>, 'dictionary_id' | 'body'> & { sale_json: string };

const Count = z.object({ n: col.int });

export class CloudStore {
  constructor(private readonly db: Db) {}

  /** Queued invoices whose current state the cloud has not got (recent invoices only: runs on every status push). */
  pendingCount(): number {
    return one(Count, 'cloud pending', prepared(this.db, CLOUD_SQL.pendingCount))!.n;
  }

  rejectedCount(): number {
    return one(Count, 'cloud rejected', prepared(this.db, `SELECT COUNT(*) AS n FROM cloud_invoice_uploads WHERE outcome = 'rejected'`))!.n;
  }

  /**
   * Queued invoices due for upload, oldest first. Queue rows whose current state is already in the
   * cloud (e.g. queued twice) are dropped first; a 'pending' invoice waits until `pendingBefore`.
   */
  pending(pendingBefore: number, limit: number): CloudPendingRow[] {
    const stale = many(z.object({ invoice_counter: col.int }), 'cloud stale', prepared(this.db, CLOUD_SQL.stale));
    if (stale.length > 0) {
      const del = prepared(this.db, 'DELETE FROM cloud_queue WHERE invoice_counter = ?');
      this.db.transaction(() => stale.forEach((r) => del.run(r.invoice_counter))).immediate();
    }
    return many(PendingRow, 'cloud pending', prepared(this.db, CLOUD_SQL.pending), pendingBefore, limit).map(
      ({ dictionary_id, body, ...r }) => ({ ...r, ...decodeBody(this.db, dictionary_id, body) }),
    );
  }

  /** Records the cloud's answers in one transaction; an invoice leaves the queue only if its state did not change meanwhile. */
  recordInvoiceResults(
    batchKey: string,
    at: number,
    results: readonly { counter: number; state: string; outcome: string; reason: string | null }[],
  ): void {
    const record = prepared(
      this.db,
      `INSERT INTO cloud_invoice_uploads (invoice_counter, state_sent, outcome, reason, batch_key, uploaded_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(invoice_counter) DO UPDATE SET state_sent = excluded.state_sent, outcome = excluded.outcome, reason = excluded.reason,
         batch_key = excluded.batch_key, uploaded_at = excluded.uploaded_at`,
    );
    const current = prepared(
      this.db,
      `SELECT ${STATE_SQL} AS state FROM invoices i LEFT JOIN outbox o ON o.invoice_counter = i.counter AND o.kind = 'report'
         LEFT JOIN report_results rr ON rr.invoice_counter = i.counter WHERE i.counter = ?`,
    );
    const dequeue = prepared(this.db, 'DELETE FROM cloud_queue WHERE invoice_counter = ?');
    this.db
      .transaction(() => {
        for (const r of results) {
          record.run(r.counter, r.state, r.outcome, r.reason, batchKey, at);
          if (one(z.object({ state: ReportState }), 'cloud state', current, r.counter)?.state === r.state) dequeue.run(r.counter);
        }
      })
      .immediate();
  }

  /** Days a new invoice touched (filled by a trigger) before `before`. */
  dirtyDays(before: string): string[] {
    return many(
      z.object({ day: col.text }),
      'cloud_days_dirty',
      prepared(this.db, 'SELECT day FROM cloud_days_dirty WHERE day < ? ORDER BY day'),
      before,
    ).map((r) => r.day);
  }

  cleanDay(day: string): void {
    prepared(this.db, 'DELETE FROM cloud_days_dirty WHERE day = ?').run(day);
  }

  uploadedDigest(day: string): string | undefined {
    return one(
      z.object({ digest: col.text }),
      'cloud_day_uploads',
      prepared(this.db, 'SELECT digest FROM cloud_day_uploads WHERE day = ?'),
      day,
    )?.digest;
  }

  /** Records a day upload; the day is cleaned only if `unchanged()` still holds in the same transaction. */
  recordDay(day: string, digest: string, outcome: string, reason: string | null, at: number, unchanged: () => boolean): void {
    this.db
      .transaction(() => {
        prepared(
          this.db,
          `INSERT INTO cloud_day_uploads (day, digest, outcome, reason, uploaded_at) VALUES (?, ?, ?, ?, ?)
                         ON CONFLICT(day) DO UPDATE SET digest = excluded.digest, outcome = excluded.outcome, reason = excluded.reason, uploaded_at = excluded.uploaded_at`,
        ).run(day, digest, outcome, reason, at);
        if (unchanged()) this.cleanDay(day);
      })
      .immediate();
  }

  /** A day's non-demo invoices with their report state, for the day summary. */
  dayRows(day: string): CloudDayRow[] {
    return many(DayRow, 'cloud day', prepared(this.db, CLOUD_SQL.dayRows), day).map(({ dictionary_id, body, ...r }) => ({
      ...r,
      sale_json: decodeBody(this.db, dictionary_id, body).sale_json,
    }));
  }
}
