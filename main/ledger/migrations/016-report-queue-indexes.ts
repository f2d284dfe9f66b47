import type { Migration } from './index';

// The report queue answered from indexes, whatever the ledger's size (issue 15). At 1M invoices the
// sync's claim sorted every due row (with its invoice JSON) to put B2B first, and the status strip
// counted the queue by walking every report job (`status != 'done'` on the old index is a walk of
// the whole 'report' half of the outbox), once a second.
//
// - outbox.b2b: the invoice's B2B flag on its report job, so "B2B first" is an index range, not a
//   sort of the whole backlog. Set by a trigger when the job is written (the invoice is inserted
//   first in the same transaction); existing jobs are filled once here.
// - outbox_report_due: due jobs per (status, b2b) in due order — the claim reads `limit` rows.
// - outbox_report_open: jobs per (status, b2b) in counter order (the key ends with the primary
//   key) — counts, and the oldest unreported B2C receipt of the 24-hour clock, read one row.
// Both are partial (kind = 'report'): print jobs pay nothing for them.
export const reportQueueIndexes: Migration = {
  id: '016-report-queue-indexes',
  sql: `
  ALTER TABLE outbox ADD COLUMN b2b INTEGER NOT NULL DEFAULT 0 CHECK (b2b IN (0, 1));
  UPDATE outbox SET b2b = 1 WHERE kind = 'report' AND invoice_counter IN (SELECT counter FROM invoices WHERE b2b = 1);

  CREATE TRIGGER outbox_report_b2b AFTER INSERT ON outbox
  WHEN NEW.kind = 'report' AND (SELECT b2b FROM invoices WHERE counter = NEW.invoice_counter) = 1
  BEGIN
    UPDATE outbox SET b2b = 1 WHERE invoice_counter = NEW.invoice_counter AND kind = 'report';
  END;

  CREATE INDEX outbox_report_due ON outbox (status, b2b, next_attempt_at) WHERE kind = 'report';
  CREATE INDEX outbox_report_open ON outbox (status, b2b) WHERE kind = 'report';
  `,
};
