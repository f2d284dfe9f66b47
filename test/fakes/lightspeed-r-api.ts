// A loopback fake of Lightspeed Retail R-Series, per its documented contract: OAuth at
// /auth/oauth/token (form-encoded; access AND refresh tokens rotate on refresh), Account.json,
// Sale.json with timeStamp filters (">=,<iso>"), sort=timeStamp, limit ≤100, load_relations,
// cursor pages through @attributes.next, a lone result as an object (not an array), SaleLine/{id},
// Shop.json, decimal strings, and the leaky-bucket 429 with Retry-After.
import { FakeVendorServer, bearer, token, type FakeRequest, type FakeResponse } from '../capture/connectors/fake-http';

type Sale = Record<string, unknown> & { saleID: string; timeStamp: string };

const rTime = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', '+00:00');

export class FakeLightspeedR extends FakeVendorServer {
  readonly clientId = 'lsr-client';
  readonly clientSecret = 'lsr-secret';
  accountId = '123456';
  scope = 'employee:register_read';
  accessTtlS = 3600;
  readonly access = new Map<string, { expiresAt: number; scope: string }>();
  readonly refreshTokens = new Set<string>();
  readonly codes = new Set<string>();
  readonly sales = new Map<string, Sale>();
  shops = [{ shopID: '1', name: 'Ade Stores Yaba' }];
  /** Leaky bucket (size 60, drip 1/s); tests may set the level the next answers report. */
  bucketLevel = 0;

  protected override isAuthPath(path: string): boolean {
    return path.startsWith('/auth/');
  }

  issueCode(): string {
    const c = token('lsr-code');
    this.codes.add(c);
    return c;
  }

  putSale(sale: Record<string, unknown> & { saleID: string }, o: { at?: number } = {}): Sale {
    const stored = { ...sale, timeStamp: rTime(o.at ?? this.now()) } as Sale;
    this.sales.set(sale.saleID, stored);
    return stored;
  }

  private issue(): FakeResponse {
    const access = token('lsr-at');
    const refresh = token('lsr-rt');
    this.access.set(access, { expiresAt: this.now() + this.accessTtlS * 1000, scope: this.scope });
    this.refreshTokens.add(refresh);
    return {
      status: 200,
      json: { access_token: access, expires_in: this.accessTtlS, token_type: 'Bearer', scope: this.scope, refresh_token: refresh },
    };
  }

  protected route(req: FakeRequest): FakeResponse {
    if (req.method === 'GET' && req.path === '/auth/oauth/authorize') {
      const loc = new URL(req.query.get('redirect_uri') ?? 'http://localhost/cb');
      loc.searchParams.set('code', this.issueCode());
      loc.searchParams.set('state', req.query.get('state') ?? '');
      return { status: 302, headers: { location: loc.toString() } };
    }
    if (req.method === 'POST' && req.path === '/auth/oauth/token') {
      const f = req.form;
      if (f.get('client_id') !== this.clientId || f.get('client_secret') !== this.clientSecret)
        return { status: 401, json: { error: 'invalid_client', error_description: 'Client authentication failed' } };
      if (f.get('grant_type') === 'authorization_code') {
        if (!this.codes.delete(f.get('code') ?? ''))
          return { status: 400, json: { error: 'invalid_grant', error_description: 'The authorization code is invalid' } };
        return this.issue();
      }
      if (f.get('grant_type') === 'refresh_token') {
        if (!this.refreshTokens.delete(f.get('refresh_token') ?? ''))
          return { status: 400, json: { error: 'invalid_grant', error_description: 'The refresh token is invalid' } };
        return this.issue();
      }
      return { status: 400, json: { error: 'unsupported_grant_type' } };
    }
    const t = bearer(req);
    const a = t ? this.access.get(t) : undefined;
    if (!a || a.expiresAt <= this.now())
      return {
        status: 401,
        json: { httpCode: '401', httpMessage: 'Unauthorized', message: 'Invalid access token.', errorClass: 'Exception' },
      };
    const base = `/API/V3/Account/${this.accountId}`;
    if (req.method === 'GET' && req.path === '/API/V3/Account.json')
      return { status: 200, json: { '@attributes': { count: '1' }, Account: { accountID: this.accountId, name: 'Ade Stores' } } };
    if (!req.path.startsWith(`${base}/`))
      return { status: 403, json: { httpCode: '403', httpMessage: 'Forbidden', message: 'You do not have access to this account.' } };
    if (!/employee:(register_read|register|all)/.test(a.scope))
      return { status: 403, json: { httpCode: '403', httpMessage: 'Forbidden', message: 'Insufficient scope for Sale' } };
    if (req.method === 'GET' && req.path === `${base}/Shop.json`)
      return {
        status: 200,
        json: { '@attributes': { count: String(this.shops.length) }, Shop: this.shops.length === 1 ? this.shops[0] : this.shops },
      };
    if (req.method === 'GET' && req.path === `${base}/Sale.json`) {
      const r = this.saleList(req, base);
      this.bucketLevel = Math.min(60, this.bucketLevel + 1);
      return { ...r, headers: { ...r.headers, 'x-ls-api-bucket-level': `${this.bucketLevel}/60`, 'x-ls-api-drip-rate': '1' } };
    }
    const line = new RegExp(`^${base}/SaleLine/(\\d+)\\.json$`).exec(req.path);
    if (req.method === 'GET' && line) {
      for (const s of this.sales.values()) {
        const ls = (s.SaleLines as { SaleLine?: unknown } | undefined)?.SaleLine;
        for (const l of (Array.isArray(ls) ? ls : ls ? [ls] : []) as Record<string, unknown>[])
          if (l.saleLineID === line[1]) return { status: 200, json: { SaleLine: l } };
      }
      return { status: 404, json: { httpCode: '404', message: 'SaleLine not found' } };
    }
    const one = new RegExp(`^${base}/Sale/(\\d+)\\.json$`).exec(req.path);
    if (req.method === 'GET' && one) {
      const s = this.sales.get(one[1]!);
      return s ? { status: 200, json: { Sale: s } } : { status: 404, json: { httpCode: '404', message: 'Sale not found' } };
    }
    return { status: 404, json: { httpCode: '404', message: `no route ${req.path}` } };
  }

  private saleList(req: FakeRequest, base: string): FakeResponse {
    const limit = Number(req.query.get('limit') ?? 100);
    if (!(limit >= 1 && limit <= 100)) return { status: 400, json: { httpCode: '400', message: 'limit must be 1..100' } };
    const ts = req.query.get('timeStamp');
    let min = -Infinity;
    if (ts) {
      const m = /^(>=|>),(.+)$/.exec(ts);
      if (!m) return { status: 400, json: { httpCode: '400', message: `bad timeStamp filter ${ts}` } };
      min = Date.parse(m[2]!) + (m[1] === '>' ? 1 : 0);
    }
    // Cursor: "after" = position key (timeStamp|saleID) of the last row sent.
    const after = req.query.get('after');
    const all = [...this.sales.values()]
      .filter((s) => Date.parse(s.timeStamp) >= min)
      .filter((s) => !req.query.get('shopID') || s.shopID === req.query.get('shopID'))
      .sort((a, b) => (a.timeStamp < b.timeStamp ? -1 : a.timeStamp > b.timeStamp ? 1 : Number(a.saleID) - Number(b.saleID)));
    const start = after ? all.findIndex((s) => `${s.timeStamp}|${s.saleID}` === after) + 1 : 0;
    const page = all.slice(start, start + limit);
    const more = start + limit < all.length;
    const next = new URLSearchParams(req.query);
    if (page.length) next.set('after', `${page.at(-1)!.timeStamp}|${page.at(-1)!.saleID}`);
    return {
      status: 200,
      json: {
        '@attributes': { next: more ? `${this.url}${base}/Sale.json?${next.toString()}` : '', previous: '' },
        ...(page.length === 1 ? { Sale: page[0] } : page.length ? { Sale: page } : {}),
      },
    };
  }
}

/** A completed R-Series sale with its relations (decimal strings): one line with 7.5 % VAT added, paid cash. */
export function lightspeedRSale(
  id: string,
  net = '1000',
  extra: Record<string, unknown> = {},
): Record<string, unknown> & { saleID: string } {
  const tax = (Math.round(Number(net) * 7.5) / 100).toFixed(2);
  const total = (Number(net) + Number(tax)).toFixed(2);
  return {
    saleID: id,
    completed: 'true',
    voided: 'false',
    archived: 'false',
    isTaxInclusive: 'false',
    shopID: '1',
    createTime: '2026-11-24T08:00:00+00:00',
    completeTime: '2026-11-24T08:05:00+00:00',
    calcSubtotal: net,
    calcTax1: tax,
    calcTax2: '0',
    calcTotal: total,
    calcDiscount: '0',
    total,
    // The Sale's TaxCategory relation (load_relations "TaxCategory"): its tax names key the tax mapping.
    taxCategoryID: '1',
    TaxCategory: { taxCategoryID: '1', isTaxInclusive: 'false', tax1Name: 'VAT', tax2Name: '', tax1Rate: '0.075', tax2Rate: '0' },
    SaleLines: {
      SaleLine: {
        saleLineID: `${id}1`,
        unitQuantity: '1',
        unitPrice: net,
        calcLineDiscount: '0',
        calcTransactionDiscount: '0',
        tax: 'true',
        tax1Rate: '0.075',
        tax2Rate: '0',
        calcSubtotal: net,
        calcTax1: tax,
        calcTotal: total,
        itemID: '210',
        parentSaleLineID: '0',
        saleID: id,
        Item: { itemID: '210', description: 'Ankara shirt' },
      },
    },
    SalePayments: {
      SalePayment: {
        salePaymentID: `${id}9`,
        amount: total,
        archived: 'false',
        PaymentType: { paymentTypeID: '1', name: 'Cash', code: 'Cash' },
      },
    },
    ...extra,
  };
}
