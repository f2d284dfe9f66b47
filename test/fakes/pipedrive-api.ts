// A loopback fake of the Pipedrive APIs the CRM connector uses, following Pipedrive's documented
// contract: personal API tokens (x-api-token header) and OAuth (POST /oauth/token with HTTP Basic
// client auth; answers shaped like the published one, api_domain included, expires_in sometimes a
// string; refresh tokens rotate), 401 {success:false, errorCode:401}, 429 with x-ratelimit-* headers,
// v2 deals filtered by status and updated_since with cursor paging (additional_data.next_cursor,
// null on the last page), deal products / discounts / organizations in the v2 shapes, v1 users/me
// and organizationFields, PATCH of deal custom fields, and webhooks v2 deliveries protected by Basic auth.
import { FakeVendorServer, bearer, token, type FakeRequest, type FakeResponse } from '../capture/connectors/fake-http';

type Deal = Record<string, unknown> & { id: number; status: string; update_time: string };
const pdErr = (status: number, error: string): FakeResponse => ({
  status,
  json: { success: false, error, errorCode: status, error_info: 'Please check developers.pipedrive.com' },
});

export class FakePipedrive extends FakeVendorServer {
  readonly clientId = 'b4a7c5d0fake';
  readonly clientSecret = 'pipedrive-fake-client-secret';
  apiToken = token('pd-api');
  accessTtlS = 3599;
  /** The official client's test answers expires_in as a string: do that too. */
  expiresInAsString = false;
  readonly access = new Map<string, number>();
  readonly refreshTokens = new Set<string>();
  private readonly codes = new Set<string>();
  readonly deals = new Map<number, Deal>();
  readonly products = new Map<number, Record<string, unknown>[]>();
  readonly discounts = new Map<number, Record<string, unknown>[]>();
  readonly organizations = new Map<number, Record<string, unknown>>();
  organizationFields: { key: string; name: string }[] = [
    { key: 'name', name: 'Name' },
    { key: 'address', name: 'Address' },
  ];
  readonly patches: { id: number; body: Record<string, unknown> }[] = [];

  protected override isAuthPath(path: string): boolean {
    return path === '/oauth/token';
  }

  authorizationCode(): string {
    const c = token('pd-code');
    this.codes.add(c);
    return c;
  }

  putDeal(
    deal: Record<string, unknown> & { id: number; status: string },
    o: { products?: Record<string, unknown>[]; discounts?: Record<string, unknown>[]; at?: number } = {},
  ): Deal {
    const d = { ...deal, update_time: new Date(o.at ?? this.now()).toISOString().replace('.000Z', 'Z') } as Deal;
    this.deals.set(d.id, d);
    if (o.products)
      this.products.set(
        d.id,
        o.products.map((p) => ({ ...p, deal_id: d.id })),
      );
    if (o.discounts)
      this.discounts.set(
        d.id,
        o.discounts.map((x) => ({ ...x, deal_id: d.id })),
      );
    return d;
  }

  private tokenAnswer(): FakeResponse {
    const access = `v1u:${token('AQIBAHj')}`;
    this.access.set(access, this.now() + this.accessTtlS * 1000);
    const refresh = `1:1:${token('rt')}`;
    this.refreshTokens.add(refresh);
    return {
      status: 200,
      json: {
        access_token: access,
        token_type: 'Bearer',
        expires_in: this.expiresInAsString ? String(this.accessTtlS) : this.accessTtlS,
        refresh_token: refresh,
        scope: 'base,deals:full',
        api_domain: this.url,
      },
    };
  }

  protected route(req: FakeRequest): FakeResponse {
    if (req.path === '/oauth/token' && req.method === 'POST') {
      const auth = req.headers.authorization ?? '';
      if (auth !== `Basic ${Buffer.from(`${this.clientId}:${this.clientSecret}`).toString('base64')}`)
        return { status: 401, json: { success: false, message: 'Invalid client credentials', error: 'invalid_client' } };
      const f = req.form;
      if (f.get('grant_type') === 'authorization_code') {
        if (!this.codes.delete(f.get('code') ?? ''))
          return { status: 400, json: { success: false, error: 'invalid_grant', message: 'Invalid authorization code' } };
        return this.tokenAnswer();
      }
      if (f.get('grant_type') === 'refresh_token') {
        // Refresh tokens rotate: the one used is spent.
        if (!this.refreshTokens.delete(f.get('refresh_token') ?? ''))
          return { status: 400, json: { success: false, error: 'invalid_grant', message: 'Invalid refresh token' } };
        return this.tokenAnswer();
      }
      return { status: 400, json: { success: false, error: 'unsupported_grant_type' } };
    }
    const header = req.headers['x-api-token'];
    const b = bearer(req);
    const okAuth = (typeof header === 'string' && header === this.apiToken) || (b !== undefined && (this.access.get(b) ?? 0) > this.now());
    if (!okAuth) return pdErr(401, 'unauthorized access');
    return this.api(req);
  }

  private list(items: Record<string, unknown>[], req: FakeRequest): FakeResponse {
    const limit = Math.min(Number(req.query.get('limit') ?? 100), 500);
    const offset = req.query.get('cursor') ? Number(JSON.parse(Buffer.from(req.query.get('cursor')!, 'base64url').toString()).offset) : 0;
    const page = items.slice(offset, offset + limit);
    const next = offset + limit < items.length ? Buffer.from(JSON.stringify({ offset: offset + limit })).toString('base64url') : null;
    return { status: 200, json: { success: true, data: page, additional_data: { next_cursor: next } } };
  }

  private api(req: FakeRequest): FakeResponse {
    let m: RegExpExecArray | null;
    if (req.path === '/api/v1/users/me')
      return {
        status: 200,
        json: { success: true, data: { id: 8877, name: 'Ada Obi', company_name: 'Ade Stores', company_domain: 'adestores' } },
      };
    if (req.path === '/api/v1/organizationFields')
      return {
        status: 200,
        json: {
          success: true,
          data: this.organizationFields,
          additional_data: { pagination: { start: 0, limit: 100, more_items_in_collection: false } },
        },
      };
    if (req.path === '/api/v2/deals' && req.method === 'GET') {
      const status = req.query.get('status');
      const since = req.query.get('updated_since');
      let list = [...this.deals.values()].filter((d) => (status ? d.status === status : d.status !== 'deleted'));
      if (since) list = list.filter((d) => Date.parse(d.update_time) >= Date.parse(since));
      if (req.query.get('sort_by') === 'update_time')
        list.sort((a, c) => Date.parse(a.update_time) - Date.parse(c.update_time) || a.id - c.id);
      return this.list(list, req);
    }
    if ((m = /^\/api\/v2\/deals\/(\d+)(\/products|\/discounts)?$/.exec(req.path))) {
      const id = Number(m[1]);
      const d = this.deals.get(id);
      if (!d) return pdErr(404, 'Deal not found');
      if (m[2] === '/products') return this.list(this.products.get(id) ?? [], req);
      if (m[2] === '/discounts') return { status: 200, json: { success: true, data: this.discounts.get(id) ?? [] } };
      if (req.method === 'PATCH') {
        const body = (req.json ?? {}) as Record<string, unknown>;
        this.patches.push({ id, body });
        const custom = {
          ...(d.custom_fields as Record<string, unknown> | undefined),
          ...(body.custom_fields as Record<string, unknown> | undefined),
        };
        return { status: 200, json: { success: true, data: this.putDeal({ ...d, custom_fields: custom }) } };
      }
      return { status: 200, json: { success: true, data: d } };
    }
    if ((m = /^\/api\/v2\/organizations\/(\d+)$/.exec(req.path))) {
      const o = this.organizations.get(Number(m[1]));
      return o ? { status: 200, json: { success: true, data: o } } : pdErr(404, 'Organization not found');
    }
    return pdErr(404, `no route ${req.method} ${req.path}`);
  }

  /** A webhooks v2 delivery ("change.deal"), with the Basic credentials the webhook was registered with. */
  async deliver(
    target: string,
    deal: Deal,
    o: { user: string; password: string; action?: string; id?: string },
  ): Promise<{ status: number; body: string }> {
    const body = JSON.stringify({
      meta: {
        action: o.action ?? 'change',
        entity: 'deal',
        entity_id: String(deal.id),
        id: o.id ?? token('evt'),
        timestamp: new Date(this.now()).toISOString(),
        version: '2.0',
        company_id: '77',
        user_id: '8877',
        is_bulk: false,
      },
      data: deal,
      previous: { status: 'open' },
    });
    const res = await fetch(target, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${o.user}:${o.password}`).toString('base64')}` },
    });
    return { status: res.status, body: await res.text() };
  }
}
