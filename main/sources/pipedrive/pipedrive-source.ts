// Pipedrive: a personal API token (sent as the x-api-token header, never in the URL) or OAuth
// (POST {oauth}/oauth/token with HTTP Basic client auth; access tokens ~1 h; the answer's
// api_domain is where every call goes, stored at once with the rotated refresh token).
// Polling: GET /api/v2/deals?status=won&updated_since=…, cursor-paged (additional_data.next_cursor),
// sorted by update_time; the same for status=lost and status=open so an invoiced deal that is
// reopened or lost is noticed. One watermark per feed ({"won": iso, "lost": iso, "open": iso}).
import type { DealWriteback } from '../../../shared/capture/crm/clearance';
import { z } from 'zod';
import { ConnectorError } from '../../capture/errors';
import type { ConnectorDeps } from '../../capture/connector';
import type { HttpClient } from '../../capture/http';
import { cannotRenew, tokenResponse } from '../../capture/oauth';
import { TokenKeeper, type Renew, type TokenSet } from '../../capture/tokens';
import type { SecretStore } from '../../app/secret-store';
import type { CrmDeal } from '../../ledger/crm-deals';
import { mapPipedrive, PIPEDRIVE_BUYER_DEFAULTS } from '../../../shared/sources/pipedrive/map-pipedrive';
import type { DealOutcome } from '../../../shared/capture/crm/outcome';
import { CrmApi } from '../../capture/crm/crm-api';
import { crmSecret, type PipedriveConnection } from '../../capture/crm/config';
import { CrmConfigProblem, runCrmTest, type CrmTestResult, type DealPage, type DealSource } from '../../capture/crm/deal-poller';

const FEEDS = ['won', 'lost', 'open'] as const;
const Watermarks = z.object({ won: z.string().optional(), lost: z.string().optional(), open: z.string().optional() });

/** A token answer → TokenSet, its api_domain stored at once (every call goes there). */
export function pipedriveTokens(
  res: Parameters<typeof tokenResponse>[1],
  secrets: SecretStore,
  now: number,
  previousRefresh?: string,
): TokenSet {
  const t = tokenResponse('pipedrive', res, now, previousRefresh);
  const domain = (res.body as { api_domain?: unknown }).api_domain;
  if (typeof domain !== 'string' || !/^https?:\/\//.test(domain))
    throw new ConnectorError('bad_response', 'pipedrive: the token answer has no api_domain');
  secrets.set(crmSecret('pipedrive', 'api_domain'), domain.replace(/\/+$/, ''));
  return t;
}

const basic = (id: string, secret: string): string => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

export function pipedriveAuthorizeUrl(o: { oauthUrl: string; clientId: string; redirectUri: string; state: string }): string {
  const u = new URL(`${o.oauthUrl}/oauth/authorize`);
  u.searchParams.set('client_id', o.clientId);
  u.searchParams.set('redirect_uri', o.redirectUri);
  u.searchParams.set('state', o.state);
  return u.toString();
}

export async function pipedriveExchangeCode(
  http: HttpClient,
  secrets: SecretStore,
  o: { config: PipedriveConnection; clientSecret: string; code: string; redirectUri: string; now: number },
): Promise<TokenSet> {
  if (!o.config.clientId) throw new ConnectorError('not_configured', 'pipedrive: --client-id is needed for OAuth');
  const res = await http.request({
    method: 'POST',
    url: `${o.config.oauthUrl}/oauth/token`,
    headers: { authorization: basic(o.config.clientId, o.clientSecret) },
    form: { grant_type: 'authorization_code', code: o.code, redirect_uri: o.redirectUri },
  });
  return pipedriveTokens(res, secrets, o.now);
}

export function pipedriveRenew(http: HttpClient, secrets: SecretStore, config: PipedriveConnection, now: () => number): Renew {
  if (config.auth === 'api_token') return cannotRenew('pipedrive');
  return async (current) => {
    if (!current?.refreshToken) throw new ConnectorError('not_configured', 'pipedrive: no refresh token stored: connect again');
    const secret = secrets.get(crmSecret('pipedrive', 'client_secret'));
    if (!config.clientId || !secret) throw new ConnectorError('not_configured', 'pipedrive: OAuth needs --client-id and --client-secret');
    const res = await http.request({
      method: 'POST',
      url: `${config.oauthUrl}/oauth/token`,
      headers: { authorization: basic(config.clientId, secret) },
      form: { grant_type: 'refresh_token', refresh_token: current.refreshToken },
    });
    return pipedriveTokens(res, secrets, now(), current.refreshToken);
  };
}

const ListPage = z.looseObject({
  data: z.array(z.record(z.string(), z.unknown())).nullable(),
  additional_data: z.looseObject({ next_cursor: z.string().nullish() }).nullish(),
});

export class PipedriveSource implements DealSource {
  readonly source = 'pipedrive' as const;
  readonly api: CrmApi;
  readonly tokens: TokenKeeper;

  constructor(
    readonly config: PipedriveConnection,
    private readonly deps: ConnectorDeps,
  ) {
    this.tokens = new TokenKeeper(
      deps.secrets,
      'pipedrive',
      pipedriveRenew(deps.http, deps.secrets, config, deps.clock.now),
      deps.clock.now,
      5 * 60_000,
    );
    this.api = new CrmApi({
      source: 'pipedrive',
      http: deps.http,
      tokens: this.tokens,
      backoff: deps.backoff,
      clock: deps.clock,
      ...(deps.onWait ? { onWait: deps.onWait } : {}),
      authHeaders: config.auth === 'api_token' ? (t) => ({ 'x-api-token': t }) : (t) => ({ authorization: `Bearer ${t}` }),
    });
  }

  private base(): string {
    if (this.config.auth === 'api_token') return this.config.baseUrl;
    const d = this.deps.secrets.get(crmSecret('pipedrive', 'api_domain'));
    if (!d) throw new ConnectorError('not_configured', 'pipedrive: no api_domain stored: connect again');
    return d;
  }

  private async *list(path: string, query: Record<string, string | number | undefined>): AsyncGenerator<Record<string, unknown>[]> {
    let cursor: string | undefined;
    do {
      const res = await this.api.call({
        method: 'GET',
        url: `${this.base()}${path}`,
        query: { ...query, limit: this.config.pageSize, ...(cursor ? { cursor } : {}) },
      });
      const page = ListPage.safeParse(res.body);
      if (!page.success) throw new ConnectorError('bad_response', `pipedrive: ${path} answered without data[]`);
      const next = page.data.additional_data?.next_cursor ?? undefined;
      if (next !== undefined && next === cursor)
        throw new ConnectorError('bad_response', `pipedrive: ${path} returned the same cursor again`);
      cursor = next;
      yield page.data.data ?? [];
    } while (cursor);
  }

  private async all(path: string): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    for await (const page of this.list(path, {})) out.push(...page);
    return out;
  }

  async *pages(stored: string | undefined): AsyncIterable<DealPage> {
    let marks: z.output<typeof Watermarks> = {};
    if (stored) {
      try {
        marks = Watermarks.parse(JSON.parse(stored));
      } catch {
        marks = { won: stored, lost: stored, open: stored };
      }
    }
    for (const feed of FEEDS) {
      for await (const deals of this.list('/api/v2/deals', {
        status: feed,
        updated_since: marks[feed],
        sort_by: 'update_time',
        sort_direction: 'asc',
      })) {
        const bundles: unknown[] = [];
        for (const d of deals) {
          // Only won deals need their products; an open/lost deal matters only if it was invoiced.
          bundles.push(feed === 'won' ? await this.bundle(d) : { deal: d });
          const u = typeof d.update_time === 'string' ? Date.parse(d.update_time) : NaN;
          if (!Number.isNaN(u) && (!marks[feed] || u > Date.parse(marks[feed])))
            marks = { ...marks, [feed]: new Date(u).toISOString().replace('.000Z', 'Z') };
        }
        yield { bundles, watermark: JSON.stringify(marks) };
      }
    }
  }

  private async bundle(deal: Record<string, unknown>): Promise<unknown> {
    const id = encodeURIComponent(String(deal.id));
    const products = await this.all(`/api/v2/deals/${id}/products`);
    const discounts = await this.all(`/api/v2/deals/${id}/discounts`);
    const orgId = typeof deal.org_id === 'number' || typeof deal.org_id === 'string' ? String(deal.org_id) : undefined;
    const organization = orgId
      ? (await this.api.call({ method: 'GET', url: `${this.base()}/api/v2/organizations/${encodeURIComponent(orgId)}` })).body
      : null;
    return { deal, products, discounts, organization };
  }

  async fetchDeal(id: string): Promise<unknown | undefined> {
    let deal: Record<string, unknown>;
    try {
      const body = (await this.api.call({ method: 'GET', url: `${this.base()}/api/v2/deals/${encodeURIComponent(id)}` })).body as {
        data?: Record<string, unknown>;
      };
      if (!body.data) return undefined;
      deal = body.data;
    } catch (e) {
      if (e instanceof ConnectorError && e.details.status === 404) return undefined;
      throw e;
    }
    return deal.status === 'won' ? this.bundle(deal) : { deal };
  }

  map(bundles: unknown[]): DealOutcome[] {
    return mapPipedrive(bundles, { ...this.config.map, now: this.deps.clock.now() });
  }

  recordUrl(dealId: string): string | undefined {
    const base = this.config.auth === 'oauth' ? this.deps.secrets.get(crmSecret('pipedrive', 'api_domain')) : this.config.baseUrl;
    return base && !/api\.pipedrive\.com/.test(base) ? `${base}/deal/${dealId}` : undefined;
  }

  async writeBack(deal: CrmDeal, w: DealWriteback): Promise<void> {
    const f = this.config.writebackFields;
    if (!f)
      throw new ConnectorError('not_configured', 'pipedrive: write-back needs the deal custom-field key for the IRN (--writeback-field)');
    await this.api.call({
      method: 'PATCH',
      url: `${this.base()}/api/v2/deals/${encodeURIComponent(deal.dealId)}`,
      json: {
        custom_fields: {
          [f.irn]: w.irn,
          ...(f.status ? { [f.status]: w.clearance } : {}),
          ...(f.number ? { [f.number]: w.invoiceNumber } : {}),
        },
      },
    });
  }

  testConnection(): Promise<CrmTestResult> {
    return runCrmTest('pipedrive', async () => {
      const me = (await this.api.call({ method: 'GET', url: `${this.base()}/api/v1/users/me` })).body as {
        data?: { company_name?: string; company_domain?: string; name?: string };
      };
      // The buyer's TIN is a custom field keyed by a 40-character hash: check the configured key exists.
      const fields =
        (
          (await this.api.call({ method: 'GET', url: `${this.base()}/api/v1/organizationFields` })).body as {
            data?: { key?: string; name?: string }[];
          }
        ).data ?? [];
      const wanted = { ...PIPEDRIVE_BUYER_DEFAULTS, ...this.config.map.buyerFields };
      for (const k of ['tin', 'email'] as const) {
        const key = wanted[k];
        if (key && !fields.some((f) => f.key === key)) {
          throw new CrmConfigProblem(
            'unknown_field',
            `pipedrive: organization field "${key}" (the buyer's ${k.toUpperCase()}) does not exist; fields: ${fields.map((f) => `${f.key} "${f.name ?? ''}"`).join(', ')}`,
          );
        }
      }
      return {
        summary: `connected to Pipedrive company ${me.data?.company_name ?? '?'} (${me.data?.company_domain ?? '?'}) as ${me.data?.name ?? '?'}`,
        details: { company: me.data?.company_name, domain: me.data?.company_domain },
      };
    });
  }
}
