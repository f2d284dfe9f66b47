import type { Migration } from './index';

// The app pushes report/print state changes to open screens by asking the outbox what changed
// since its last look (the ledger may also be written by another process, e.g. the CLI).
export const appIndexes: Migration = {
  id: '009-app-indexes',
  sql: `CREATE INDEX IF NOT EXISTS app_outbox_by_updated ON outbox (updated_at);`,
};
