import type { Migration } from './index';

// What the TaxPoynt cloud still needs, kept by triggers so the uploader never scans the whole
// ledger: a new invoice, or a change of an invoice's report state, queues it; a new invoice
// also marks its day for a (re-)upload of the day summary. Existing invoices are queued once.
export const syncCloudQueue: Migration = {
  id: '004-sync-cloud-queue',
  sql: `
  -- No foreign key: a queue row is a hint, joined to invoices when read (and must not stand in the
  -- way of anything done to the invoices table, e.g. the tamper-evidence tests deleting rows).
  CREATE TABLE cloud_queue (invoice_counter INTEGER PRIMARY KEY) STRICT;
  CREATE TABLE cloud_days_dirty (day TEXT PRIMARY KEY) STRICT;

  CREATE TRIGGER cloud_queue_on_issue AFTER INSERT ON invoices
  BEGIN
    INSERT OR IGNORE INTO cloud_queue (invoice_counter) VALUES (NEW.counter);
    INSERT OR IGNORE INTO cloud_days_dirty (day) VALUES (NEW.issue_date);
  END;

  CREATE TRIGGER cloud_queue_on_report_state AFTER UPDATE OF status ON outbox
  WHEN NEW.kind = 'report' AND NEW.status IS NOT OLD.status AND NEW.status IN ('done', 'rejected', 'dead')
  BEGIN
    INSERT OR IGNORE INTO cloud_queue (invoice_counter) VALUES (NEW.invoice_counter);
  END;

  INSERT OR IGNORE INTO cloud_queue (invoice_counter)
    SELECT i.counter FROM invoices i LEFT JOIN cloud_invoice_uploads cu ON cu.invoice_counter = i.counter WHERE cu.invoice_counter IS NULL;
  INSERT OR IGNORE INTO cloud_days_dirty (day)
    SELECT DISTINCT i.issue_date FROM invoices i LEFT JOIN cloud_day_uploads d ON d.day = i.issue_date WHERE d.day IS NULL;
  `,
};
