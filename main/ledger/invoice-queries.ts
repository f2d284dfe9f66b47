// Read-only questions about issued invoices and their outbox jobs that the app and its services
// ask beside the Ledger class (which owns issuing): credit notes of an invoice, a job's state,
// what changed since the app last looked. Rows checked at the boundary.
import { z } from 'zod';
import type { Db } from './database';
import { prepared } from './prepared';
import { col, many, one } from './rows';
import { decodeSale } from './invoice-body';

const CreditRow = z.object({
  irn: col.text,
  invoice_number: col.text,
  payable_kobo: col.int,
  dictionary_id: col.int,
  body: z.instanceof(Buffer),
});
export type CreditNoteRow = Omit<z.output<typeof CreditRow>, 'dictionary_id' | 'body'> & { sale: unknown };
const JobRow = z.object({ status: col.text, last_error: col.text.nullable() });
const Num = z.object({ n: col.int });

/** What the app's change watch asks every look (plans checked by test/ledger/query-plans.test.ts). */
export const WATCH_SQL = {
  countersAfter: 'SELECT counter AS n FROM invoices WHERE counter > ? ORDER BY counter LIMIT ?',
  outboxChangedSince:
    'SELECT invoice_counter AS counter, updated_at FROM outbox WHERE updated_at > ? AND updated_at != created_at ORDER BY updated_at LIMIT ?',
  printQueued: "SELECT COUNT(*) AS n FROM outbox WHERE kind = 'print' AND status IN ('pending', 'retrying', 'sending')",
} as const;

export class InvoiceQueries {
  constructor(private readonly db: Db) {}

  irnOf(counter: number): string | undefined {
    return one(z.object({ irn: col.text }), 'invoice irn', prepared(this.db, 'SELECT irn FROM invoices WHERE counter = ?'), counter)?.irn;
  }

  /** The credit notes issued against `irn`, oldest first (sale: the stored canonical sale JSON, parsed). */
  creditNotesOf(irn: string): CreditNoteRow[] {
    return many(
      CreditRow,
      'credit notes',
      prepared(
        this.db,
        'SELECT irn, invoice_number, payable_kobo, dictionary_id, body FROM invoices WHERE original_irn = ? ORDER BY counter',
      ),
      irn,
    ).map(({ dictionary_id, body, ...r }) => ({ ...r, sale: decodeSale(this.db, dictionary_id, body) }));
  }

  /** The newest invoice counter (0 for an empty ledger). */
  lastCounter(): number {
    return one(Num, 'last counter', prepared(this.db, 'SELECT COALESCE(MAX(counter), 0) AS n FROM invoices'))!.n;
  }

  /** The chain head as the series records it (one row per terminal; no walk of the invoices). */
  chainHead(): { counter: number; hash: string } | undefined {
    return one(
      z.object({ counter: col.int, hash: col.text }),
      'chain head',
      prepared(this.db, 'SELECT head_counter AS counter, head_hash AS hash FROM series ORDER BY head_counter DESC LIMIT 1'),
    );
  }

  /** Counters issued after `counter`, oldest first, at most `limit`. */
  countersAfter(counter: number, limit: number): number[] {
    return many(Num, 'new counters', prepared(this.db, WATCH_SQL.countersAfter), counter, limit).map((r) => r.n);
  }
}

export class OutboxQueries {
  constructor(private readonly db: Db) {}

  job(counter: number, kind: 'print' | 'report'): z.output<typeof JobRow> | undefined {
    return one(
      JobRow,
      'outbox job',
      prepared(this.db, 'SELECT status, last_error FROM outbox WHERE invoice_counter = ? AND kind = ?'),
      counter,
      kind,
    );
  }

  /** The newest outbox change time (0 for none). */
  lastUpdate(): number {
    return one(Num, 'outbox last update', prepared(this.db, 'SELECT COALESCE(MAX(updated_at), 0) AS n FROM outbox'))!.n;
  }

  /** Jobs changed (not just created) after `sinceMs`, in change order, at most `limit`. */
  changedSince(sinceMs: number, limit: number): { counter: number; updated_at: number }[] {
    return many(
      z.object({ counter: col.int, updated_at: col.int }),
      'outbox changes',
      prepared(this.db, WATCH_SQL.outboxChangedSince),
      sinceMs,
      limit,
    );
  }

  /** Original receipts waiting for the printer. */
  printQueued(): number {
    return one(Num, 'print queue', prepared(this.db, WATCH_SQL.printQueued))!.n;
  }
}
