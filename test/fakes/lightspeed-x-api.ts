// A loopback fake of Lightspeed Retail X-Series, per its documented contract: OAuth code exchange
// and refresh at /api/1.0/token (form-encoded; refresh tokens ROTATE, the old refresh token and
// access token are revoked), the API 2.0 change feed /api/2.0/sales?after=&page_size= ordered by
// version with version.{min,max}, /api/2.0/sales/{id}, /api/2.0/outlets, /api/2.0/customers/{id},
// 429 with Retry-After as an HTTP date, and sale.update webhooks (form body with a JSON `payload`,
// X-Signature: signature=<hex HMAC-SHA256(client secret, body)>,algorithm=HMAC-SHA256).
import { createHmac } from 'node:crypto';
import { FakeVendorServer, bearer, token, type FakeRequest, type FakeResponse } from '../capture/connectors/fake-http';

type Sale = Record<string, unknown> & { id: string; version: number };

export class FakeLightspeedX extends FakeVendorServer {
  readonly clientId = 'lsx-client';
  readonly clientSecret = 'lsx-secret';
  readonly domainPrefix = 'adestores';
  outlets = [
    { id: 'outlet-ikeja', name: 'Ikeja' },
    { id: 'outlet-lekki', name: 'Lekki' },
  ];
  accessTtlS = 86_400;
  scopes = ['sales:read', 'outlets:read', 'customers:read'];
  readonly access = new Map<string, number>();
  readonly refreshTokens = new Set<string>();
  readonly codes = new Set<string>();
  readonly sales = new Map<string, Sale>();
  readonly customers = new Map<string, Record<string, unknown>>();
  private version = 30_648_000_000;

  protected override isAuthPath(path: string): boolean {
    return path === '/api/1.0/token';
  }

  issueCode(): string {
    const c = token('lsx-code');
    this.codes.add(c);
    return c;
  }

  personalToken(): string {
    const t = token('lsx-pat');
    this.access.set(t, Number.MAX_SAFE_INTEGER);
    return t;
  }

  /** Stores a sale with the next version (the change feed's order). */
  putSale(sale: Record<string, unknown> & { id: string }): Sale {
    this.version += 17;
    const stored = { ...sale, version: this.version, updated_at: new Date(this.now()).toISOString().replace('.000Z', '+00:00') } as Sale;
    this.sales.set(sale.id, stored);
    return stored;
  }

  async deliver(
    target: string,
    sale: Record<string, unknown>,
    o: { secret: string; tamper?: boolean },
  ): Promise<{ status: number; body: string }> {
    // API 1.0 shape in the payload: decimals as strings.
    const v1 = {
      id: sale.id,
      status: sale.status,
      invoice_number: sale.invoice_number,
      total_price: String(sale.total_price),
      total_tax: String(sale.total_tax),
      version: sale.version,
    };
    const body = new URLSearchParams({ domain_prefix: this.domainPrefix, type: 'sale.update', payload: JSON.stringify(v1) }).toString();
    const mac = createHmac('sha256', o.tamper ? `${o.secret}?` : o.secret)
      .update(body)
      .digest('hex');
    const res = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-signature': `signature=${mac},algorithm=HMAC-SHA256` },
      body,
    });
    return { status: res.status, body: await res.text() };
  }

  private issue(): FakeResponse {
    const access = token('lsx-at');
    const refresh = token('lsx-rt');
    const expires = Math.floor(this.now() / 1000) + this.accessTtlS;
    this.access.set(access, expires * 1000);
    this.refreshTokens.add(refresh);
    return {
      status: 200,
      json: {
        access_token: access,
        token_type: 'Bearer',
        expires,
        expires_in: this.accessTtlS,
        refresh_token: refresh,
        domain_prefix: this.domainPrefix,
      },
    };
  }

  protected route(req: FakeRequest): FakeResponse {
    if (req.method === 'POST' && req.path === '/api/1.0/token') {
      const f = req.form;
      if (f.get('client_id') !== this.clientId || f.get('client_secret') !== this.clientSecret)
        return { status: 401, json: { error: 'invalid_client', error_description: 'Client authentication failed' } };
      if (f.get('grant_type') === 'authorization_code') {
        if (!this.codes.delete(f.get('code') ?? ''))
          return { status: 400, json: { error: 'invalid_grant', error_description: 'Authorization code is invalid or expired' } };
        return this.issue();
      }
      if (f.get('grant_type') === 'refresh_token') {
        const rt = f.get('refresh_token') ?? '';
        if (!this.refreshTokens.delete(rt))
          return { status: 400, json: { error: 'invalid_grant', error_description: 'Refresh token is invalid or was already used' } };
        this.access.clear(); // the old access token is revoked with it
        return this.issue();
      }
      return { status: 400, json: { error: 'unsupported_grant_type' } };
    }
    const t = bearer(req);
    const exp = t ? this.access.get(t) : undefined;
    if (!exp || exp <= this.now())
      return { status: 401, json: { error: 'Unauthorized', message: 'The access token is invalid or has expired' } };
    if (req.method === 'GET' && req.path === '/api/2.0/outlets')
      return { status: 200, json: { data: this.outlets, version: { min: 1, max: 2 } } };
    if (!this.scopes.includes('sales:read'))
      return { status: 403, json: { error: 'Forbidden', message: 'The token lacks scope sales:read' } };
    if (req.method === 'GET' && req.path === '/api/2.0/sales') {
      const after = Number(req.query.get('after') ?? 0);
      const size = Math.min(Number(req.query.get('page_size') ?? 100), 10_000);
      const page = [...this.sales.values()]
        .filter((s) => s.version > after)
        .sort((a, b) => a.version - b.version)
        .slice(0, size);
      return { status: 200, json: { data: page, version: page.length ? { min: page[0]!.version, max: page.at(-1)!.version } : null } };
    }
    const m = /^\/api\/2\.0\/sales\/([^/]+)$/.exec(req.path);
    if (req.method === 'GET' && m) {
      const s = this.sales.get(decodeURIComponent(m[1]!));
      return s ? { status: 200, json: { data: s } } : { status: 404, json: { error: 'Not Found' } };
    }
    const c = /^\/api\/2\.0\/customers\/([^/]+)$/.exec(req.path);
    if (req.method === 'GET' && c) {
      const cust = this.customers.get(decodeURIComponent(c[1]!));
      return cust ? { status: 200, json: { data: cust } } : { status: 404, json: { error: 'Not Found' } };
    }
    return { status: 404, json: { error: `no route ${req.method} ${req.path}` } };
  }
}

export const LSX_TAX_ID = 'tax-vat-75';

/** A CLOSED X-Series sale (API 2.0 shape, JSON numbers in naira): one line with 7.5 % VAT added, paid cash. */
export function lightspeedXSale(id: string, net = 1000, extra: Record<string, unknown> = {}): Record<string, unknown> & { id: string } {
  const tax = Math.round(net * 7.5) / 100;
  return {
    id,
    outlet_id: 'outlet-ikeja',
    register_id: 'reg-1',
    customer_id: null,
    invoice_number: `INV-${id}`,
    status: 'CLOSED',
    return_for: null,
    created_at: '2026-11-24T08:00:00+00:00',
    sale_date: '2026-11-24T08:00:00+00:00',
    line_items: [
      {
        id: `li-${id}`,
        product_id: 'prod-rice',
        tax_id: LSX_TAX_ID,
        quantity: 1,
        price: net,
        discount: 0,
        tax,
        price_total: net,
        tax_total: tax,
        status: 'CONFIRMED',
        is_return: false,
      },
    ],
    payments: [{ id: `pay-${id}`, name: 'Cash', amount: Math.round((net + tax) * 100) / 100 }],
    total_price: net,
    total_tax: tax,
    total_surcharge: 0,
    ...extra,
  };
}
