// A loopback fake of the HubSpot APIs the CRM connector uses, following HubSpot's documented
// contract: private-app and OAuth bearer tokens (POST /oauth/v1/token, form-encoded; access tokens
// expire after expires_in, 401 EXPIRED_AUTHENTICATION), scopes (403 MISSING_SCOPES naming
// requiredGranularScopes), a 100-requests-per-10-s window (429 TEN_SECONDLY_ROLLING with the
// X-HubSpot-RateLimit-* headers), every property returned as a string, deal search on
// hs_lastmodifieddate with `after` paging, deals with associations, line-item batch read, companies,
// tax rates (percentageRate in percent), deal pipelines, PATCH of deal properties, and webhook
// batches signed with X-HubSpot-Signature-v3. Retired API keys (?hapikey=) are refused.
import { createHmac } from 'node:crypto';
import { FakeVendorServer, bearer, token, type FakeRequest, type FakeResponse } from '../capture/connectors/fake-http';

export const HUBSPOT_ALL_SCOPES = [
  'crm.objects.deals.read',
  'crm.objects.deals.write',
  'crm.objects.line_items.read',
  'crm.objects.companies.read',
  'tax_rates.read',
];

type HsObject = { id: string; properties: Record<string, string>; createdAt: string; updatedAt: string; archived: boolean };
const hsErr = (status: number, category: string, message: string, extra: Record<string, unknown> = {}): FakeResponse => ({
  status,
  json: { status: 'error', message, correlationId: 'aeb5f871-7f07-4993-9211-075dc63e7cbf', category, ...extra },
});

export class FakeHubspot extends FakeVendorServer {
  readonly clientId = 'fake-hubspot-client-id';
  readonly clientSecret = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy'; // the SDK signature tests' secret
  accessTtlS = 1800;
  /** Requests per 10-second window (HubSpot: 100 per app and account). */
  windowLimit = 100;
  readonly access = new Map<string, { expiresAt: number; scopes: string[] }>();
  readonly refreshTokens = new Map<string, string[]>();
  private readonly codes = new Map<string, string[]>();
  private window: number[] = [];
  readonly deals = new Map<string, HsObject>();
  readonly lineItems = new Map<string, HsObject>();
  readonly companies = new Map<string, HsObject>();
  readonly taxRates = new Map<string, Record<string, unknown>>();
  readonly assoc = new Map<string, { lineItems: string[]; companies: string[] }>();
  pipelines: unknown = { results: [] };
  /** Deal PATCH bodies received (write-back). */
  readonly patches: { id: string; properties: Record<string, unknown> }[] = [];

  protected override isAuthPath(path: string): boolean {
    return path === '/oauth/v1/token';
  }

  privateAppToken(scopes = HUBSPOT_ALL_SCOPES): string {
    const t = token('pat-na1');
    this.access.set(t, { expiresAt: Number.MAX_SAFE_INTEGER, scopes });
    return t;
  }

  authorizationCode(scopes = HUBSPOT_ALL_SCOPES): string {
    const c = token('code');
    this.codes.set(c, scopes);
    return c;
  }

  private issue(scopes: string[], refresh?: string): FakeResponse {
    const access = token('CJSP');
    this.access.set(access, { expiresAt: this.now() + this.accessTtlS * 1000, scopes });
    const r = refresh ?? token('refresh');
    this.refreshTokens.set(r, scopes);
    return { status: 200, json: { token_type: 'bearer', refresh_token: r, access_token: access, expires_in: this.accessTtlS } };
  }

  private obj(id: string, properties: Record<string, unknown>, at: number): HsObject {
    const props = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, String(v)])); // HubSpot: every property a string
    return {
      id,
      properties: { ...props, hs_lastmodifieddate: new Date(at).toISOString(), hs_object_id: id },
      createdAt: new Date(at).toISOString(),
      updatedAt: new Date(at).toISOString(),
      archived: false,
    };
  }

  /** Stores a deal with its line items and company (as their own objects, associated). */
  putDeal(
    id: string,
    properties: Record<string, unknown>,
    o: {
      lineItems?: { id: string; properties: Record<string, unknown> }[];
      company?: { id: string; properties: Record<string, unknown> } | null;
      at?: number;
    } = {},
  ): HsObject {
    const at = o.at ?? this.now();
    const deal = this.obj(id, properties, at);
    this.deals.set(id, deal);
    const prev = this.assoc.get(id);
    const lineIds = o.lineItems
      ? o.lineItems.map((li) => {
          this.lineItems.set(li.id, this.obj(li.id, li.properties, at));
          return li.id;
        })
      : (prev?.lineItems ?? []);
    let companies = prev?.companies ?? [];
    if (o.company === null) companies = [];
    else if (o.company) {
      this.companies.set(o.company.id, this.obj(o.company.id, o.company.properties, at));
      companies = [o.company.id];
    }
    this.assoc.set(id, { lineItems: lineIds, companies });
    return deal;
  }

  updateCompany(id: string, properties: Record<string, unknown>): void {
    const c = this.companies.get(id)!;
    this.companies.set(id, this.obj(id, { ...c.properties, ...properties }, this.now()));
  }

  private select(o: HsObject, props: string[] | undefined): HsObject {
    if (!props?.length) return o;
    return {
      ...o,
      properties: Object.fromEntries(
        Object.entries(o.properties).filter(
          ([k]) => props.includes(k) || k === 'hs_object_id' || k === 'hs_lastmodifieddate' || k === 'createdate',
        ),
      ),
    };
  }

  private authorize(req: FakeRequest, scope: string): FakeResponse | undefined {
    if (req.query.has('hapikey'))
      return hsErr(
        401,
        'INVALID_AUTHENTICATION',
        'API keys (hapikey) were sunset on November 30, 2022; use a private app access token or OAuth',
      );
    const t = bearer(req);
    const a = t ? this.access.get(t) : undefined;
    if (!a)
      return hsErr(
        401,
        'INVALID_AUTHENTICATION',
        'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
      );
    if (a.expiresAt <= this.now())
      return hsErr(
        401,
        'EXPIRED_AUTHENTICATION',
        `The OAuth token used to make this call expired ${Math.round((this.now() - a.expiresAt) / 1000)} second(s) ago.`,
      );
    if (!a.scopes.includes(scope)) {
      return hsErr(
        403,
        'MISSING_SCOPES',
        "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
        {
          errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: [scope] } }],
        },
      );
    }
    return undefined;
  }

  private limited(): FakeResponse | undefined {
    const now = this.now();
    this.window = this.window.filter((t) => t > now - 10_000);
    if (this.window.length >= this.windowLimit) {
      return {
        status: 429,
        headers: {
          'x-hubspot-ratelimit-max': String(this.windowLimit),
          'x-hubspot-ratelimit-remaining': '0',
          'x-hubspot-ratelimit-interval-milliseconds': '10000',
        },
        json: {
          status: 'error',
          message: 'You have reached your ten_secondly_rolling limit.',
          errorType: 'RATE_LIMIT',
          correlationId: 'c033cdaa-2c40-4a64-ae48-b4cec88dad24',
          policyName: 'TEN_SECONDLY_ROLLING',
        },
      };
    }
    this.window.push(now);
    return undefined;
  }

  protected route(req: FakeRequest): FakeResponse {
    if (req.path === '/oauth/v1/token' && req.method === 'POST') {
      const f = req.form;
      if (f.get('client_id') !== this.clientId || f.get('client_secret') !== this.clientSecret)
        return { status: 400, json: { status: 'BAD_CLIENT_ID', message: 'missing or unknown client id' } };
      if (f.get('grant_type') === 'authorization_code') {
        const scopes = this.codes.get(f.get('code') ?? '');
        if (!scopes) return { status: 400, json: { status: 'BAD_AUTH_CODE', message: 'missing or unknown auth code' } };
        this.codes.delete(f.get('code')!);
        return this.issue(scopes);
      }
      if (f.get('grant_type') === 'refresh_token') {
        const scopes = this.refreshTokens.get(f.get('refresh_token') ?? '');
        if (!scopes) return { status: 400, json: { status: 'BAD_REFRESH_TOKEN', message: 'missing or unknown refresh token' } };
        return this.issue(scopes, f.get('refresh_token')!);
      }
      return { status: 400, json: { status: 'BAD_GRANT_TYPE', message: 'unknown grant_type' } };
    }
    const scope = req.path.startsWith('/tax-rates/')
      ? 'tax_rates.read'
      : req.path.includes('/line_items')
        ? 'crm.objects.line_items.read'
        : req.path.includes('/companies')
          ? 'crm.objects.companies.read'
          : req.method === 'PATCH'
            ? 'crm.objects.deals.write'
            : 'crm.objects.deals.read';
    const denied = this.authorize(req, scope) ?? this.limited();
    if (denied) return denied;
    const headers = {
      'x-hubspot-ratelimit-max': String(this.windowLimit),
      'x-hubspot-ratelimit-remaining': String(this.windowLimit - this.window.length),
      'x-hubspot-ratelimit-interval-milliseconds': '10000',
    };
    const ok = (json: unknown): FakeResponse => ({ status: 200, headers, json });
    const notFound = (what: string, id: string) => hsErr(404, 'OBJECT_NOT_FOUND', `resource not found: ${what} ${id}`);
    let m: RegExpExecArray | null;

    if (req.path === '/crm/v3/pipelines/deals' && req.method === 'GET') return ok(this.pipelines);
    if (req.path === '/crm/v3/objects/deals/search' && req.method === 'POST') {
      const b = (req.json ?? {}) as {
        filterGroups?: { filters?: { propertyName: string; operator: string; value: string }[] }[];
        limit?: number;
        after?: string;
        properties?: string[];
        sorts?: { propertyName: string; direction: string }[];
      };
      const filters = b.filterGroups?.[0]?.filters ?? [];
      let list = [...this.deals.values()].filter((d) => !d.archived);
      for (const f of filters) {
        if (f.propertyName !== 'hs_lastmodifieddate' || f.operator !== 'GTE')
          return hsErr(400, 'VALIDATION_ERROR', `unsupported filter ${f.propertyName} ${f.operator} in this fake`);
        list = list.filter((d) => Date.parse(d.properties.hs_lastmodifieddate!) >= Number(f.value));
      }
      list.sort(
        (a, c) =>
          Date.parse(a.properties.hs_lastmodifieddate!) - Date.parse(c.properties.hs_lastmodifieddate!) || Number(a.id) - Number(c.id),
      );
      const limit = Math.min(b.limit ?? 10, 200);
      const start = b.after ? Number(b.after) : 0;
      const page = list.slice(start, start + limit);
      const next = start + limit < list.length ? String(start + limit) : undefined;
      return ok({
        total: list.length,
        results: page.map((d) => this.select(d, b.properties)),
        ...(next ? { paging: { next: { after: next, link: `?after=${next}` } } } : {}),
      });
    }
    if ((m = /^\/crm\/v3\/objects\/deals\/([^/]+)$/.exec(req.path))) {
      const d = this.deals.get(decodeURIComponent(m[1]!));
      if (!d) return notFound('deal', m[1]!);
      if (req.method === 'PATCH') {
        const props = ((req.json ?? {}) as { properties?: Record<string, unknown> }).properties ?? {};
        this.patches.push({ id: d.id, properties: props });
        const updated = this.obj(d.id, { ...d.properties, ...props }, this.now());
        this.deals.set(d.id, updated);
        return ok(updated);
      }
      const props = req.query.get('properties')?.split(',');
      const wanted = req.query.get('associations')?.split(',') ?? [];
      const a = this.assoc.get(d.id) ?? { lineItems: [], companies: [] };
      const associations: Record<string, unknown> = {};
      if (wanted.includes('line_items') && a.lineItems.length)
        associations['line items'] = { results: a.lineItems.map((id) => ({ id, type: 'deal_to_line_item' })) };
      if (wanted.includes('companies') && a.companies.length)
        associations.companies = { results: a.companies.map((id) => ({ id, type: 'deal_to_company' })) };
      return ok({ ...this.select(d, props), ...(Object.keys(associations).length ? { associations } : {}) });
    }
    if (req.path === '/crm/v3/objects/line_items/batch/read' && req.method === 'POST') {
      const b = (req.json ?? {}) as { inputs?: { id: string }[]; properties?: string[] };
      const results = (b.inputs ?? [])
        .map((i) => this.lineItems.get(i.id))
        .filter((x): x is HsObject => Boolean(x))
        .map((li) => this.select(li, b.properties));
      return ok({
        status: 'COMPLETE',
        results,
        startedAt: new Date(this.now()).toISOString(),
        completedAt: new Date(this.now()).toISOString(),
      });
    }
    if ((m = /^\/crm\/v3\/objects\/companies\/([^/]+)$/.exec(req.path))) {
      const c = this.companies.get(decodeURIComponent(m[1]!));
      return c ? ok(this.select(c, req.query.get('properties')?.split(','))) : notFound('company', m[1]!);
    }
    if ((m = /^\/tax-rates\/v1\/tax-rates\/([^/]+)$/.exec(req.path))) {
      const t = this.taxRates.get(decodeURIComponent(m[1]!));
      return t ? ok(t) : notFound('tax rate', m[1]!);
    }
    return hsErr(404, 'OBJECT_NOT_FOUND', `no route ${req.method} ${req.path}`);
  }

  /**
   * Delivers a webhook batch as HubSpot does: a JSON array of events, X-HubSpot-Signature-v3 =
   * base64 HMAC-SHA256(client secret, "POST" + URI + body + timestamp), timestamp in ms.
   */
  async deliver(
    target: string,
    events: unknown[],
    o: { uri: string; secret?: string; timestamp?: number; tamper?: boolean },
  ): Promise<{ status: number; body: string }> {
    const body = JSON.stringify(events);
    const ts = String(o.timestamp ?? Date.now());
    const sig = createHmac('sha256', o.secret ?? this.clientSecret)
      .update(`POST${o.uri}${body}${ts}`)
      .digest('base64');
    const res = await fetch(target, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-hubspot-signature-v3': o.tamper ? sig.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) : sig,
        'x-hubspot-request-timestamp': ts,
        'x-hubspot-signature-version': 'v3',
      },
    });
    return { status: res.status, body: await res.text() };
  }
}
