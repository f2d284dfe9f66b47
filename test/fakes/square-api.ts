// A loopback fake of the Square APIs the connector uses, following Square's documented contract:
// OAuth authorize (redirect with code) + ObtainToken (PKCE: code_verifier, refresh tokens single-
// use and rotated; code flow: client_secret, same refresh token), RetrieveTokenStatus, ListLocations,
// SearchOrders (updated_at filter, UPDATED_AT sort, cursor paging), RetrieveOrder, RetrieveCustomer,
// errors as {errors:[{category, code, detail}]}, 429 RATE_LIMITED, and signed webhook deliveries
// (x-square-hmacsha256-signature = base64 HMAC-SHA256(key, notification URL + body)).
import { createHash, createHmac } from 'node:crypto';
import { FakeVendorServer, bearer, token, type FakeRequest, type FakeResponse } from '../capture/connectors/fake-http';

export const SQUARE_ALL_SCOPES = ['ORDERS_READ', 'PAYMENTS_READ', 'MERCHANT_PROFILE_READ', 'CUSTOMERS_READ'];

interface Access {
  expiresAt: number;
  scopes: string[];
}
type Order = Record<string, unknown> & { id: string; updated_at: string; version: number; location_id: string };

const err = (status: number, category: string, code: string, detail: string): FakeResponse => ({
  status,
  json: { errors: [{ category, code, detail }] },
});

export class FakeSquare extends FakeVendorServer {
  readonly clientId = 'sq0idp-fake-app';
  readonly clientSecret = 'sq0csp-fake-secret';
  merchantId = 'MLFAKE123';
  locations = [
    { id: 'L1', name: 'Ade Stores Ikeja', status: 'ACTIVE' },
    { id: 'L2', name: 'Ade Stores Lekki', status: 'ACTIVE' },
  ];
  /** Access token lifetime (Square: 30 days). */
  accessTtlMs = 30 * 86_400_000;
  /** Orders per SearchOrders page at most (the request's limit may lower it). */
  maxPage = 1000;
  readonly access = new Map<string, Access>();
  /** refresh token → { pkce, scopes } ; a PKCE refresh token is deleted once used. */
  readonly refreshTokens = new Map<string, { pkce: boolean; scopes: string[] }>();
  private readonly codes = new Map<string, { challenge?: string; scopes: string[] }>();
  readonly orders = new Map<string, Order>();
  readonly customers = new Map<string, Record<string, unknown>>();
  grantedScopes = SQUARE_ALL_SCOPES;

  protected override isAuthPath(path: string): boolean {
    return path.startsWith('/oauth2/authorize') || path === '/oauth2/token';
  }

  personalToken(scopes = SQUARE_ALL_SCOPES): string {
    const t = token('EAAAfake');
    this.access.set(t, { expiresAt: Number.MAX_SAFE_INTEGER, scopes });
    return t;
  }

  /** Stores an order as Square would after a sale (updated_at defaults to the fake's now). */
  putOrder(order: Record<string, unknown> & { id: string }, o: { updatedAt?: number; location?: string } = {}): Order {
    const prev = this.orders.get(order.id);
    const stored = {
      location_id: o.location ?? 'L1',
      ...order,
      version: (prev?.version ?? 0) + 1,
      updated_at: new Date(o.updatedAt ?? this.now()).toISOString(),
    } as Order;
    this.orders.set(order.id, stored);
    return stored;
  }

  /** A signed webhook delivery to the receiver; returns the HTTP status it answered. */
  async deliver(
    target: string,
    event: unknown,
    o: { signatureKey: string; notificationUrl: string; tamper?: boolean },
  ): Promise<{ status: number; body: string }> {
    const body = JSON.stringify(event);
    let sig = createHmac('sha256', o.signatureKey)
      .update(o.notificationUrl + body)
      .digest('base64');
    if (o.tamper)
      sig = createHmac('sha256', `${o.signatureKey}x`)
        .update(o.notificationUrl + body)
        .digest('base64');
    const res = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-square-hmacsha256-signature': sig },
      body,
    });
    return { status: res.status, body: await res.text() };
  }

  orderEvent(orderId: string, type: 'order.created' | 'order.updated' = 'order.updated', eventId = token('evt')): Record<string, unknown> {
    const o = this.orders.get(orderId);
    return {
      merchant_id: this.merchantId,
      type,
      event_id: eventId,
      created_at: new Date(this.now()).toISOString(),
      data: {
        type: 'order_updated',
        id: orderId,
        object: {
          order_updated: {
            order_id: orderId,
            version: o?.version ?? 1,
            state: o?.state ?? 'COMPLETED',
            location_id: o?.location_id ?? 'L1',
            updated_at: o?.updated_at,
          },
        },
      },
    };
  }

  protected route(req: FakeRequest): FakeResponse {
    if (req.method === 'GET' && req.path === '/oauth2/authorize') return this.authorize(req);
    if (req.method === 'POST' && req.path === '/oauth2/token') return this.obtainToken(req);
    const t = bearer(req);
    const a = t ? this.access.get(t) : undefined;
    if (!t || !a) return err(401, 'AUTHENTICATION_ERROR', 'UNAUTHORIZED', 'This request could not be authorized.');
    if (a.expiresAt <= this.now()) return err(401, 'AUTHENTICATION_ERROR', 'ACCESS_TOKEN_EXPIRED', 'The access token has expired.');
    if (!req.headers['square-version'])
      return err(400, 'INVALID_REQUEST_ERROR', 'INVALID_VALUE', 'Square-Version header missing in this fake');
    if (req.method === 'POST' && req.path === '/oauth2/token/status') {
      return {
        status: 200,
        json: {
          scopes: a.scopes,
          expires_at: new Date(Math.min(a.expiresAt, 8.64e15)).toISOString(),
          client_id: this.clientId,
          merchant_id: this.merchantId,
        },
      };
    }
    if (req.method === 'GET' && req.path === '/v2/locations') {
      if (!a.scopes.includes('MERCHANT_PROFILE_READ'))
        return err(
          403,
          'AUTHENTICATION_ERROR',
          'INSUFFICIENT_SCOPES',
          'The merchant has not given your application sufficient permissions to do this. MERCHANT_PROFILE_READ',
        );
      return { status: 200, json: { locations: this.locations } };
    }
    if (!a.scopes.includes('ORDERS_READ'))
      return err(
        403,
        'AUTHENTICATION_ERROR',
        'INSUFFICIENT_SCOPES',
        'The merchant has not given your application sufficient permissions to do this. ORDERS_READ',
      );
    if (req.method === 'POST' && req.path === '/v2/orders/search') return this.search(req);
    const m = /^\/v2\/orders\/([^/]+)$/.exec(req.path);
    if (req.method === 'GET' && m) {
      const o = this.orders.get(decodeURIComponent(m[1]!));
      return o ? { status: 200, json: { order: o } } : err(404, 'INVALID_REQUEST_ERROR', 'NOT_FOUND', `Order ${m[1]} not found`);
    }
    const c = /^\/v2\/customers\/([^/]+)$/.exec(req.path);
    if (req.method === 'GET' && c) {
      const cust = this.customers.get(decodeURIComponent(c[1]!));
      return cust ? { status: 200, json: { customer: cust } } : err(404, 'INVALID_REQUEST_ERROR', 'NOT_FOUND', 'Customer not found');
    }
    return err(404, 'INVALID_REQUEST_ERROR', 'NOT_FOUND', `no route ${req.method} ${req.path}`);
  }

  private authorize(req: FakeRequest): FakeResponse {
    const redirect = req.query.get('redirect_uri') ?? 'http://localhost/callback';
    if (req.query.get('client_id') !== this.clientId) return { status: 400, text: 'unknown client_id' };
    const code = token('sq0cgp');
    this.codes.set(code, {
      challenge: req.query.get('code_challenge') ?? undefined,
      scopes: (req.query.get('scope') ?? '').split(/[ +]/).filter((s) => this.grantedScopes.includes(s)),
    });
    const loc = new URL(redirect);
    loc.searchParams.set('code', code);
    loc.searchParams.set('state', req.query.get('state') ?? '');
    return { status: 302, headers: { location: loc.toString() } };
  }

  private issue(scopes: string[], pkce: boolean, refreshToken?: string): FakeResponse {
    const access = token('EAAAoauth');
    const expiresAt = this.now() + this.accessTtlMs;
    this.access.set(access, { expiresAt, scopes });
    const refresh = refreshToken ?? token('EQAAref');
    this.refreshTokens.set(refresh, { pkce, scopes });
    return {
      status: 200,
      json: {
        access_token: access,
        token_type: 'bearer',
        expires_at: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        merchant_id: this.merchantId,
        refresh_token: refresh,
        short_lived: false,
      },
    };
  }

  private obtainToken(req: FakeRequest): FakeResponse {
    const b = (req.json ?? {}) as Record<string, string>;
    if (b.client_id !== this.clientId) return err(401, 'AUTHENTICATION_ERROR', 'UNAUTHORIZED', 'Not Authorized');
    if (b.grant_type === 'authorization_code') {
      const code = this.codes.get(b.code ?? '');
      if (!code) return err(400, 'INVALID_REQUEST_ERROR', 'INVALID_VALUE', 'Invalid authorization code');
      this.codes.delete(b.code!);
      if (code.challenge) {
        const ok = b.code_verifier && createHash('sha256').update(b.code_verifier).digest('base64url') === code.challenge;
        if (!ok) return err(400, 'INVALID_REQUEST_ERROR', 'INVALID_VALUE', 'code_verifier does not match code_challenge');
        return this.issue(code.scopes, true);
      }
      if (b.client_secret !== this.clientSecret) return err(401, 'AUTHENTICATION_ERROR', 'UNAUTHORIZED', 'Invalid client_secret');
      return this.issue(code.scopes, false);
    }
    if (b.grant_type === 'refresh_token') {
      const r = this.refreshTokens.get(b.refresh_token ?? '');
      if (!r) return err(401, 'AUTHENTICATION_ERROR', 'UNAUTHORIZED', 'Invalid refresh token');
      if (r.pkce) {
        this.refreshTokens.delete(b.refresh_token!); // single use: a new one is returned
        return this.issue(r.scopes, true);
      }
      if (b.client_secret !== this.clientSecret) return err(401, 'AUTHENTICATION_ERROR', 'UNAUTHORIZED', 'Invalid client_secret');
      return this.issue(r.scopes, false, b.refresh_token);
    }
    return err(400, 'INVALID_REQUEST_ERROR', 'INVALID_VALUE', `grant_type ${b.grant_type}`);
  }

  private search(req: FakeRequest): FakeResponse {
    const b = (req.json ?? {}) as {
      location_ids?: string[];
      limit?: number;
      cursor?: string;
      query?: {
        filter?: { date_time_filter?: { updated_at?: { start_at?: string; end_at?: string } } };
        sort?: { sort_field?: string; sort_order?: string };
      };
    };
    if (!b.location_ids?.length || b.location_ids.length > 10)
      return err(400, 'INVALID_REQUEST_ERROR', 'INVALID_VALUE', 'location_ids must have 1..10 entries');
    const unknown = b.location_ids.find((l) => !this.locations.some((x) => x.id === l));
    if (unknown) return err(400, 'INVALID_REQUEST_ERROR', 'NOT_FOUND', `Location \`${unknown}\` not found`);
    if (b.query?.sort?.sort_field !== 'UPDATED_AT')
      return err(400, 'INVALID_REQUEST_ERROR', 'INVALID_VALUE', 'this fake expects sort_field UPDATED_AT with an updated_at filter');
    const start = b.query.filter?.date_time_filter?.updated_at?.start_at;
    const end = b.query.filter?.date_time_filter?.updated_at?.end_at;
    const limit = Math.min(b.limit ?? 500, this.maxPage, 1000);
    const all = [...this.orders.values()]
      .filter((o) => b.location_ids!.includes(o.location_id))
      .filter((o) => (!start || o.updated_at >= new Date(start).toISOString()) && (!end || o.updated_at < new Date(end).toISOString()))
      .sort((x, y) => (x.updated_at < y.updated_at ? -1 : x.updated_at > y.updated_at ? 1 : x.id < y.id ? -1 : 1));
    if (b.query.sort.sort_order === 'DESC') all.reverse();
    const offset = b.cursor ? Number(Buffer.from(b.cursor, 'base64url').toString()) : 0;
    const page = all.slice(offset, offset + limit);
    const next = offset + limit < all.length ? Buffer.from(String(offset + limit)).toString('base64url') : undefined;
    return { status: 200, json: { ...(page.length ? { orders: page } : {}), ...(next ? { cursor: next } : {}) } };
  }
}

/** A completed Square order in the API's field shapes: one VAT-inclusive line, one tender. */
export function squareOrder(
  id: string,
  amountKobo = 107_500,
  extra: Record<string, unknown> = {},
): Record<string, unknown> & { id: string } {
  const money = (amount: number) => ({ amount, currency: 'NGN' });
  const tax = Math.round((amountKobo * 75) / 1075);
  return {
    id,
    state: 'COMPLETED',
    created_at: '2026-11-24T09:00:00Z',
    closed_at: '2026-11-24T09:01:00Z',
    line_items: [
      {
        uid: 'li1',
        name: 'Jollof rice',
        quantity: '1',
        base_price_money: money(amountKobo),
        gross_sales_money: money(amountKobo),
        total_tax_money: money(tax),
        total_discount_money: money(0),
        total_money: money(amountKobo),
        applied_taxes: [{ uid: 'at1', tax_uid: 'vat', applied_money: money(tax) }],
      },
    ],
    taxes: [{ uid: 'vat', name: 'VAT', percentage: '7.5', type: 'INCLUSIVE', scope: 'LINE_ITEM' }],
    tenders: [{ id: `t-${id}`, type: 'CASH', amount_money: money(amountKobo) }],
    total_money: money(amountKobo),
    total_tax_money: money(tax),
    total_discount_money: money(0),
    total_tip_money: money(0),
    ...extra,
  };
}
