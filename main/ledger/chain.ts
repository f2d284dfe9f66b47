// Tamper evidence: hash_n = SHA-256(hash_{n-1} + canonical JSON of invoice n), RFC 8785 (JCS)
// canonicalisation via the `canonicalize` package so the bytes are stable across versions.
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields the chain protects: everything that makes the invoice what it is. */
export interface ChainedFields {
  counter: number;
  invoice_number: string;
  irn: string;
  type: string;
  issued_at: number; // unix seconds (also in the QR)
  qr: string;
  invoice_json: string; // the FIRS JSON as stored
  sale_json: string;
}

export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('value cannot be canonicalised');
  return text;
}

// For this flat record of strings and integers, JSON.stringify with the keys in sorted order
// produces exactly the RFC 8785 bytes (JCS string and integer serialisation is ECMAScript's);
// a unit test holds it equal to `canonicalize`. It is ~10x faster on the till's hot path.
const CHAINED_KEYS: (keyof ChainedFields)[] = ['counter', 'invoice_json', 'invoice_number', 'irn', 'issued_at', 'qr', 'sale_json', 'type'];

export function chainRecord(fields: ChainedFields): string {
  return JSON.stringify(fields, CHAINED_KEYS as string[]);
}

export function chainHash(prevHash: string, fields: ChainedFields): string {
  return createHash('sha256').update(prevHash).update(chainRecord(fields)).digest('hex');
}
