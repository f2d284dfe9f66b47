// The one place that opens ledger connections. The app's connection: WAL (readers never block the
// till), synchronous=FULL (a sale survives a power cut), foreign keys, a busy timeout so two
// processes on one file queue instead of failing, then the schema migrations. The sync's second
// connection to the same file (see main/sync/sync-service.ts) comes from here too, with
// synchronous=NORMAL and no migrations (the app's connection has applied them).
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { MIGRATIONS, type Migration } from './migrations/index';
import { many } from './rows';

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
  if (!options.fileMustExist) mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { fileMustExist: options.fileMustExist ?? false });
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.durability === 'normal' ? 'NORMAL' : 'FULL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 10000');
  if (options.migrate ?? true) migrate(db);
  return db;
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
      record.run(m.id, Date.now());
    }
  });
  apply.immediate();
}
