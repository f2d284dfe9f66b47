// Browser-mode security: the per-install secret, session cookies bound to it by an HMAC, the CSP
// and the other response headers. Constant-time comparisons throughout.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SecretStore } from '../app/secret-store';

export const COOKIE = 'tpos_session';
export const TOKEN_SECRET_NAME = 'browser.token';

/** The per-install secret for browser mode: created once, kept in the encrypted secret store. */
export function installToken(secrets: SecretStore): string {
  let token = secrets.get(TOKEN_SECRET_NAME);
  if (!token) {
    token = randomBytes(32).toString('base64url');
    secrets.set(TOKEN_SECRET_NAME, token);
  }
  return token;
}

/** A new browser-mode secret: every link and cookie made with the old one stops working. */
export function rotateToken(secrets: SecretStore): string {
  const token = randomBytes(32).toString('base64url');
  secrets.set(TOKEN_SECRET_NAME, token);
  return token;
}

export function sameSecret(given: string, expected: string): boolean {
  // Hash first: equal lengths for timingSafeEqual, and no early exit on length.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** A session id signed with the install secret: a cookie from another install (or forged) is refused. */
export function signSession(sessionId: string, token: string): string {
  return `${sessionId}.${createHmac('sha256', token).update(sessionId).digest('base64url')}`;
}

/**
 * The session id of a cookie signed by this install and issued less than maxAgeMs ago. The issue
 * time is part of the signed id, so an old or stolen cookie stops working even across restarts.
 */
export function verifySession(cookie: string, token: string, nowMs: number, maxAgeMs: number): string | undefined {
  const dot = cookie.indexOf('.');
  if (dot <= 0) return undefined;
  const id = cookie.slice(0, dot);
  const m = /^[0-9a-f]{32}_([0-9a-z]{1,11})$/.exec(id);
  if (!m || !sameSecret(signSession(id, token), cookie)) return undefined;
  const issuedAt = parseInt(m[1]!, 36);
  return issuedAt <= nowMs + 60_000 && nowMs - issuedAt < maxAgeMs ? id : undefined;
}

export function newSessionId(nowMs: number): string {
  return `${randomBytes(16).toString('hex')}_${nowMs.toString(36)}`;
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const k = part.slice(0, eq).trim();
    if (!k) continue;
    // A malformed escape ("%E0%A4%A") is a cookie we did not set: keep it raw (it then fails
    // verification) rather than throw, which took the whole server down from a web page.
    const raw = part.slice(eq + 1).trim();
    try {
      out[k] = decodeURIComponent(raw);
    } catch {
      out[k] = raw;
    }
  }
  return out;
}

export function sessionCookie(value: string, maxAgeS: number): string {
  return `${COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeS}`;
}

/** Strict CSP: only this origin's scripts, styles and sockets; no framing, no plugins. */
export function contentSecurityPolicy(host: string | undefined): string {
  const ws = host && /^[A-Za-z0-9.:[\]-]+$/.test(host) ? ` ws://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${ws}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}

export const BASE_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};
