// HMAC-SHA256 and the constant-time comparison every webhook verifier uses.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type Bytes = string | Buffer;

export function hmacSha256(secret: string, ...parts: Bytes[]): Buffer {
  const mac = createHmac('sha256', secret);
  for (const p of parts) mac.update(typeof p === 'string' ? Buffer.from(p, 'utf8') : p);
  return mac.digest();
}

/** Constant time for equal lengths; a different length is simply unequal (lengths are public). */
export function safeEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  if (a.length !== b.length) {
    timingSafeEqual(a, a); // same work either way
    return false;
  }
  return timingSafeEqual(a, b);
}
