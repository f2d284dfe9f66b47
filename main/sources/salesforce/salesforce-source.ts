// Salesforce: OAuth web-server flow (code → tokens, refresh with the refresh token) or the JWT
// bearer flow (an RS256 assertion signed with node:crypto by the connected app's key, no refresh
// token). Every token answer carries `instance_url`, stored at once: all REST calls go there.
// Token answers have no `expires_in`: the org's session timeout (configured) from `issued_at`
// decides when to renew; an expired session (401 INVALID_SESSION_ID) is renewed once and retried.
// Polling: SOQL on Opportunity ordered by SystemModstamp ascending from the watermark, every value
// escaped, following nextRecordsUrl (relative to instance_url) — also inside a deal's line items.
import type { DealWriteback } from '../../../shared/capture/crm/clearance';
import { createSign } from 'node:crypto';
import { z } from 'zod';
import { ConnectorError } from '../../capture/errors';
import type { ConnectorDeps } from '../../capture/connector';
import type { HttpClient, HttpResponse } from '../../capture/http';
import { tokenResponse } from '../../capture/oauth';
import { TokenKeeper, type Renew, type TokenSet } from '../../capture/tokens';
import type { SecretStore } from '../../app/secret-store';
import type { CrmDeal } from '../../ledger/crm-deals';
import {
  mapSalesforce,
  SALESFORCE_BUYER_DEFAULTS,
  SALESFORCE_LINE_FIELDS,
  SALESFORCE_SOQL_FIELDS,
} from '../../../shared/sources/salesforce/map-salesforce';
import { soqlDateTime, soqlField, soqlString } from '../../../shared/sources/salesforce/soql';
import type { DealOutcome } from '../../../shared/capture/crm/outcome';
import { CrmApi } from '../../capture/crm/crm-api';
import { crmSecret, type SalesforceConnection } from '../../capture/crm/config';
import { CrmConfigProblem, runCrmTest, type CrmTestResult, type DealPage, type DealSource } from '../../capture/crm/deal-poller';

const b64url = (s: string | Buffer): string => Buffer.from(s).toString('base64url');

/** The JWT bearer assertion: RS256 over {iss: client id, sub: username, aud: login URL, exp: +3 min}. */
export function salesforceJwt(o: { clientId: string; username: string; audience: string; privateKeyPem: string; nowMs: number }): string {
  const header = b64url(JSON.stringify({ alg: 'RS256' }));
  const claims = b64url(JSON.stringify({ iss: o.clientId, sub: o.username, aud: o.audience, exp: Math.floor(o.nowMs / 1000) + 180 }));
  const signer = createSign('RSA-SHA256');
  signer.update(`${header}.${claims}`);
  let sig: string;
  try {
    sig = signer.sign(o.privateKeyPem, 'base64url');
  } catch (e) {
    throw new ConnectorError('not_configured', `salesforce: the JWT signing key is not a usable RSA private key (${(e as Error).message})`);
  }
  return `${header}.${claims}.${sig}`;
}

/** A token answer → TokenSet (expiry from issued_at + session timeout) and the instance_url, stored at once. */
export function salesforceTokens(
  res: HttpResponse,
  o: { secrets: SecretStore; now: number; sessionMinutes: number; previousRefresh?: string },
): TokenSet {
  const t = tokenResponse('salesforce', res, o.now, o.previousRefresh);
  const b = res.body as { instance_url?: unknown; issued_at?: unknown };
  if (typeof b.instance_url !== 'string' || !/^https?:\/\//.test(b.instance_url))
    throw new ConnectorError('bad_response', 'salesforce: the token answer has no instance_url');
  o.secrets.set(crmSecret('salesforce', 'instance_url'), b.instance_url.replace(/\/+$/, ''));
  const issued = typeof b.issued_at === 'string' && /^\d+$/.test(b.issued_at) ? Number(b.issued_at) : o.now;
  return { ...t, expiresAt: t.expiresAt ?? issued + o.sessionMinutes * 60_000 };
}

export function salesforceAuthorizeUrl(o: { loginUrl: string; clientId: string; redirectUri: string; state: string }): string {
  const u = new URL(`${o.loginUrl}/services/oauth2/authorize`);
  u.searchParams.set('response_type', 'code');
  u.searchParams.set('client_id', o.clientId);
  u.searchParams.set('redirect_uri', o.redirectUri);
  u.searchParams.set('scope', 'api refresh_token');
  u.searchParams.set('state', o.state);
  return u.toString();
}

export async function salesforceExchangeCode(
  http: HttpClient,
  secrets: SecretStore,
  o: { config: SalesforceConnection; clientSecret: string; code: string; redirectUri: string; now: number },
): Promise<TokenSet> {
  const res = await http.request({
    method: 'POST',
    url: `${o.config.loginUrl}/services/oauth2/token`,
    form: {
      grant_type: 'authorization_code',
      code: o.code,
      client_id: o.config.clientId,
      client_secret: o.clientSecret,
      redirect_uri: o.redirectUri,
    },
  });
  return salesforceTokens(res, { secrets, now: o.now, sessionMinutes: o.config.sessionMinutes });
}

export function salesforceRenew(http: HttpClient, secrets: SecretStore, config: SalesforceConnection, now: () => number): Renew {
  return async (current) => {
    let form: Record<string, string>;
    if (config.auth === 'jwt') {
      const key = secrets.get(crmSecret('salesforce', 'jwt_private_key'));
      if (!key || !config.username)
        throw new ConnectorError(
          'not_configured',
          "salesforce: the JWT bearer flow needs --username and the connected app's private key (--private-key @file)",
        );
      form = {
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: salesforceJwt({
          clientId: config.clientId,
          username: config.username,
          audience: config.loginUrl,
          privateKeyPem: key,
          nowMs: now(),
        }),
      };
    } else {
      if (!current?.refreshToken)
        throw new ConnectorError(
          'not_configured',
          'salesforce: no refresh token stored (the connected app needs the refresh_token scope): connect again',
        );
      const secret = secrets.get(crmSecret('salesforce', 'client_secret'));
      form = {
        grant_type: 'refresh_token',
        refresh_token: current.refreshToken,
        client_id: config.clientId,
        ...(secret ? { client_secret: secret } : {}),
      };
    }
    const res = await http.request({ method: 'POST', url: `${config.loginUrl}/services/oauth2/token`, form });
    return salesforceTokens(res, {
      secrets,
      now: now(),
      sessionMinutes: config.sessionMinutes,
      ...(current?.refreshToken ? { previousRefresh: current.refreshToken } : {}),
    });
  };
}

type SfError = { errorCode?: string; message?: string };
const sfErrors = (res: HttpResponse): SfError[] => (Array.isArray(res.body) ? (res.body as SfError[]) : []);

/** Salesforce answers a list of {errorCode, message}: over the daily limit is 403 REQUEST_LIMIT_EXCEEDED (wait, not a scope problem). */
function refine(res: HttpResponse, e: ConnectorError): ConnectorError {
  const err = sfErrors(res)[0];
  if (!err?.errorCode) return e;
  const msg = `salesforce: ${err.errorCode}: ${err.message ?? ''} (HTTP ${res.status})`;
  if (err.errorCode === 'REQUEST_LIMIT_EXCEEDED')
    return new ConnectorError('rate_limited', `${msg}; usage ${res.headers['sforce-limit-info'] ?? 'unknown'}`, { status: res.status });
  if (err.errorCode === 'INVALID_SESSION_ID') return new ConnectorError('bad_credentials', msg, { status: res.status });
  if (err.errorCode === 'INVALID_FIELD' || err.errorCode === 'INVALID_TYPE')
    return new ConnectorError('bad_response', msg, { status: res.status });
  return new ConnectorError(e.problem, msg, e.details);
}

const QueryPage = z.looseObject({
  done: z.boolean(),
  nextRecordsUrl: z.string().optional(),
  records: z.array(z.record(z.string(), z.unknown())),
});

export class SalesforceSource implements DealSource {
  readonly source = 'salesforce' as const;
  readonly api: CrmApi;
  readonly tokens: TokenKeeper;
  /** The last Sforce-Limit-Info header (api-usage=used/limit), for the status line. */
  limitInfo: string | undefined;

  constructor(
    readonly config: SalesforceConnection,
    private readonly deps: ConnectorDeps,
  ) {
    this.tokens = new TokenKeeper(
      deps.secrets,
      'salesforce',
      salesforceRenew(deps.http, deps.secrets, config, deps.clock.now),
      deps.clock.now,
      5 * 60_000,
    );
    this.api = new CrmApi({
      source: 'salesforce',
      http: deps.http,
      tokens: this.tokens,
      backoff: deps.backoff,
      clock: deps.clock,
      refine,
      ...(deps.onWait ? { onWait: deps.onWait } : {}),
      onResponse: (res) => {
        if (res.headers['sforce-limit-info']) this.limitInfo = res.headers['sforce-limit-info'];
      },
    });
  }

  private instance(): string {
    const u = this.deps.secrets.get(crmSecret('salesforce', 'instance_url'));
    if (!u) throw new ConnectorError('not_configured', 'salesforce: no instance_url stored: connect again');
    return u;
  }

  private async instanceUrl(): Promise<string> {
    await this.tokens.accessToken(); // a first token (JWT flow) brings the instance_url
    return this.instance();
  }

  /** The SOQL for opportunities; `where` is built only from checked/escaped pieces. */
  soql(where: string): string {
    const fields = { ...SALESFORCE_BUYER_DEFAULTS, ...this.config.map.buyerFields };
    const account = [...new Set(['Name', ...Object.values(fields).filter((v): v is string => typeof v === 'string')])].map(
      (f) => `Account.${soqlField(f)}`,
    );
    const paid = this.config.map.paidField;
    const opp = [
      ...SALESFORCE_SOQL_FIELDS,
      ...(this.config.multiCurrency ? ['CurrencyIsoCode'] : []),
      ...(paid && !(SALESFORCE_SOQL_FIELDS as readonly string[]).includes(paid) ? [soqlField(paid)] : []),
    ];
    // eslint-disable-next-line no-restricted-syntax -- SOQL sent to Salesforce's REST API, not SQLite
    return `SELECT ${[...opp, ...account].join(', ')}, (SELECT ${SALESFORCE_LINE_FIELDS.join(', ')} FROM OpportunityLineItems) FROM Opportunity WHERE ${where} ORDER BY SystemModstamp ASC, Id ASC`;
  }

  private async query(soql: string): Promise<AsyncGenerator<z.output<typeof QueryPage>>> {
    const base = await this.instanceUrl();
    const api = this.api;
    const version = this.config.apiVersion;
    return (async function* () {
      let url = `${base}/services/data/v${version}/query`;
      let q: Record<string, string> | undefined = { q: soql };
      for (;;) {
        const res = await api.call({ method: 'GET', url, ...(q ? { query: q } : {}) });
        const page = QueryPage.safeParse(res.body);
        if (!page.success) throw new ConnectorError('bad_response', 'salesforce: query answered without records[]');
        yield page.data;
        if (page.data.done || !page.data.nextRecordsUrl) return;
        if (!page.data.nextRecordsUrl.startsWith('/services/data/'))
          throw new ConnectorError('bad_response', `salesforce: unexpected nextRecordsUrl ${page.data.nextRecordsUrl}`);
        url = `${base}${page.data.nextRecordsUrl}`; // relative to instance_url
        q = undefined;
      }
    })();
  }

  /** A child subquery that did not fit is its own query result: follow its nextRecordsUrl and merge. */
  private async completeChildren(record: Record<string, unknown>): Promise<Record<string, unknown>> {
    const child = record.OpportunityLineItems as { done?: boolean; nextRecordsUrl?: string; records?: unknown[] } | null | undefined;
    if (!child || child.done !== false || !child.nextRecordsUrl) return record;
    const base = await this.instanceUrl();
    const records = [...(child.records ?? [])];
    let next: string | undefined = child.nextRecordsUrl;
    while (next) {
      const res = await this.api.call({ method: 'GET', url: `${base}${next}` });
      const page = QueryPage.safeParse(res.body);
      if (!page.success) throw new ConnectorError('bad_response', 'salesforce: line-item page answered without records[]');
      records.push(...page.data.records);
      next = page.data.done ? undefined : page.data.nextRecordsUrl;
    }
    return { ...record, OpportunityLineItems: { totalSize: records.length, done: true, records } };
  }

  async *pages(watermark: string | undefined): AsyncIterable<DealPage> {
    const where = watermark ? `SystemModstamp >= ${soqlDateTime(watermark)}` : 'SystemModstamp >= 1970-01-01T00:00:00.000Z';
    let high = watermark;
    for await (const page of await this.query(this.soql(where))) {
      const bundles: unknown[] = [];
      for (const r of page.records) {
        bundles.push(await this.completeChildren(r));
        const m = typeof r.SystemModstamp === 'string' ? Date.parse(r.SystemModstamp.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : NaN;
        if (!Number.isNaN(m) && (!high || m > Date.parse(high))) high = new Date(m).toISOString();
      }
      yield { bundles, ...(high ? { watermark: high } : {}) };
    }
  }

  async fetchDeal(id: string): Promise<unknown | undefined> {
    for await (const page of await this.query(this.soql(`Id = ${soqlString(id)}`))) {
      const r = page.records[0];
      return r ? this.completeChildren(r) : undefined;
    }
    return undefined;
  }

  map(bundles: unknown[]): DealOutcome[] {
    return mapSalesforce(bundles, { ...this.config.map, now: this.deps.clock.now() });
  }

  recordUrl(dealId: string): string | undefined {
    const base = this.deps.secrets.get(crmSecret('salesforce', 'instance_url'));
    return base ? `${base.replace('.my.salesforce.com', '.lightning.force.com')}/lightning/r/Opportunity/${dealId}/view` : undefined;
  }

  async writeBack(deal: CrmDeal, w: DealWriteback): Promise<void> {
    const f = this.config.writebackFields;
    const base = await this.instanceUrl();
    await this.api.call(
      {
        method: 'PATCH',
        url: `${base}/services/data/v${this.config.apiVersion}/sobjects/Opportunity/${encodeURIComponent(deal.dealId)}`,
        json: {
          [soqlField(f.irn)]: w.irn,
          [soqlField(f.status)]: w.clearance,
          ...(f.number ? { [soqlField(f.number)]: w.invoiceNumber } : {}),
        },
      },
      { allowEmpty: true },
    );
  }

  testConnection(): Promise<CrmTestResult> {
    return runCrmTest('salesforce', async () => {
      const base = await this.instanceUrl();
      // The real query with LIMIT 1: a configured buyer field that does not exist is named by Salesforce (INVALID_FIELD).
      try {
        for await (const _ of await this.query(`${this.soql('IsWon = true').replace(/ ORDER BY .*$/, '')} LIMIT 1`)) break;
      } catch (e) {
        if (e instanceof ConnectorError && /INVALID_FIELD/.test(e.message))
          throw new CrmConfigProblem('unknown_field', `${e.message}: fix the field mapping (--tin-field, --buyer-field …)`);
        throw e;
      }
      return {
        summary: `connected to Salesforce at ${base}; won = IsWon; API usage ${this.limitInfo ?? 'unknown'}`,
        details: { instanceUrl: base, apiVersion: this.config.apiVersion, limitInfo: this.limitInfo },
      };
    });
  }
}
