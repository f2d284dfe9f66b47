// Lightspeed Retail R-Series OAuth (the current authorization server): authorize at
// {authUrl}/auth/oauth/authorize, tokens at {authUrl}/auth/oauth/token. Both the access AND the
// refresh token change on every refresh; the new set is stored before use.
import type { HttpClient } from '../../capture/http';
import { tokenResponse } from '../../capture/oauth';
import { ConnectorError } from '../../capture/errors';
import type { Renew, TokenSet } from '../../capture/tokens';

/** Reading sales needs the register read scope (employee:all also covers it). */
export const LIGHTSPEED_R_SCOPE = 'employee:register_read';

export function lightspeedRAuthorizeUrl(o: {
  authUrl: string;
  clientId: string;
  state: string;
  scope?: string;
  redirectUri?: string;
}): string {
  const u = new URL(`${o.authUrl}/auth/oauth/authorize`);
  u.searchParams.set('response_type', 'code');
  u.searchParams.set('client_id', o.clientId);
  u.searchParams.set('scope', o.scope ?? LIGHTSPEED_R_SCOPE);
  u.searchParams.set('state', o.state);
  if (o.redirectUri) u.searchParams.set('redirect_uri', o.redirectUri);
  return u.toString();
}

export async function lightspeedRExchangeCode(
  http: HttpClient,
  o: { authUrl: string; clientId: string; clientSecret: string; code: string; redirectUri?: string; now: number },
): Promise<TokenSet> {
  const res = await http.request({
    method: 'POST',
    url: `${o.authUrl}/auth/oauth/token`,
    form: {
      grant_type: 'authorization_code',
      code: o.code,
      client_id: o.clientId,
      client_secret: o.clientSecret,
      ...(o.redirectUri ? { redirect_uri: o.redirectUri } : {}),
    },
  });
  return tokenResponse('lightspeed-r', res, o.now);
}

export function lightspeedRRenew(
  http: HttpClient,
  o: { authUrl: string; clientId: string; clientSecret: () => string; now: () => number },
): Renew {
  return async (current) => {
    if (!current?.refreshToken) throw new ConnectorError('not_configured', 'lightspeed-r: no refresh token stored: connect again');
    const res = await http.request({
      method: 'POST',
      url: `${o.authUrl}/auth/oauth/token`,
      form: { grant_type: 'refresh_token', refresh_token: current.refreshToken, client_id: o.clientId, client_secret: o.clientSecret() },
    });
    const next = tokenResponse('lightspeed-r', res, o.now());
    if (!next.refreshToken) throw new ConnectorError('bad_response', 'lightspeed-r: the refresh answer carried no new refresh token');
    return next;
  };
}
