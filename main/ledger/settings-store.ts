// The ledger's settings table: key → JSON text. Callers own the schemas (main/app/settings.ts
// validates app.* keys; the ledger validates 'business' and 'crypto_keys').
import { z } from 'zod';
import type { Db } from './database';
import { prepared } from './prepared';
import { col, one } from './rows';

export class SettingsStore {
  constructor(private readonly db: Db) {}

  /** The stored JSON text under `key`, or undefined. */
  get(key: string): string | undefined {
    return one(z.object({ value: col.text }), 'settings', prepared(this.db, 'SELECT value FROM settings WHERE key = ?'), key)?.value;
  }

  has(key: string): boolean {
    return prepared(this.db, 'SELECT 1 FROM settings WHERE key = ?').get(key) !== undefined;
  }

  set(key: string, json: string): void {
    prepared(this.db, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
      key,
      json,
    );
  }
}
