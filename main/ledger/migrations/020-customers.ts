import type { Migration } from './index';

// B2B buyers the till can look up (issue 14): one row per TIN, the party as the sale carries it
// (shared/domain/sale.ts PartySchema), so a looked-up buyer goes onto the invoice unchanged.
export const customers: Migration = {
  id: '020-customers',
  sql: `
  CREATE TABLE customers (
    id         INTEGER PRIMARY KEY,
    tin        TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    party_json TEXT NOT NULL CHECK (json_valid(party_json)),
    updated_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX customers_name ON customers (name COLLATE NOCASE);
  `,
};
