import type { Migration } from './index';

// Vendor sales that could not be mapped faithfully (or that the ledger refused) wait here for a
// person, with the vendor's raw payload and the reason. Repeat deliveries of the same payload
// only bump last_seen_at / seen_count, so polling never floods the queue.
export const captureReview: Migration = {
  id: '006-capture-review',
  sql: `
  CREATE TABLE capture_review (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    vendor       TEXT NOT NULL,
    vendor_id    TEXT NOT NULL,
    version      TEXT,
    reason       TEXT NOT NULL,
    payload      TEXT NOT NULL,
    payload_hash TEXT NOT NULL,
    received_at  INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    seen_count   INTEGER NOT NULL DEFAULT 1,
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    resolved_at  INTEGER,
    resolution   TEXT
  ) STRICT;
  CREATE INDEX capture_review_open ON capture_review (vendor, vendor_id, payload_hash) WHERE status = 'open';
  `,
};
