// Opens the ledger file: WAL (readers never block the till), foreign keys, a busy timeout so
// two processes on one file queue instead of failing, then the schema migrations.
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { MIGRATIONS } from './migrations/index';

export type Db = Database.Database;

export function openDatabase(file: string): Db {
  if (file !== ':memory:') {
    ensurePrivateDir(dirname(file));
    restrictFile(file, true);
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL'); // durable at commit: a sale survives a power cut
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 10000');
  // SQLite gives -wal/-shm the database file's mode; files from an older version are tightened.
  if (file !== ':memory:') for (const f of [`${file}-wal`, `${file}-shm`]) restrictFile(f, false);
  migrate(db);
  return db;
}

/**
 * The data directory (ledger, secrets key, PIN hash, customers' PII): created 0700, and an
 * existing one tightened — except a shared folder someone pointed --data-dir at (sticky, like
 * /tmp) or the home folder itself. Windows ignores POSIX modes.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return;
  try {
    const mode = statSync(dir).mode;
    if ((mode & 0o1000) !== 0 || dir === homedir()) return;
    if ((mode & 0o077) !== 0) chmodSync(dir, 0o700);
  } catch {
    // not ours to change (another owner): the files inside are still 0600
  }
}

/**
 * The ledger holds customers' PII and the PIN hash: owner-only (0600). Created empty with that
 * mode before SQLite opens it (SQLite would use the umask), and tightened if it is looser.
 */
function restrictFile(file: string, create: boolean): void {
  if (process.platform === 'win32') return;
  if (!existsSync(file)) {
    if (create) closeSync(openSync(file, 'a', 0o600));
    return;
  }
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
}

function migrate(db: Db): void {
  const apply = db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT');
    const applied = new Set(db.prepare('SELECT id FROM schema_migrations').pluck().all() as string[]);
    const known = new Set(MIGRATIONS.map((m) => m.id));
    const unknown = [...applied].filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new Error(`ledger schema has migrations this app does not know (${unknown.join(', ')}): update the app`);
    }
    const record = db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)');
    for (const m of MIGRATIONS) {
      if (applied.has(m.id)) continue;
      db.exec(m.sql);
      record.run(m.id, Date.now());
    }
  });
  apply.immediate();
}
