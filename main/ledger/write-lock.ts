// Taking the write lock for an IMMEDIATE transaction when another process holds it (three tills'
// processes on one file). SQLite's own busy handler sleeps in growing steps (1, 2, 5 … 100 ms):
// a waiter asleep for 50–100 ms keeps losing the lock to writers that come back sooner, and one
// sale was measured waiting 0.3–1.5 s. Here BEGIN IMMEDIATE is tried without SQLite's sleeps and
// retried after short jittered pauses (≤ 2 ms), so a waiter gets the lock within a commit or two
// of it being free; after WRITE_WAIT_MS it fails with SQLITE_BUSY as the busy timeout did.
import type { Db } from './database';

/** How long a writer waits for the others (the connection's busy_timeout). */
export const WRITE_WAIT_MS = 10_000;

const MAX_PAUSE_MS = 2;
const pauseCell = new Int32Array(new SharedArrayBuffer(4));

/** Blocks this thread for `ms` (better-sqlite3 is synchronous: the wait must be too). */
function pause(ms: number): void {
  Atomics.wait(pauseCell, 0, 0, ms);
}

type TransactionFn = ((...args: unknown[]) => unknown) & {
  default: (...args: unknown[]) => unknown;
  deferred: (...args: unknown[]) => unknown;
  immediate: (...args: unknown[]) => unknown;
  exclusive: (...args: unknown[]) => unknown;
  database: Db;
};

/** Makes every `db.transaction(fn).immediate()` of this connection take the write lock as above. */
export function installFairWriteLock(db: Db, waitMs = WRITE_WAIT_MS): void {
  const original = db.transaction.bind(db) as unknown as (fn: (...args: unknown[]) => unknown) => TransactionFn;
  const noWait = db.prepare('PRAGMA busy_timeout = 0');
  const normalWait = db.prepare(`PRAGMA busy_timeout = ${Math.round(waitMs)}`);
  const patched = (fn: (...args: unknown[]) => unknown): TransactionFn => {
    let entered = false;
    const t = original(function (this: unknown, ...args: unknown[]) {
      entered = true;
      normalWait.get(); // inside the transaction: the usual busy timeout again
      return fn.apply(this, args);
    });
    const immediate = (...args: unknown[]): unknown => {
      if (db.inTransaction) return t.immediate(...args); // nested: a savepoint, no lock to take
      const deadline = performance.now() + waitMs;
      for (let pauseMs = 0.25; ; pauseMs = Math.min(MAX_PAUSE_MS, pauseMs * 1.5)) {
        entered = false;
        noWait.get();
        try {
          return t.immediate(...args);
        } catch (e) {
          // Only a BEGIN refused because the lock is busy is retried (any SQLITE_BUSY_* extended
          // code, e.g. BUSY_RECOVERY while another connection rebuilds the WAL index): fn never ran.
          const busy = String((e as { code?: unknown }).code ?? '').startsWith('SQLITE_BUSY');
          if (entered || !busy || performance.now() >= deadline) throw e;
        } finally {
          if (!entered) normalWait.get();
        }
        pause(pauseMs * (0.5 + Math.random()));
      }
    };
    return Object.assign((...args: unknown[]) => t(...args), {
      default: t.default,
      deferred: t.deferred,
      immediate,
      exclusive: t.exclusive,
      database: db,
    }) as TransactionFn;
  };
  (db as unknown as { transaction: typeof patched }).transaction = patched;
}
