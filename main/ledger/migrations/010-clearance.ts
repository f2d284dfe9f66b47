import type { Migration } from './index';

// IRN collisions: the platform holds one of our IRNs with other content (a restored backup, two
// tills sharing a terminal code). The report job is held as rejected and never marked done; this
// row keeps what the platform showed, for the alarm and for support.
export const clearance: Migration = {
  id: '010-clearance',
  sql: `
  CREATE TABLE report_collisions (
    invoice_counter INTEGER PRIMARY KEY REFERENCES invoices(counter),
    irn             TEXT NOT NULL,
    differences     TEXT NOT NULL,
    platform_record TEXT NOT NULL,
    detected_at     INTEGER NOT NULL
  ) STRICT;
  `,
};
