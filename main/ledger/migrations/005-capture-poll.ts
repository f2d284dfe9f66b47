import type { Migration } from './index';

// Connector runtime state. Watermarks advance in the same transaction that puts a page's sales
// in the ledger, so a crash can never leave a gap; capture_seen remembers (vendor id, version)
// so the overlap window re-reads orders without re-ingesting them; capture_webhook_event makes
// repeated webhook deliveries harmless. Connector settings (non-secret) live here too; secrets
// go to the SecretStore.
export const capturePoll: Migration = {
  id: '007-capture-poll',
  sql: `
  CREATE TABLE capture_connector (
    vendor     TEXT PRIMARY KEY,
    config     TEXT NOT NULL,
    enabled    INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    updated_at INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE capture_watermark (
    connector  TEXT PRIMARY KEY,
    watermark  TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE capture_seen (
    connector TEXT NOT NULL,
    vendor_id TEXT NOT NULL,
    version   TEXT NOT NULL,
    outcome   TEXT NOT NULL,
    seen_at   INTEGER NOT NULL,
    PRIMARY KEY (connector, vendor_id, version)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE capture_webhook_event (
    vendor      TEXT NOT NULL,
    event_id    TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (vendor, event_id)
  ) STRICT, WITHOUT ROWID;
  `,
};
