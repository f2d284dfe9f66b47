import type { Migration } from './index';

// CRM connectors (issue 17). crm_deal remembers, per CRM deal, what was done: the invoice it
// became (exactly one per generation), the review it waits in and why, the credit-note question
// after a change. crm_watermark is each CRM's durable poll position, written in the same
// transaction as the deals of the page it covers. crm_connection holds each CRM's non-secret
// settings (stage and field mapping); tokens live in the SecretStore.
export const crmDeals: Migration = {
  id: '012-crm-deals',
  sql: `
  CREATE TABLE crm_deal (
    source          TEXT NOT NULL CHECK (source IN ('hubspot', 'salesforce', 'pipedrive')),
    deal_id         TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('review', 'invoiced', 'credit_review', 'credited', 'withdrawn')),
    generation      INTEGER NOT NULL DEFAULT 1,
    title           TEXT,
    currency        TEXT,
    amount_kobo     INTEGER,
    version         TEXT,
    reason          TEXT,
    missing         TEXT NOT NULL DEFAULT '[]',
    review_id       INTEGER,
    external_id     TEXT,
    irn             TEXT,
    invoiced_amount_kobo INTEGER,
    credit_irn      TEXT,
    ack             TEXT,
    trigger         TEXT,
    record_url      TEXT,
    writeback       TEXT CHECK (writeback IN ('pending', 'done', 'failed')),
    writeback_error TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (source, deal_id)
  ) STRICT;
  CREATE INDEX crm_deal_state ON crm_deal (state, source);
  CREATE TABLE crm_watermark (
    source     TEXT PRIMARY KEY,
    watermark  TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE crm_connection (
    source     TEXT PRIMARY KEY CHECK (source IN ('hubspot', 'salesforce', 'pipedrive')),
    config     TEXT NOT NULL,
    enabled    INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    updated_at INTEGER NOT NULL
  ) STRICT;
  `,
};
