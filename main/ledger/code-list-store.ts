// Cached FIRS code lists (table firs_code_lists, migration 004-sync-report). The lists' schema
// and rules stay with the FIRS code (main/firs/code-lists.ts).
import { z } from 'zod';
import type { Db } from './database';
import { prepared } from './prepared';
import { col, many, one } from './rows';

const FetchedRow = z.object({ fetched_at: col.int });
const NamedRow = z.object({ name: col.text, fetched_at: col.int });
const EntriesRow = z.object({ entries: col.text });
// Saves through each connection, counted: with PRAGMA data_version (which moves on another
// connection's commit) it tells whether the lists' versions can have changed since last read.
const saves = new WeakMap<Db, number>();

export class CodeListStore {
  private versions: { key: string; byName: Map<string, number> } | undefined;
  constructor(private readonly db: Db) {}

  fetchedAt(name: string): number | undefined {
    return one(FetchedRow, 'firs_code_lists', prepared(this.db, 'SELECT fetched_at FROM firs_code_lists WHERE name = ?'), name)?.fetched_at;
  }

  /**
   * When each cached list was fetched, by name. Asked once per report by the sync: re-read only
   * when a commit on another connection or a save on this one may have changed it (reading and
   * checking the rows every time was ~5 % of a drain's CPU, issue 15).
   */
  fetchedAll(): Map<string, number> {
    const key = `${prepared(this.db, 'PRAGMA data_version').pluck().get() as number}:${saves.get(this.db) ?? 0}`;
    if (this.versions?.key === key) return this.versions.byName;
    const rows = many(NamedRow, 'firs_code_lists', prepared(this.db, 'SELECT name, fetched_at FROM firs_code_lists'));
    this.versions = { key, byName: new Map(rows.map((r) => [r.name, r.fetched_at])) };
    return this.versions.byName;
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
    saves.set(this.db, (saves.get(this.db) ?? 0) + 1);
  }
}
