// One worker of `verify --full` (verify-parallel.ts): walks the invoices of one range of counters
// on its own read-only connection and answers where the walk ended. Bundled to
// dist/main/verify-thread.cjs by scripts/build.mjs.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { RowChecker, walkChain } from './chain-walk';
import { loadDictionaries } from './invoice-body';
import { prepared } from './prepared';
import type { RangeDone, VerifyRange } from './verify-thread-protocol';

const port = parentPort;
if (!port) throw new Error('verify-thread.ts runs as a worker thread (see verify-parallel.ts)');
const range = workerData as VerifyRange;

const db = new Database(range.file, { readonly: true, fileMustExist: true });
try {
  const checker = new RowChecker(loadDictionaries(db));
  // One snapshot: the start hash and the walk from it.
  const done = db.transaction((): RangeDone => {
    const start =
      range.prev ?? (prepared(db, 'SELECT hash FROM invoices WHERE counter = ?').pluck().get(range.after) as string | undefined) ?? null;
    // Without the hash of the invoice before the range there is nothing to chain from: the
    // coordinator sees the seam fail and walks this stretch itself.
    const end = start === null ? { count: range.after, head: '' } : walkChain(db, checker, range.after, start, range.through);
    return { type: 'done', start, end };
  })();
  checker.close();
  port.postMessage(done);
} finally {
  db.close();
}
