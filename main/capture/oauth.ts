// OAuth helpers shared by the vendors: PKCE pairs, token responses → TokenSet, and the renewal
// used when a personal access token (which cannot be refreshed) is refused.
import { createHash, randomBytes } from 'node:crypto';
import { ConnectorError } from './errors';
import type { HttpResponse } from './http';
import type { Renew, TokenSet } from './tokens';
import { vendorMessage } from './vendor-api';

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url'); // 64 chars, within RFC 7636's 43..128
  return { verifier, challenge: pkceChallenge(verifier) };
}

export const pkceChallenge = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');

export const randomState = (): string => randomBytes(16).toString('hex');

/** A token endpoint's answer → TokenSet; refusals name the problem. */
export function tokenResponse(vendor: string, res: HttpResponse, now: number, previousRefresh?: string): TokenSet {
  if (res.status === 400 || res.status === 401 || res.status === 403) {
    throw new ConnectorError(
      'bad_credentials',
      `${vendor}: the token endpoint refused the credentials: ${vendorMessage(res)} (HTTP ${res.status})`,
      { status: res.status },
    );
  }
  if (res.status === 429) throw new ConnectorError('rate_limited', `${vendor}: token endpoint rate limited`, { status: 429 });
  if (res.status >= 500)
    throw new ConnectorError('vendor_error', `${vendor}: token endpoint failed (HTTP ${res.status})`, { status: res.status });
  const b = res.body as Record<string, unknown> | undefined;
  if (res.status !== 200 || !b || typeof b.access_token !== 'string' || !b.access_token) {
    throw new ConnectorError('bad_response', `${vendor}: unexpected token response (HTTP ${res.status}): ${res.text.slice(0, 200)}`);
  }
  let expiresAt: number | undefined;
  if (typeof b.expires_at === 'string')
    expiresAt = Date.parse(b.expires_at); // Square: ISO date
  else if (typeof b.expires_in === 'number' || typeof b.expires_in === 'string') expiresAt = now + Number(b.expires_in) * 1000;
  else if (typeof b.expires === 'number') expiresAt = b.expires * 1000; // Lightspeed X: unix seconds
  if (expiresAt !== undefined && Number.isNaN(expiresAt))
    throw new ConnectorError('bad_response', `${vendor}: token response has an unreadable expiry`);
  const refreshToken = typeof b.refresh_token === 'string' && b.refresh_token ? b.refresh_token : previousRefresh;
  return { accessToken: b.access_token, ...(refreshToken ? { refreshToken } : {}), ...(expiresAt !== undefined ? { expiresAt } : {}) };
}

/** Personal/access tokens cannot be renewed: a refusal needs a person. */
export function cannotRenew(vendor: string): Renew {
  return async (current) => {
    if (!current) throw new ConnectorError('not_configured', `${vendor}: no access token stored: run \`taxpoynt-pos connect ${vendor}\``);
    throw new ConnectorError(
      'bad_credentials',
      `${vendor}: the access token was refused (revoked or expired): create a new one and connect again`,
    );
  };
}
