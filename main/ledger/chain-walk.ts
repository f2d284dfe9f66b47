// The chain walk behind `verify`: each invoice's stored content re-hashed from the hash before it
// and held against its own hash and its denormalised columns. Ledger.verify walks in one go;
// verify-parallel.ts hands ranges of counters to worker threads that run the same walk.
import type { Db } from './database';
import { prepared } from './prepared';
import { PartsHasher } from './chain';
import { BodyInflater } from './body-inflater';
import { invoiceSummaryOf, type InvoiceSummary } from './invoice-summary';

/** verify's row, read raw (arrays, not objects: a million of them). */
export const WALK_SQL = `SELECT counter, invoice_number, irn, type, issued_at, qr, prev_hash, hash, dictionary_id, body,
  payable_kobo, tax_kobo, net_kobo, issue_date FROM invoices`;
export type WalkRow = [
  counter: number,
  invoice_number: string,
  irn: string,
  type: string,
  issued_at: number,
  qr: string,
  prev_hash: string,
  hash: string,
  dictionary_id: number | null,
  body: Buffer | null,
  payable_kobo: number,
  tax_kobo: number,
  net_kobo: number,
  issue_date: string,
];

export interface ChainBreak {
  counter: number;
  invoice_number: string | null;
  reason: string;
}

/** Where a walk stopped: the last invoice that held (count, its hash) and, if one did not, why. */
export interface WalkEnd {
  count: number;
  head: string;
  broken?: ChainBreak;
}

/** Checks invoices one by one; holds the buffers one walk reuses (one checker per walk). */
export class RowChecker {
  private readonly inflater: BodyInflater;
  private readonly hasher = new PartsHasher();

  constructor(dictionaries: ReadonlyMap<number, Buffer>) {
    this.inflater = new BodyInflater(dictionaries);
  }

  /** What is wrong with one invoice given the hash before it (undefined: it holds). */
  check(row: WalkRow, prev: string): string | undefined {
    const [counter, invoice_number, irn, type, issued_at, qr, , hash, dictionaryId, body] = row;
    const pair = body && dictionaryId !== null ? this.inflater.inflate(dictionaryId, body) : undefined;
    const parts = pair && pairParts(pair);
    if (!parts) return 'its stored JSON cannot be read back (body or dictionary damaged): the invoice was edited';
    // The stored texts are the hashed bytes: hashed as they are, not parsed and re-serialised.
    if (this.hasher.hash(prev, { counter, invoice_number, irn, type, issued_at, qr }, parts.invoice, parts.sale) !== hash)
      return 'its content does not match its hash: the invoice was edited';
    if (!summaryMatches(row, invoiceSummaryOf(parts.invoice, parts.invoiceText)))
      return 'its stored totals do not match its invoice JSON: the invoice was edited';
    return undefined;
  }

  close(): void {
    this.inflater.close();
  }
}

/**
 * Walks the invoices after counter `after` (whose hash is `prev`), through `through` when given,
 * else to the last one present, and stops at the first that does not hold. Run it inside a read
 * transaction: one snapshot.
 */
export function walkChain(db: Db, checker: RowChecker, after: number, prev: string, through?: number): WalkEnd {
  const stmt =
    through === undefined
      ? prepared(db, `${WALK_SQL} WHERE counter > ? ORDER BY counter`).raw().iterate(after)
      : prepared(db, `${WALK_SQL} WHERE counter > ? AND counter <= ? ORDER BY counter`).raw().iterate(after, through);
  const rows = stmt as IterableIterator<WalkRow>;
  let count = after;
  for (const row of rows) {
    const reason = linkProblem(row, count, prev) ?? checker.check(row, prev);
    if (reason) {
      return { count, head: prev, broken: { counter: row[0], invoice_number: row[1], reason } };
    }
    prev = row[7];
    count++;
  }
  return { count, head: prev };
}

/** The row's place in the chain: the next counter, linked to the hash before it. */
function linkProblem(row: WalkRow, count: number, prev: string): string | undefined {
  const counter = row[0];
  const expected = count + 1;
  if (counter !== expected) {
    return counter > expected
      ? `invoice counter ${expected} is missing (next present is ${counter}): a row was deleted`
      : `invoice counter ${counter} is out of order`;
  }
  if (row[6] !== prev) return 'its previous-hash does not match the invoice before it: rows were inserted, deleted or reordered';
  return undefined;
}

/**
 * bodyParts (invoice-body.ts) read through one latin1 view of the pair, which the summary then
 * reads too: V8 finds the boundary in a string faster than Buffer.indexOf (a unit test holds the
 * two equal). Offsets are the UTF-8 ones: latin1 is one character a byte.
 */
export function pairParts(pair: Buffer): { invoice: Buffer; sale: Buffer; invoiceText: string } | undefined {
  const n = pair.length;
  // `["` … `"]`
  if (n < 7 || pair[0] !== 0x5b || pair[1] !== 0x22 || pair[n - 2] !== 0x22 || pair[n - 1] !== 0x5d) return undefined;
  const text = pair.toString('latin1');
  const k = text.indexOf('","', 2);
  if (k < 0) return undefined;
  return { invoice: pair.subarray(2, k), sale: pair.subarray(k + 3, n - 2), invoiceText: text.slice(2, k) };
}

/** The denormalised columns (used for day views and reports) must agree with the hashed JSON. */
function summaryMatches(row: WalkRow, inv: InvoiceSummary): boolean {
  // Integers on both sides: the JSON number's exact decimal in kobo against the stored kobo.
  const same = (kobo: number | undefined, stored: number) => Number.isSafeInteger(stored) && kobo === stored;
  return (
    same(inv.payable_kobo, row[10]) &&
    same(inv.tax_kobo, row[11]) &&
    same(inv.net_kobo, row[12]) &&
    inv.irn === row[2] &&
    inv.issue_date === row[13]
  );
}
