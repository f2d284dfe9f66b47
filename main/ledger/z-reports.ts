// Closed Z reports: the append-only record of day closes (migration 009-z-reports). A close
// allocates the next Z number, fixes the chain range it covers (the chain head at the close:
// invoices issued later belong to a later period, whatever their sale date) and stores the
// report as computed, all in one IMMEDIATE transaction, so two closes can never share a number.
import { z } from 'zod';
import type { Db } from './database';
import { prepared } from './prepared';
import { decodeSale } from './invoice-body';
import { col, many, one } from './rows';
import { ReportRow, reportStatus } from './day-view';
import type { Sale } from '../../shared/domain/sale';
import type { ReportInvoice } from '../../shared/reports/day-summary';
import type { CsvInvoice } from '../../shared/reports/csv';

const GENESIS = '0'.repeat(64);

const ZRow = z.object({
  z_number: col.int,
  day: col.text,
  first_counter: col.int.nullable(),
  last_counter: col.int.nullable(),
  head_counter: col.int,
  head_hash: col.text,
  closed_at: col.int,
  report_json: col.text.nullable(),
});
export type ZClose = z.output<typeof ZRow>;

const Head = z.object({ counter: col.int, hash: col.text });

/** What the caller computes for a close, given the fixed range. */
export interface ZBuild {
  first_counter: number | null;
  last_counter: number | null;
  report_json: string;
}

export class ZReports {
  constructor(private readonly db: Db) {}

  get(day: string): ZClose | undefined {
    return one(ZRow, 'z_reports', prepared(this.db, 'SELECT * FROM z_reports WHERE day = ?'), day);
  }

  /**
   * Closes `day` once: returns the existing close if there is one; otherwise allocates the next
   * Z number and records what `build` computes for invoices up to the current chain head.
   */
  close(day: string, closedAt: number, build: (close: Omit<ZClose, 'first_counter' | 'last_counter' | 'report_json'>) => ZBuild): ZClose {
    const tx = this.db.transaction((): ZClose => {
      const existing = this.get(day);
      if (existing) return existing;
      const head = one(Head, 'chain head', prepared(this.db, 'SELECT counter, hash FROM invoices ORDER BY counter DESC LIMIT 1')) ?? {
        counter: 0,
        hash: GENESIS,
      };
      const next = one(
        z.object({ n: col.int }),
        'z number',
        prepared(this.db, 'SELECT COALESCE(MAX(z_number), 0) + 1 AS n FROM z_reports'),
      )!.n;
      const fixed = { z_number: next, day, head_counter: head.counter, head_hash: head.hash, closed_at: closedAt };
      const built = build(fixed);
      prepared(
        this.db,
        `INSERT INTO z_reports (z_number, day, first_counter, last_counter, head_counter, head_hash, closed_at, report_json)
         VALUES (@z_number, @day, @first_counter, @last_counter, @head_counter, @head_hash, @closed_at, @report_json)`,
      ).run({ ...fixed, ...built });
      return { ...fixed, ...built };
    });
    return tx.immediate();
  }

  byNumber(zNumber: number): ZClose | undefined {
    return one(ZRow, 'z_reports', prepared(this.db, 'SELECT * FROM z_reports WHERE z_number = ?'), zNumber);
  }

  /** The latest close (highest Z number), if any. */
  latest(): ZClose | undefined {
    return one(ZRow, 'z_reports', prepared(this.db, 'SELECT * FROM z_reports ORDER BY z_number DESC LIMIT 1'));
  }

  /** The close before Z `zNumber` (the one a period is measured against), if any. */
  previous(zNumber: number): ZClose | undefined {
    return one(ZRow, 'z_reports', prepared(this.db, 'SELECT * FROM z_reports WHERE z_number < ? ORDER BY z_number DESC LIMIT 1'), zNumber);
  }

  /**
   * The invoices of the period labelled `day`: issued up to chain counter `head`, dated `day` or
   * earlier, and not already in an earlier Z (one numbered below `zNumber` whose close covered
   * them: issued by its head and dated by its day). So a sale dated a closed day but issued after
   * its close — a late POS order, a till sale — lands in the next period, and a sale dated after
   * the day being closed waits for its own.
   */
  periodInvoices(day: string, head: number, zNumber: number): (ReportInvoice & CsvInvoice)[] {
    const prev = this.previous(zNumber);
    const rows = many(
      ReportRow,
      'period invoices',
      prepared(
        this.db,
        // Candidates first, each half on an index (the chain counter; the date): issued after the
        // previous close, or issued before it but dated after its day. So a report reads the new
        // period, not the whole chain. The NOT EXISTS then decides (it alone is the rule).
        `WITH cand(counter) AS (
           SELECT counter FROM invoices WHERE counter > @prev_head AND counter <= @head AND issue_date <= @day
           UNION ALL
           SELECT counter FROM invoices WHERE counter <= @prev_head AND issue_date > @prev_day AND issue_date <= @day
         )
         SELECT i.counter, i.invoice_number, i.irn, i.type, i.source, i.external_id, i.issued_at, i.payable_kobo, i.net_kobo, i.tax_kobo,
                i.tip_kobo, i.hash, i.b2b, i.original_irn, i.dictionary_id, i.body, r.status AS report_status
           FROM cand c JOIN invoices i ON i.counter = c.counter
           LEFT JOIN outbox r ON r.invoice_counter = i.counter AND r.kind = 'report'
          WHERE NOT EXISTS (SELECT 1 FROM z_reports z
                             WHERE z.z_number < @z AND z.head_counter >= i.counter AND z.day >= i.issue_date)
          ORDER BY i.counter`,
      ),
      { head, day, z: zNumber, prev_head: prev?.head_counter ?? 0, prev_day: prev?.day ?? '' },
    );
    return rows.map(({ dictionary_id, body, report_status, ...r }) => ({
      ...r,
      sale: decodeSale<Sale>(this.db, dictionary_id, body),
      status: reportStatus(r.source, report_status),
    }));
  }

  /** Seals a close carried over from the settings blob (report_json NULL) with its report, once. */
  seal(zNumber: number, reportJson: string): void {
    prepared(this.db, 'UPDATE z_reports SET report_json = ? WHERE z_number = ? AND report_json IS NULL').run(reportJson, zNumber);
  }
}
