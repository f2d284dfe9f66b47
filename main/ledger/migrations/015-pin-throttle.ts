import type { Migration } from './index';

// Wrong-PIN throttling lives in the ledger, so it survives a restart and every process on the data
// directory (serve, Electron, the CLI) counts the same guesses. One row per PIN scope (role).
export const pinThrottle: Migration = {
  id: '015-pin-throttle',
  sql: `CREATE TABLE pin_throttle (
    scope TEXT PRIMARY KEY,
    failures INTEGER NOT NULL CHECK (failures >= 0),
    blocked_until INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT;`,
};
