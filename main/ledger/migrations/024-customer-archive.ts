import type { Migration } from './index';

// Deleting a B2B buyer archives it (issue 14): the till no longer offers it, but the row stays,
// and invoices already issued to it never change (each carries its own copy of the party).
// Saving the same TIN again brings it back.
export const customerArchive: Migration = {
  id: '024-customer-archive',
  sql: `
  ALTER TABLE customers ADD COLUMN archived_at INTEGER;
  `,
};
