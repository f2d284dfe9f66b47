import type { Migration } from './index';

// Background sync: every FIRS report attempt (with the platform's answer), the final report
// result per invoice, the cached FIRS code lists, and what the TaxPoynt cloud has accepted.
export const syncReport: Migration = {
  id: '004-sync-report',
  sql: `
  CREATE TABLE report_attempts (
    id              INTEGER PRIMARY KEY,
    invoice_counter INTEGER NOT NULL REFERENCES invoices(counter),
    irn             TEXT NOT NULL,
    worker          TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    started_at      INTEGER NOT NULL,
    finished_at     INTEGER,
    -- in_flight until answered; lost when the worker died (or lost its lease) before recording the answer
    outcome         TEXT NOT NULL CHECK (outcome IN ('in_flight', 'signed', 'confirmed', 'retrying', 'rejected', 'auth', 'dead', 'lost')),
    http_status     INTEGER,
    message         TEXT,
    details         TEXT
  ) STRICT;
  CREATE INDEX report_attempts_by_invoice ON report_attempts (invoice_counter, id);

  CREATE TABLE report_results (
    invoice_counter INTEGER PRIMARY KEY REFERENCES invoices(counter),
    irn             TEXT NOT NULL,
    outcome         TEXT NOT NULL CHECK (outcome IN ('signed', 'confirmed', 'not_reportable')),
    reported_at     INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE firs_code_lists (
    name       TEXT PRIMARY KEY,
    fetched_at INTEGER NOT NULL,
    entries    TEXT NOT NULL
  ) STRICT;

  -- The cloud copy of each invoice: re-sent when its report state changes after an upload.
  CREATE TABLE cloud_invoice_uploads (
    invoice_counter INTEGER PRIMARY KEY REFERENCES invoices(counter),
    state_sent      TEXT NOT NULL,
    outcome         TEXT NOT NULL CHECK (outcome IN ('accepted', 'duplicate', 'rejected')),
    reason          TEXT,
    batch_key       TEXT NOT NULL,
    uploaded_at     INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE cloud_day_uploads (
    day         TEXT PRIMARY KEY,
    digest      TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('accepted', 'duplicate', 'rejected')),
    reason      TEXT,
    uploaded_at INTEGER NOT NULL
  ) STRICT;
  `,
};
