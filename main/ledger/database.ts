// The one place that opens ledger connections. The app's connection: WAL (readers never block the
// till), synchronous=FULL (a sale survives a power cut), foreign keys, a busy timeout so two
// processes on one file queue instead of failing (IMMEDIATE transactions wait in short steps:
// write-lock.ts), then the schema migrations. The sync's second
// connection to the same file (see main/sync/sync-service.ts) comes from here too, with
// synchronous=NORMAL and no migrations (the app's connection has applied them).
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { z } from 'zod';
import { MIGRATIONS, type Migration } from './migrations/index';
import { many } from './rows';
import { installFairWriteLock, WRITE_WAIT_MS } from './write-lock';

export type Db = Database.Database;

export interface ConnectionOptions {
  /** 'full' fsyncs every commit; 'normal' (WAL) is durable at checkpoint, never corrupt. */
  durability?: 'full' | 'normal';
  /** Apply the schema migrations (default true). */
  migrate?: boolean;
  /** Refuse to create the file (a second connection to an open ledger). */
  fileMustExist?: boolean;
}

export function openDatabase(file: string, options: ConnectionOptions = {}): Db {
  if (file !== ':memory:' && !options.fileMustExist) {
    ensurePrivateDir(dirname(file));
    restrictFile(file, true);
  }
  const db = new Database(file, { fileMustExist: options.fileMustExist ?? false });
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.durability === 'normal' ? 'NORMAL' : 'FULL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${WRITE_WAIT_MS}`);
  installFairWriteLock(db);
  // SQLite gives -wal/-shm the database file's mode; files from an older version are tightened.
  if (file !== ':memory:') for (const f of [`${file}-wal`, `${file}-shm`]) restrictFile(f, false);
  if (options.migrate ?? true) migrate(db);
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

/** A second connection to the ledger file behind `db` (an in-memory database is shared as is). */
export function secondConnection(db: Db, options: Omit<ConnectionOptions, 'fileMustExist' | 'migrate'> = {}): Db {
  if (db.memory || !db.name) return db;
  return openDatabase(db.name, { ...options, fileMustExist: true, migrate: false });
}

/** Ids of the migrations recorded in the ledger (empty for a new file). */
export function appliedMigrations(db: Db): string[] {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get() !== undefined;
  if (!hasTable) return [];
  return many(z.object({ id: z.string() }), 'schema_migrations', db.prepare('SELECT id FROM schema_migrations ORDER BY rowid')).map(
    (r) => r.id,
  );
}

/**
 * Applies the migrations not yet recorded, in order, in one IMMEDIATE transaction. `list` is the
 * whole list by default; the migration tests pass a prefix to build the previous release's schema.
 */
export function migrate(db: Db, list: readonly Migration[] = MIGRATIONS): void {
  let compact = false;
  const apply = db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT');
    const applied = new Set(appliedMigrations(db));
    const known = new Set(MIGRATIONS.map((m) => m.id));
    const unknown = [...applied].filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new Error(`ledger schema has migrations this app does not know (${unknown.join(', ')}): update the app`);
    }
    const record = db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)');
    for (const m of list) {
      if (applied.has(m.id)) continue;
      db.exec(m.sql);
      m.run?.(db);
      record.run(m.id, Date.now());
      compact ||= m.compacts === true;
    }
  });
  apply.immediate();
  // Outside the transaction (VACUUM cannot run in one); itself atomic.
  if (compact && !db.memory) db.exec('VACUUM');
}
