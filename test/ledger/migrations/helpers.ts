// Migration tests (one file per step, after Signal Desktop's test-node/sql/migration_* tests):
// build a real ledger file with the schema of the step before, put data in it as that release
// wrote it, apply the step, check the data and the schema. These helpers inspect and write the
// ledger file with SQL on purpose: they stand in for an older release of the app.
import { join } from 'node:path';
import { migrate, openDatabase, appliedMigrations, type Db } from '../../../main/ledger/database';
import { MIGRATIONS } from '../../../main/ledger/migrations/index';
import { encodeBody } from '../../../main/ledger/invoice-body';
import { tempDir } from '../../support/fixture';

function indexOf(id: string): number {
  const i = MIGRATIONS.findIndex((m) => m.id === id);
  if (i < 0) throw new Error(`no migration ${id}`);
  return i;
}

/** A ledger file at the schema just before migration `id`. */
export function ledgerBefore(id: string): Db {
  const db = openDatabase(join(tempDir('tpos-mig-'), 'ledger.db'), { migrate: false });
  migrate(db, MIGRATIONS.slice(0, indexOf(id)));
  return db;
}

/** Applies migration `id` (the ledger must be at the step before). */
export function applyStep(db: Db, id: string): void {
  const i = indexOf(id);
  const applied = appliedMigrations(db);
  if (applied.length !== i || applied.at(-1) !== MIGRATIONS[i - 1]?.id) throw new Error(`ledger is at ${applied.at(-1)}, not before ${id}`);
  migrate(db, MIGRATIONS.slice(0, i + 1));
}

export function columns(db: Db, table: string): string[] {
  return (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((r) => r.name);
}

export function objects(db: Db, type: 'table' | 'index' | 'trigger'): string[] {
  return (
    db.prepare(`SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY name`).all(type) as { name: string }[]
  ).map((r) => r.name);
}

/** An invoice row as 001-foundation stores it (hash values are placeholders: no chain check here). */
export function insertInvoice(
  db: Db,
  counter: number,
  o: { day?: string; type?: '381' | '380'; payable?: number; recordedAt?: number; originalIrn?: string; b2b?: boolean } = {},
): void {
  const day = o.day ?? '2026-11-24';
  const texts = { invoice_json: '{}', sale_json: '{"payments":[]}' };
  // From 022 on, the texts live in the compressed body (the columns hold ''), as the ledger writes them.
  const compact = columns(db, 'invoices').includes('body');
  const stored = compact ? encodeBody(db, texts, Date.now()) : undefined;
  db.prepare(
    `INSERT INTO invoices (counter, invoice_number, irn, type, source, external_id, issued_at, issue_date, currency, payable_kobo, tax_kobo,
       net_kobo, tip_kobo, b2b, original_irn, qr, invoice_json, sale_json, prev_hash, hash, recorded_at${compact ? ', dictionary_id, body' : ''})
     VALUES (?, ?, ?, ?, 'manual', ?, ?, ?, 'NGN', ?, 0, ?, 0, ?, ?, 'qr', ?, ?, ?, ?, ?${compact ? ', ?, ?' : ''})`,
  ).run(
    counter,
    `T01-${String(counter).padStart(6, '0')}`,
    `IRN${counter}-94ND90NR-20261124`,
    o.type ?? '381',
    `ext-${counter}`,
    Date.parse(`${day}T10:00:00Z`) / 1000,
    day,
    o.payable ?? 100_000,
    o.payable ?? 100_000,
    o.b2b ? 1 : 0,
    o.originalIrn ?? null,
    stored ? '' : texts.invoice_json,
    stored ? '' : texts.sale_json,
    counter === 1 ? '0'.repeat(64) : `h${counter - 1}`,
    `h${counter}`,
    o.recordedAt ?? Date.parse(`${day}T10:00:00Z`) + counter,
    ...(stored ? [stored.dictionary_id, stored.body] : []),
  );
}

export function insertOutbox(db: Db, counter: number, kind: 'print' | 'report', status = 'pending', at = 1_000): void {
  db.prepare('INSERT INTO outbox (invoice_counter, kind, status, next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    counter,
    kind,
    status,
    at,
    at,
    at,
  );
}
