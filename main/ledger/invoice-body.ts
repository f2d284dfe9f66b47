// How an invoice's two JSON texts (the FIRS invoice and the canonical sale, exactly as hashed into
// the chain) are stored: one raw-deflate blob of JSON.stringify([invoice_json, sale_json]) against
// a shared dictionary kept in the ledger (json_dictionaries, migration 022). Invoices of one store
// repeat the same supplier, keys and item names, so the dictionary takes a sale from ~2.5 KB of
// text to well under 1 KB, and the texts come back byte for byte: the chain verifies identically.
//
// The pair's JSON is chosen because its two string bodies are the very bytes the chain record
// (chain.ts) embeds for those fields: `verify` hashes them straight out of the inflated buffer,
// without parsing or re-serialising anything (bodyParts).
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { z } from 'zod';
import type { Db } from './database';
import { prepared } from './prepared';
import { col, many } from './rows';

export interface StoredBody {
  dictionary_id: number;
  body: Buffer;
}

export interface InvoiceTexts {
  invoice_json: string;
  sale_json: string;
}

const DictRow = z.object({ id: col.int, dictionary: z.instanceof(Buffer) });

// Dictionaries are immutable (triggers refuse edits), so a connection keeps those it has seen
// committed. One read inside a transaction is not cached: the transaction may roll back (the
// first sale's, which creates the dictionary) and the id be reused for other bytes.
const cache = new WeakMap<Db, Map<number, Buffer>>();

/** Every dictionary of the ledger, by id, read afresh (verify loads them before it walks). */
export function loadDictionaries(db: Db): Map<number, Buffer> {
  const dicts = new Map<number, Buffer>();
  for (const r of many(DictRow, 'json dictionaries', prepared(db, 'SELECT id, dictionary FROM json_dictionaries ORDER BY id')))
    dicts.set(r.id, r.dictionary);
  if (!db.inTransaction && dicts.size > 0) cache.set(db, dicts);
  return dicts;
}

/**
 * Reads the dictionaries into the connection's cache, outside a transaction (what is read there is
 * committed), so the sale's write transaction does not read them again. A no-op when they are
 * cached, when called inside a transaction, and on a ledger that has none yet.
 */
export function warmDictionaries(db: Db): void {
  if (!cache.has(db) && !db.inTransaction) loadDictionaries(db);
}

function dictionary(db: Db, id: number): Buffer {
  const d = cache.get(db)?.get(id) ?? loadDictionaries(db).get(id);
  if (!d) throw new Error(`ledger: invoice body refers to compression dictionary ${id}, which is missing`);
  return d;
}

/** The pair's UTF-8 (also what a dictionary holds: a whole stored pair). */
export function pairText(texts: InvoiceTexts): Buffer {
  return Buffer.from(JSON.stringify([texts.invoice_json, texts.sale_json]), 'utf8');
}

export function deflatePair(plain: Buffer, dictionary: Buffer): Buffer {
  return deflateRawSync(plain, { dictionary });
}

/**
 * The stored form of an invoice's texts, against the newest dictionary; the ledger's first invoice
 * (on a ledger that had none when 022 ran) becomes the dictionary. Call inside the write
 * transaction that stores the invoice.
 */
export function encodeBody(db: Db, texts: InvoiceTexts, nowMs: number): StoredBody {
  return encodePair(db, pairText(texts), nowMs);
}

/** encodeBody of a pair already serialised (pairText): the ledger hashes the same bytes (bodyParts). */
export function encodePair(db: Db, plain: Buffer, nowMs: number): StoredBody {
  const dicts = cache.get(db) ?? loadDictionaries(db);
  let id = Math.max(0, ...dicts.keys());
  let dict = dicts.get(id);
  if (!dict) {
    id = Number(prepared(db, 'INSERT INTO json_dictionaries (dictionary, created_at) VALUES (?, ?)').run(plain, nowMs).lastInsertRowid);
    dict = plain;
  }
  return { dictionary_id: id, body: deflatePair(plain, dict) };
}

/** The inflated pair: UTF-8 of `["<invoice_json escaped>","<sale_json escaped>"]`. */
export function inflateBody(db: Db, dictionaryId: number, body: Buffer): Buffer {
  return inflateRawSync(body, { dictionary: dictionary(db, dictionaryId) });
}

export function decodeBody(db: Db, dictionaryId: number, body: Buffer): InvoiceTexts {
  const pair: unknown = JSON.parse(inflateBody(db, dictionaryId, body).toString('utf8'));
  if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string')
    throw new Error('ledger: an invoice body is not the [invoice_json, sale_json] pair');
  return { invoice_json: pair[0], sale_json: pair[1] };
}

/** The canonical sale of a stored invoice, parsed. */
export function decodeSale<T = unknown>(db: Db, dictionaryId: number, body: Buffer): T {
  return JSON.parse(decodeBody(db, dictionaryId, body).sale_json) as T;
}

const SEP = Buffer.from('","');

/**
 * The two escaped JSON string bodies inside an inflated pair (without their quotes): exactly what
 * JSON.stringify writes for those texts inside the chain record. Undefined if the buffer is not a
 * pair. The first `","` is the boundary: inside an escaped string every `"` follows a backslash.
 */
export function bodyParts(pair: Buffer): { invoice: Buffer; sale: Buffer } | undefined {
  const n = pair.length;
  // `["` … `"]`
  if (n < 7 || pair[0] !== 0x5b || pair[1] !== 0x22 || pair[n - 2] !== 0x22 || pair[n - 1] !== 0x5d) return undefined;
  const k = pair.indexOf(SEP, 2);
  if (k < 0) return undefined;
  return { invoice: pair.subarray(2, k), sale: pair.subarray(k + 3, n - 2) };
}
