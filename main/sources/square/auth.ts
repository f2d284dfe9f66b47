// Square OAuth: the authorize URL (PKCE or code flow), the code exchange, refresh (PKCE refresh
// tokens are single-use: the new one is stored before the access token is used), or a personal
// access token. https://developer.squareup.com/reference/square/o-auth-api
import type { HttpClient } from '../../capture/http';
import { tokenResponse, cannotRenew } from '../../capture/oauth';
import { ConnectorError } from '../../capture/errors';
import type { Renew, TokenSet } from '../../capture/tokens';

export const SQUARE_SCOPES = ['ORDERS_READ', 'PAYMENTS_READ', 'MERCHANT_PROFILE_READ', 'CUSTOMERS_READ'] as const;

export function squareAuthorizeUrl(o: {
  baseUrl: string;
  clientId: string;
  state: string;
  codeChallenge?: string;
  redirectUri?: string;
  scopes?: readonly string[];
}): string {
  const u = new URL(`${o.baseUrl}/oauth2/authorize`);
  u.searchParams.set('client_id', o.clientId);
  u.searchParams.set('scope', (o.scopes ?? SQUARE_SCOPES).join(' '));
  u.searchParams.set('session', 'false');
  u.searchParams.set('state', o.state);
  if (o.codeChallenge) u.searchParams.set('code_challenge', o.codeChallenge);
  if (o.redirectUri) u.searchParams.set('redirect_uri', o.redirectUri);
  return u.toString();
}

/** ObtainToken with grant_type authorization_code: PKCE sends code_verifier, the code flow client_secret. */
export async function squareExchangeCode(
  http: HttpClient,
  o: { baseUrl: string; clientId: string; code: string; codeVerifier?: string; clientSecret?: string; redirectUri?: string; now: number },
): Promise<TokenSet> {
  if (!o.codeVerifier && !o.clientSecret)
    throw new ConnectorError('not_configured', 'square: exchanging a code needs the PKCE code verifier or the application secret');
  const res = await http.request({
    method: 'POST',
    url: `${o.baseUrl}/oauth2/token`,
    json: {
      client_id: o.clientId,
      grant_type: 'authorization_code',
      code: o.code,
      ...(o.codeVerifier ? { code_verifier: o.codeVerifier } : { client_secret: o.clientSecret }),
      ...(o.redirectUri ? { redirect_uri: o.redirectUri } : {}),
    },
  });
  return tokenResponse('square', res, o.now);
}

/** Refresh: PKCE (no secret, a new refresh token each time) or the code flow (secret, same refresh token). */
export function squareRenew(
  http: HttpClient,
  o: { baseUrl: string; auth: 'oauth' | 'token'; clientId?: string; clientSecret?: string; now: () => number },
): Renew {
  if (o.auth === 'token') return cannotRenew('square');
  return async (current) => {
    if (!current?.refreshToken) throw new ConnectorError('not_configured', 'square: no refresh token stored: connect again');
    if (!o.clientId) throw new ConnectorError('not_configured', 'square: clientId (application id) is not configured');
    const res = await http.request({
      method: 'POST',
      url: `${o.baseUrl}/oauth2/token`,
      json: {
        client_id: o.clientId,
        grant_type: 'refresh_token',
        refresh_token: current.refreshToken,
        ...(o.clientSecret ? { client_secret: o.clientSecret } : {}),
      },
    });
    return tokenResponse('square', res, o.now(), current.refreshToken);
  };
}
