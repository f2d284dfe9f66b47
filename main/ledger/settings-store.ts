// The ledger's settings table: key → JSON text. Callers own the schemas (main/app/settings.ts
// validates app.* keys; the ledger validates 'business' and 'crypto_keys').
//
// Read on every sale (the VAT rate, "sell only with an open shift", the till's discount limit):
// values are kept per connection and re-read only when the file changed under us. `PRAGMA
// data_version` moves when another connection or process commits (the CLI's `settings`, a second
// till); this connection's own writes go through set(), which drops the kept values. Values read
// inside a transaction are not kept: it may roll back a set() made in it.
import { z } from 'zod';
import type { Db } from './database';
import { prepared } from './prepared';
import { col, one } from './rows';

const ValueRow = z.object({ value: col.text });

interface Kept {
  /** data_version when the values were read. */
  version: number;
  values: Map<string, string | undefined>;
}
const kept = new WeakMap<Db, Kept>();

function dataVersion(db: Db): number {
  return prepared(db, 'PRAGMA data_version').pluck().get() as number;
}

export class SettingsStore {
  constructor(private readonly db: Db) {}

  /** The stored JSON text under `key`, or undefined. */
  get(key: string): string | undefined {
    const version = dataVersion(this.db);
    let k = kept.get(this.db);
    if (k && k.version === version && k.values.has(key)) return k.values.get(key);
    const value = one(ValueRow, 'settings', prepared(this.db, 'SELECT value FROM settings WHERE key = ?'), key)?.value;
    if (!this.db.inTransaction) {
      if (!k || k.version !== version) kept.set(this.db, (k = { version, values: new Map() }));
      k.values.set(key, value);
    }
    return value;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, json: string): void {
    kept.delete(this.db);
    prepared(this.db, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
      key,
      json,
    );
  }
}
