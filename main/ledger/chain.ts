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

export function chainHash(prevHash: string, fields: ChainedFields): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(fields)).digest('hex');
}
