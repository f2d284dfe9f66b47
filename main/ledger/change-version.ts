// Has anything in the ledger file changed since we last looked? SQLite answers without reading a
// table: `PRAGMA data_version` moves when another connection (the sync's, another process: the
// CLI, a second till) commits, and total_changes() counts this connection's own writes. Periodic
// work (the status strip's counts, the app's change watch) asks this first and skips its queries
// when nothing changed, so an idle app costs the same on a 1M-invoice ledger as on an empty one.
import type { Db } from './database';
import { prepared } from './prepared';

export function changeVersion(db: Db): string {
  const other = prepared(db, 'PRAGMA data_version').pluck().get() as number;
  const own = prepared(db, 'SELECT total_changes()').pluck().get() as number;
  return `${other}:${own}`;
}
