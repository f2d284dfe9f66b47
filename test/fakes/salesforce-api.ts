// A loopback fake of the Salesforce REST API the CRM connector uses, following its documented
// contract: /services/oauth2/token (authorization_code and refresh_token grants, and the JWT bearer
// grant whose RS256 assertion is verified with the connected app's certificate key), token answers
// shaped like the published one (instance_url, issued_at ms string, no expires_in), sessions that
// expire (401 [{errorCode: INVALID_SESSION_ID}]), a daily request limit (403 REQUEST_LIMIT_EXCEEDED,
// Sforce-Limit-Info on every answer), SOQL queries paged with nextRecordsUrl relative to the
// instance (child subqueries paged on their own, null when empty), string literals that must be
// escaped (a broken literal is 400 MALFORMED_QUERY), unknown fields 400 INVALID_FIELD, and PATCH
// of Opportunity fields (204).
import { createVerify } from 'node:crypto';
import { FakeVendorServer, bearer, token, type FakeRequest, type FakeResponse } from '../capture/connectors/fake-http';

type Rec = Record<string, unknown> & { Id: string; SystemModstamp: string };
const sfErr = (status: number, errorCode: string, message: string): FakeResponse => ({ status, json: [{ message, errorCode }] });

export const ACCOUNT_FIELDS = [
  'Name',
  'BillingStreet',
  'BillingCity',
  'BillingState',
  'BillingPostalCode',
  'BillingCountry',
  'TIN__c',
  'Email__c',
  'LGA__c',
];
const OPP_FIELDS = ['Id', 'Name', 'Amount', 'CloseDate', 'IsWon', 'IsClosed', 'StageName', 'SystemModstamp', 'CurrencyIsoCode'];
const LINE_FIELDS = ['Id', 'Name', 'ProductCode', 'Quantity', 'UnitPrice', 'Discount', 'TotalPrice'];

export class FakeSalesforce extends FakeVendorServer {
  /** The org's custom Opportunity fields (`__c`): selectable like the standard ones. */
  readonly customFields = new Set<string>();
  readonly clientId = '3MVG9fake.consumer.key';
  readonly clientSecret = 'fake-consumer-secret';
  /** The connected app's certificate (JWT bearer flow). */
  jwtPublicKeyPem = '';
  jwtUsername = 'integration@ade-stores.ng';
  sessionTtlMs = 2 * 3600_000;
  apiLimit = 15_000;
  apiUsed = 0;
  pageSize = 2000;
  childPageSize = 200;
  multiCurrency = false;
  readonly sessions = new Map<string, number>();
  readonly refreshTokens = new Set<string>();
  private readonly codes = new Set<string>();
  readonly opportunities = new Map<string, Rec>();
  private readonly cursors = new Map<string, { records: Rec[]; fields: string[]; child: string[] | undefined }>();
  private readonly childCursors = new Map<string, unknown[]>();
  readonly patches: { id: string; body: Record<string, unknown> }[] = [];
  readonly queries: string[] = [];

  protected override isAuthPath(path: string): boolean {
    return path === '/services/oauth2/token';
  }

  authorizationCode(): string {
    const c = token('aPrx');
    this.codes.add(c);
    return c;
  }

  private tokenAnswer(withRefresh: string | undefined): FakeResponse {
    const access = `00DB0000000TfcR!${token('AQQAQ')}`;
    this.sessions.set(access, this.now() + this.sessionTtlMs);
    return {
      status: 200,
      json: {
        access_token: access,
        signature: 'd/SxeYBxH0GSVko0HMgcUxuZy0PA2cDDz1u7g7JtDHw=',
        scope: 'api refresh_token',
        instance_url: this.url,
        id: 'https://login.salesforce.com/id/00DB0000000TfcRMAS/005B0000005Bk90IAC',
        token_type: 'Bearer',
        issued_at: String(this.now()),
        ...(withRefresh ? { refresh_token: withRefresh } : {}),
      },
    };
  }

  private verifyJwt(assertion: string): string | undefined {
    const [h, c, s] = assertion.split('.');
    if (!h || !c || !s || !this.jwtPublicKeyPem) return 'invalid assertion';
    const v = createVerify('RSA-SHA256');
    v.update(`${h}.${c}`);
    if (!v.verify(this.jwtPublicKeyPem, Buffer.from(s, 'base64url'))) return 'invalid assertion: signature';
    const claims = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as { iss?: string; sub?: string; aud?: string; exp?: number };
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: string };
    if (header.alg !== 'RS256') return 'invalid assertion: alg';
    if (claims.iss !== this.clientId) return 'invalid client credentials';
    if (claims.sub !== this.jwtUsername) return "user hasn't approved this consumer";
    if (claims.aud !== this.url) return 'audience is invalid';
    if (!claims.exp || claims.exp * 1000 < this.now()) return 'expired authorization code';
    return undefined;
  }

  putOpportunity(rec: Record<string, unknown> & { Id: string }, at = this.now()): Rec {
    const r = { ...rec, SystemModstamp: new Date(at).toISOString().replace('Z', '+0000') } as Rec;
    this.opportunities.set(r.Id, r);
    return r;
  }

  protected route(req: FakeRequest): FakeResponse {
    if (req.path === '/services/oauth2/token' && req.method === 'POST') {
      const f = req.form;
      const g = f.get('grant_type');
      if (g === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
        const problem = this.verifyJwt(f.get('assertion') ?? '');
        return problem ? { status: 400, json: { error: 'invalid_grant', error_description: problem } } : this.tokenAnswer(undefined);
      }
      if (f.get('client_id') !== this.clientId || f.get('client_secret') !== this.clientSecret)
        return { status: 400, json: { error: 'invalid_client_id', error_description: 'client identifier invalid' } };
      if (g === 'authorization_code') {
        if (!this.codes.delete(f.get('code') ?? ''))
          return { status: 400, json: { error: 'invalid_grant', error_description: 'expired authorization code' } };
        const r = token('5Aep861');
        this.refreshTokens.add(r);
        return this.tokenAnswer(r);
      }
      if (g === 'refresh_token') {
        if (!this.refreshTokens.has(f.get('refresh_token') ?? ''))
          return { status: 400, json: { error: 'invalid_grant', error_description: 'expired access/refresh token' } };
        return this.tokenAnswer(undefined); // Salesforce does not rotate the refresh token
      }
      return { status: 400, json: { error: 'unsupported_grant_type', error_description: 'grant type not supported' } };
    }
    const t = bearer(req);
    const exp = t ? this.sessions.get(t) : undefined;
    if (exp === undefined || exp <= this.now()) return sfErr(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    if (this.apiUsed >= this.apiLimit)
      return {
        ...sfErr(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
        headers: { 'sforce-limit-info': `api-usage=${this.apiUsed}/${this.apiLimit}` },
      };
    this.apiUsed++;
    const out = this.api(req);
    return { ...out, headers: { ...out.headers, 'sforce-limit-info': `api-usage=${this.apiUsed}/${this.apiLimit}` } };
  }

  private api(req: FakeRequest): FakeResponse {
    let m: RegExpExecArray | null;
    if ((m = /^\/services\/data\/v\d+\.\d\/query\/(01g[A-Za-z0-9]+)-(\d+)$/.exec(req.path))) {
      const cur = this.cursors.get(m[1]!);
      if (cur) return { status: 200, json: this.page(m[1]!, cur, Number(m[2])) };
      const child = this.childCursors.get(m[1]!);
      if (!child) return sfErr(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
      return { status: 200, json: this.childPage(m[1]!, child, Number(m[2])) };
    }
    if (/^\/services\/data\/v\d+\.\d\/query$/.test(req.path) && req.method === 'GET') return this.query(req.query.get('q') ?? '');
    if ((m = /^\/services\/data\/v\d+\.\d\/sobjects\/Opportunity\/([^/]+)$/.exec(req.path)) && req.method === 'PATCH') {
      const r = this.opportunities.get(decodeURIComponent(m[1]!));
      if (!r) return sfErr(404, 'NOT_FOUND', 'The requested resource does not exist');
      const body = (req.json ?? {}) as Record<string, unknown>;
      this.patches.push({ id: r.Id, body });
      this.putOpportunity({ ...r, ...body });
      return { status: 204, text: '' };
    }
    return sfErr(404, 'NOT_FOUND', 'The requested resource does not exist');
  }

  /** Just the SOQL this connector sends: SELECT … (SELECT … FROM OpportunityLineItems) FROM Opportunity WHERE … ORDER BY … [LIMIT n]. */
  private query(q: string): FakeResponse {
    this.queries.push(q);
    const m =
      /^SELECT (.+?), \(SELECT (.+?) FROM OpportunityLineItems\) FROM Opportunity WHERE (.+?)( ORDER BY SystemModstamp ASC, Id ASC)?( LIMIT (\d+))?$/.exec(
        q,
      );
    if (!m) return sfErr(400, 'MALFORMED_QUERY', `unexpected query: ${q.slice(0, 120)}`);
    const fields = m[1]!.split(', ');
    const child = m[2]!.split(', ');
    for (const f of fields) {
      const known = f.startsWith('Account.')
        ? ACCOUNT_FIELDS.includes(f.slice(8))
        : (OPP_FIELDS.includes(f) && (f !== 'CurrencyIsoCode' || this.multiCurrency)) || this.customFields.has(f);
      if (!known)
        return sfErr(
          400,
          'INVALID_FIELD',
          `No such column '${f.replace(/^Account\./, '')}' on entity '${f.startsWith('Account.') ? 'Account' : 'Opportunity'}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.`,
        );
    }
    for (const f of child)
      if (!LINE_FIELDS.includes(f)) return sfErr(400, 'INVALID_FIELD', `No such column '${f}' on entity 'OpportunityLineItem'.`);
    const where = m[3]!;
    let records = [...this.opportunities.values()];
    let w: RegExpExecArray | null;
    if ((w = /^SystemModstamp >= (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z)$/.exec(where))) {
      const from = Date.parse(w[1]!);
      records = records.filter((r) => Date.parse(r.SystemModstamp.replace('+0000', 'Z')) >= from);
    } else if ((w = /^Id = '((?:\\.|[^'\\])*)'$/.exec(where))) {
      const id = w[1]!.replace(/\\(.)/g, '$1');
      records = records.filter((r) => r.Id === id);
    } else if (where !== 'IsWon = true') {
      return sfErr(400, 'MALFORMED_QUERY', `unexpected token in WHERE: ${where.slice(0, 80)}`);
    }
    records.sort(
      (a, b) =>
        Date.parse(a.SystemModstamp.replace('+0000', 'Z')) - Date.parse(b.SystemModstamp.replace('+0000', 'Z')) || a.Id.localeCompare(b.Id),
    );
    if (m[6]) records = records.slice(0, Number(m[6]));
    const locator = `01gB${token('')
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(0, 12)}`;
    this.cursors.set(locator, { records, fields, child });
    return { status: 200, json: this.page(locator, { records, fields, child }, 0) };
  }

  private shape(r: Rec, fields: string[], child: string[] | undefined): Record<string, unknown> {
    const out: Record<string, unknown> = { attributes: { type: 'Opportunity', url: `/services/data/v60.0/sobjects/Opportunity/${r.Id}` } };
    const account: Record<string, unknown> = { attributes: { type: 'Account' } };
    for (const f of fields) {
      if (f.startsWith('Account.')) account[f.slice(8)] = (r.Account as Record<string, unknown> | undefined)?.[f.slice(8)] ?? null;
      else out[f] = r[f] ?? null;
    }
    if (fields.some((f) => f.startsWith('Account.'))) out.Account = r.Account ? account : null;
    const lines = (r.OpportunityLineItems as unknown[] | undefined) ?? [];
    if (child) {
      if (!lines.length)
        out.OpportunityLineItems = null; // Salesforce: null, not empty
      else {
        const shaped = lines.map((l) => ({
          attributes: { type: 'OpportunityLineItem' },
          ...Object.fromEntries(child.map((f) => [f, (l as Record<string, unknown>)[f] ?? null])),
        }));
        if (shaped.length <= this.childPageSize) out.OpportunityLineItems = { totalSize: shaped.length, done: true, records: shaped };
        else {
          const loc = `01gC${r.Id.replace(/[^A-Za-z0-9]/g, '')}`;
          this.childCursors.set(loc, shaped);
          out.OpportunityLineItems = {
            totalSize: shaped.length,
            done: false,
            nextRecordsUrl: `/services/data/v60.0/query/${loc}-${this.childPageSize}`,
            records: shaped.slice(0, this.childPageSize),
          };
        }
      }
    }
    return out;
  }

  private page(
    locator: string,
    cur: { records: Rec[]; fields: string[]; child: string[] | undefined },
    offset: number,
  ): Record<string, unknown> {
    const slice = cur.records.slice(offset, offset + this.pageSize).map((r) => this.shape(r, cur.fields, cur.child));
    const next = offset + this.pageSize < cur.records.length;
    return {
      totalSize: cur.records.length,
      done: !next,
      ...(next ? { nextRecordsUrl: `/services/data/v60.0/query/${locator}-${offset + this.pageSize}` } : {}),
      records: slice,
    };
  }

  private childPage(locator: string, records: unknown[], offset: number): Record<string, unknown> {
    const next = offset + this.childPageSize < records.length;
    return {
      totalSize: records.length,
      done: !next,
      ...(next ? { nextRecordsUrl: `/services/data/v60.0/query/${locator}-${offset + this.childPageSize}` } : {}),
      records: records.slice(offset, offset + this.childPageSize),
    };
  }
}
