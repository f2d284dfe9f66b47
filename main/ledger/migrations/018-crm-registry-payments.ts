import type { Migration } from './index';

// CRMs become registry sources (issue 17, second round). Their settings move from crm_connection
// into capture_connector, where every source's settings live (the capture service, the settings
// screen and `connect` read them there): `source` becomes `vendor`, and the mapper option
// `paymentMeans` (meaningless on a credit sale) is dropped. crm_deal learns what was last written
// back (the clearance state) and when the CRM said the deal was paid. payment_outbox is the
// durable queue of FIRS payment-status updates (PATCH /invoice/update/{IRN}): one row per IRN and
// status, so the update is sent exactly once however often the deal is re-read.
export const crmRegistryPayments: Migration = {
  id: '018-crm-registry-payments',
  sql: `
  INSERT OR IGNORE INTO capture_connector (vendor, config, enabled, updated_at)
    SELECT source,
           json_remove(json_set(config, '$.vendor', source), '$.source', '$.map.paymentMeans'),
           enabled, updated_at
      FROM crm_connection;
  DROP TABLE crm_connection;
  ALTER TABLE crm_deal ADD COLUMN writeback_state TEXT;
  ALTER TABLE crm_deal ADD COLUMN paid_at INTEGER;
  CREATE TABLE payment_outbox (
    irn             TEXT NOT NULL,
    payment_status  TEXT NOT NULL CHECK (payment_status IN ('PAID', 'PARTIAL', 'REJECTED', 'PENDING')),
    reference       TEXT,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (irn, payment_status)
  ) STRICT;
  CREATE INDEX payment_outbox_due ON payment_outbox (status, next_attempt_at);
  `,
};
