// Cached FIRS code lists (table firs_code_lists, migration 004-sync-report). The lists' schema
// and rules stay with the FIRS code (main/firs/code-lists.ts).
import { z } from 'zod';
import type { Db } from './database';
import { prepared } from './prepared';
import { col, many, one } from './rows';

const FetchedRow = z.object({ fetched_at: col.int });
const NamedRow = z.object({ name: col.text, fetched_at: col.int });
const EntriesRow = z.object({ entries: col.text });

export class CodeListStore {
  constructor(private readonly db: Db) {}

  fetchedAt(name: string): number | undefined {
    return one(FetchedRow, 'firs_code_lists', prepared(this.db, 'SELECT fetched_at FROM firs_code_lists WHERE name = ?'), name)?.fetched_at;
  }

  /** When each cached list was fetched, by name (one read for all lists). */
  fetchedAll(): Map<string, number> {
    const rows = many(NamedRow, 'firs_code_lists', prepared(this.db, 'SELECT name, fetched_at FROM firs_code_lists'));
    return new Map(rows.map((r) => [r.name, r.fetched_at]));
  }

  /** The cached entries' JSON text. */
  entries(name: string): string | undefined {
    return one(EntriesRow, 'firs_code_lists', prepared(this.db, 'SELECT entries FROM firs_code_lists WHERE name = ?'), name)?.entries;
  }

  save(name: string, fetchedAt: number, entriesJson: string): void {
    prepared(
      this.db,
      `INSERT INTO firs_code_lists (name, fetched_at, entries) VALUES (?, ?, ?)
                       ON CONFLICT(name) DO UPDATE SET fetched_at = excluded.fetched_at, entries = excluded.entries`,
    ).run(name, fetchedAt, entriesJson);
  }
}
