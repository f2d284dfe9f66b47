// Toast machine-client login: POST {host}/authentication/v1/authentication/login with
// {clientId, clientSecret, userAccessType: TOAST_MACHINE_CLIENT} → {token: {accessToken,
// expiresIn}}. Tokens are reused and renewed only near expiry (Toast asks partners not to log in
// per request). The token's scope string tells us precisely which permission is missing.
import type { HttpClient } from '../../capture/http';
import { ConnectorError } from '../../capture/errors';
import type { Renew, TokenSet } from '../../capture/tokens';
import { vendorMessage } from '../../capture/vendor-api';

export const TOAST_REQUIRED_SCOPES = ['orders:read'] as const;

export interface ToastLogin extends TokenSet {
  scope?: string;
}

export async function toastLogin(
  http: HttpClient,
  o: { baseUrl: string; clientId: string; clientSecret: string; now: number },
): Promise<ToastLogin> {
  const res = await http.request({
    method: 'POST',
    url: `${o.baseUrl}/authentication/v1/authentication/login`,
    json: { clientId: o.clientId, clientSecret: o.clientSecret, userAccessType: 'TOAST_MACHINE_CLIENT' },
  });
  if (res.status === 400 || res.status === 401 || res.status === 403) {
    throw new ConnectorError(
      'bad_credentials',
      `toast: login refused for client ${o.clientId}: ${vendorMessage(res)} (HTTP ${res.status})`,
      { status: res.status },
    );
  }
  if (res.status === 429) throw new ConnectorError('rate_limited', 'toast: login rate limited', { status: 429 });
  if (res.status >= 500) throw new ConnectorError('vendor_error', `toast: login failed (HTTP ${res.status})`, { status: res.status });
  const t = (res.body as { token?: { accessToken?: unknown; expiresIn?: unknown; scope?: unknown } } | undefined)?.token;
  if (res.status !== 200 || !t || typeof t.accessToken !== 'string' || typeof t.expiresIn !== 'number') {
    throw new ConnectorError('bad_response', `toast: unexpected login response (HTTP ${res.status}): ${res.text.slice(0, 200)}`);
  }
  return { accessToken: t.accessToken, expiresAt: o.now + t.expiresIn * 1000, ...(typeof t.scope === 'string' ? { scope: t.scope } : {}) };
}

export function toastRenew(
  http: HttpClient,
  o: { baseUrl: string; clientId: string; clientSecret: () => string; now: () => number },
): Renew {
  return async () => {
    const t = await toastLogin(http, { baseUrl: o.baseUrl, clientId: o.clientId, clientSecret: o.clientSecret(), now: o.now() });
    return { accessToken: t.accessToken, ...(t.expiresAt !== undefined ? { expiresAt: t.expiresAt } : {}) };
  };
}
