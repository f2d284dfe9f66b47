import type { Migration } from './index';

// Printing. The outbox holds one 'print' job per invoice (the original receipt). Reprints (COPY)
// and test pages are requests of their own. Every attempt to put bytes on a printer is journalled
// BEFORE the bytes go out and closed after: after a crash, an open attempt means "the printer may
// have printed it", so the job is surfaced for a manual reprint instead of printed twice.
export const printJobs: Migration = {
  id: '003-print-jobs',
  sql: `
  CREATE TABLE print_requests (
    id              INTEGER PRIMARY KEY,
    invoice_counter INTEGER REFERENCES invoices(counter), -- NULL for a test page
    kind            TEXT NOT NULL CHECK (kind IN ('copy', 'test')),
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'retrying', 'done', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    lease_owner     TEXT,
    lease_until     INTEGER,
    CHECK ((kind = 'test') = (invoice_counter IS NULL))
  ) STRICT;
  CREATE INDEX print_requests_due ON print_requests (status, next_attempt_at);

  CREATE TABLE print_attempts (
    id          INTEGER PRIMARY KEY,
    job         TEXT NOT NULL, -- 'invoice:<counter>' (outbox) or 'request:<id>'
    owner       TEXT NOT NULL,
    started_at  INTEGER NOT NULL,
    finished_at INTEGER,
    outcome     TEXT CHECK (outcome IN ('printed', 'not_sent', 'unconfirmed')),
    detail      TEXT
  ) STRICT;
  CREATE INDEX print_attempts_open ON print_attempts (job) WHERE finished_at IS NULL;
  `,
};
