// Lightspeed Retail X-Series OAuth: authorize at secure.retail.lightspeed.app/connect, tokens at
// https://{domain_prefix}.retail.lightspeed.app/api/1.0/token (form-encoded). Refresh tokens
// ROTATE: every refresh returns a new one and revokes the old, so the TokenKeeper stores the new
// set before the access token is used. Personal tokens (store plans that have them) cannot be renewed.
import type { HttpClient } from '../../capture/http';
import { cannotRenew, tokenResponse } from '../../capture/oauth';
import { ConnectorError } from '../../capture/errors';
import type { Renew, TokenSet } from '../../capture/tokens';

export const LIGHTSPEED_X_AUTHORIZE = 'https://secure.retail.lightspeed.app/connect';

export const lightspeedXBaseUrl = (c: { baseUrl?: string; domainPrefix: string }): string =>
  c.baseUrl ?? `https://${c.domainPrefix}.retail.lightspeed.app`;

export function lightspeedXAuthorizeUrl(o: { clientId: string; redirectUri: string; state: string; authorizeUrl?: string }): string {
  const u = new URL(o.authorizeUrl ?? LIGHTSPEED_X_AUTHORIZE);
  u.searchParams.set('response_type', 'code');
  u.searchParams.set('client_id', o.clientId);
  u.searchParams.set('redirect_uri', o.redirectUri);
  u.searchParams.set('state', o.state);
  return u.toString();
}

export async function lightspeedXExchangeCode(
  http: HttpClient,
  o: { baseUrl: string; clientId: string; clientSecret: string; code: string; redirectUri: string; now: number },
): Promise<TokenSet> {
  const res = await http.request({
    method: 'POST',
    url: `${o.baseUrl}/api/1.0/token`,
    form: {
      grant_type: 'authorization_code',
      code: o.code,
      client_id: o.clientId,
      client_secret: o.clientSecret,
      redirect_uri: o.redirectUri,
    },
  });
  return tokenResponse('lightspeed-x', res, o.now);
}

export function lightspeedXRenew(
  http: HttpClient,
  o: { baseUrl: string; auth: 'oauth' | 'token'; clientId?: string; clientSecret: () => string; now: () => number },
): Renew {
  if (o.auth === 'token') return cannotRenew('lightspeed-x');
  return async (current) => {
    if (!current?.refreshToken) throw new ConnectorError('not_configured', 'lightspeed-x: no refresh token stored: connect again');
    if (!o.clientId) throw new ConnectorError('not_configured', 'lightspeed-x: clientId is not configured');
    const res = await http.request({
      method: 'POST',
      url: `${o.baseUrl}/api/1.0/token`,
      form: { grant_type: 'refresh_token', refresh_token: current.refreshToken, client_id: o.clientId, client_secret: o.clientSecret() },
    });
    // No previous refresh token carried over: a rotated one must come back, or we cannot refresh again.
    const next = tokenResponse('lightspeed-x', res, o.now());
    if (!next.refreshToken) throw new ConnectorError('bad_response', 'lightspeed-x: the refresh answer carried no new refresh token');
    return next;
  };
}
