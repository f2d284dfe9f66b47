import type { Migration } from './index';

// Settings, the per-terminal series, the append-only invoice ledger, its chain head, the outbox.
export const foundation: Migration = {
  id: '001-foundation',
  sql: `
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

  -- The per-terminal series also records the chain head: the newest counter and hash, so that
  -- deleting the newest invoices is detected too (one row updated per issue, not two).
  CREATE TABLE series (
    terminal     TEXT PRIMARY KEY,
    next_counter INTEGER NOT NULL CHECK (next_counter >= 1),
    head_counter INTEGER NOT NULL DEFAULT 0,
    head_hash    TEXT NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000'
  ) STRICT;

  CREATE TABLE invoices (
    counter        INTEGER PRIMARY KEY,
    invoice_number TEXT NOT NULL UNIQUE,
    irn            TEXT NOT NULL UNIQUE,
    type           TEXT NOT NULL CHECK (type IN ('381', '380')),
    source         TEXT NOT NULL,
    external_id    TEXT NOT NULL,
    issued_at      INTEGER NOT NULL,
    issue_date     TEXT NOT NULL,
    currency       TEXT NOT NULL,
    payable_kobo   INTEGER NOT NULL,
    tax_kobo       INTEGER NOT NULL,
    net_kobo       INTEGER NOT NULL,
    tip_kobo       INTEGER NOT NULL,
    b2b            INTEGER NOT NULL CHECK (b2b IN (0, 1)),
    original_irn   TEXT REFERENCES invoices(irn),
    qr             TEXT NOT NULL,
    invoice_json   TEXT NOT NULL,
    sale_json      TEXT NOT NULL,
    prev_hash      TEXT NOT NULL,
    hash           TEXT NOT NULL,
    recorded_at    INTEGER NOT NULL,
    UNIQUE (source, external_id)
  ) STRICT;
  CREATE INDEX invoices_by_date ON invoices (issue_date);
  CREATE INDEX invoices_by_original ON invoices (original_irn) WHERE original_irn IS NOT NULL; -- untouched by plain sales

  -- Issued invoices are immutable: the database itself refuses edits and deletions.
  CREATE TRIGGER invoices_no_update BEFORE UPDATE ON invoices
    BEGIN SELECT RAISE(ABORT, 'issued invoices are immutable: issue a credit note instead'); END;
  CREATE TRIGGER invoices_no_delete BEFORE DELETE ON invoices
    BEGIN SELECT RAISE(ABORT, 'issued invoices are immutable: issue a credit note instead'); END;

  -- Work that follows an issued invoice (printing, reporting), drained by later workers.
  CREATE TABLE outbox (
    invoice_counter INTEGER NOT NULL REFERENCES invoices(counter),
    kind            TEXT NOT NULL CHECK (kind IN ('print', 'report')),
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'retrying', 'done', 'rejected', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (invoice_counter, kind) -- one job of each kind per invoice: the key is the idempotency guard
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX outbox_due ON outbox (kind, status, next_attempt_at);
  `,
};
