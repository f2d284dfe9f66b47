// HubSpot: a private-app token (never expires; refused = make a new one) or OAuth (access tokens
// ~30 min from `expires_in`, refreshed before expiry at POST /oauth/v1/token, a rotated refresh
// token stored at once). API keys (hapikey) were retired in 2022 and are never used.
// Polling: POST /crm/v3/objects/deals/search on hs_lastmodifieddate ≥ watermark, ascending,
// `after` paging; each deal then read with its line items, company and tax rates as the mapper wants.
import type { DealWriteback } from '../../../shared/capture/crm/clearance';
import { z } from 'zod';
import { ConnectorError } from '../../capture/errors';
import type { ConnectorDeps } from '../../capture/connector';
import type { HttpClient, HttpResponse } from '../../capture/http';
import { cannotRenew, tokenResponse } from '../../capture/oauth';
import { TokenKeeper, type Renew, type TokenSet } from '../../capture/tokens';
import type { CrmDeal } from '../../ledger/crm-deals';
import { mapHubspot, HUBSPOT_BUYER_DEFAULTS } from '../../../shared/sources/hubspot/map-hubspot';
import { hubspotStages, type HubspotStage } from '../../../shared/sources/hubspot/won-stages';
import type { DealOutcome } from '../../../shared/capture/crm/outcome';
import { CrmApi } from '../../capture/crm/crm-api';
import { crmSecret, type HubspotConnection } from '../../capture/crm/config';
import { CrmConfigProblem, runCrmTest, type CrmTestResult, type DealPage, type DealSource } from '../../capture/crm/deal-poller';

export const HUBSPOT_SCOPES = [
  'crm.objects.deals.read',
  'crm.objects.line_items.read',
  'crm.objects.companies.read',
  'tax_rates.read',
] as const;
const DEAL_PROPERTIES = [
  'dealname',
  'amount',
  'dealstage',
  'pipeline',
  'closedate',
  'hs_lastmodifieddate',
  'deal_currency_code',
  'hs_is_closed_won',
];
const LINE_PROPERTIES = [
  'name',
  'quantity',
  'price',
  'amount',
  'discount',
  'hs_discount_percentage',
  'hs_tax_rate_group_id',
  'hs_tax_amount',
  'hs_sku',
  'hs_line_item_currency_code',
];

export function hubspotAuthorizeUrl(o: { clientId: string; redirectUri: string; state: string; authorizeUrl?: string }): string {
  const u = new URL(o.authorizeUrl ?? 'https://app.hubspot.com/oauth/authorize');
  u.searchParams.set('client_id', o.clientId);
  u.searchParams.set('redirect_uri', o.redirectUri);
  u.searchParams.set('scope', HUBSPOT_SCOPES.join(' '));
  u.searchParams.set('state', o.state);
  return u.toString();
}

export async function hubspotExchangeCode(
  http: HttpClient,
  o: { baseUrl: string; clientId: string; clientSecret: string; code: string; redirectUri: string; now: number },
): Promise<TokenSet> {
  const res = await http.request({
    method: 'POST',
    url: `${o.baseUrl}/oauth/v1/token`,
    form: {
      grant_type: 'authorization_code',
      client_id: o.clientId,
      client_secret: o.clientSecret,
      redirect_uri: o.redirectUri,
      code: o.code,
    },
  });
  return tokenResponse('hubspot', res, o.now);
}

export function hubspotRenew(
  http: HttpClient,
  config: HubspotConnection,
  clientSecret: () => string | undefined,
  now: () => number,
): Renew {
  if (config.auth === 'private_app') return cannotRenew('hubspot');
  return async (current) => {
    if (!current?.refreshToken) throw new ConnectorError('not_configured', 'hubspot: no refresh token stored: connect again');
    const secret = clientSecret();
    if (!config.clientId || !secret)
      throw new ConnectorError(
        'not_configured',
        "hubspot: OAuth needs the app's client id and client secret: connect again with --client-id and --client-secret",
      );
    const res = await http.request({
      method: 'POST',
      url: `${config.baseUrl}/oauth/v1/token`,
      form: { grant_type: 'refresh_token', client_id: config.clientId, client_secret: secret, refresh_token: current.refreshToken },
    });
    return tokenResponse('hubspot', res, now(), current.refreshToken);
  };
}

const SearchPage = z.looseObject({
  results: z.array(z.looseObject({ id: z.string(), properties: z.record(z.string(), z.unknown()) })),
  paging: z.looseObject({ next: z.looseObject({ after: z.string() }).optional() }).optional(),
});
const Assoc = z.looseObject({
  results: z.array(z.looseObject({ id: z.union([z.string(), z.number()]).transform(String), type: z.string().optional() })),
});

/** HubSpot's 403 names what is missing (category MISSING_SCOPES): say so. */
function refine(res: HttpResponse, e: ConnectorError): ConnectorError {
  const b = res.body as { category?: string; message?: string; errors?: { context?: { requiredGranularScopes?: string[] } }[] } | undefined;
  if (res.status === 403 && b?.category === 'MISSING_SCOPES') {
    const scopes = b.errors?.flatMap((x) => x.context?.requiredGranularScopes ?? []) ?? [];
    return new ConnectorError(
      'missing_scope',
      `hubspot: the token lacks scope ${scopes.join(', ') || '(see HubSpot)'}: ${b.message ?? ''}`,
      { status: 403 },
    );
  }
  return e;
}

export class HubspotSource implements DealSource {
  readonly source = 'hubspot' as const;
  readonly api: CrmApi;
  readonly tokens: TokenKeeper;
  private pipelines: unknown;
  private readonly taxRates = new Map<string, unknown>();

  constructor(
    readonly config: HubspotConnection,
    private readonly deps: ConnectorDeps,
  ) {
    const secret = () => deps.secrets.get(crmSecret('hubspot', 'client_secret'));
    this.tokens = new TokenKeeper(
      deps.secrets,
      'hubspot',
      hubspotRenew(deps.http, config, secret, deps.clock.now),
      deps.clock.now,
      5 * 60_000,
    );
    this.api = new CrmApi({
      source: 'hubspot',
      http: deps.http,
      tokens: this.tokens,
      backoff: deps.backoff,
      clock: deps.clock,
      refine,
      ...(deps.onWait ? { onWait: deps.onWait } : {}),
      // 100 requests per 10 s per app and account: when the window is nearly spent, wait it out.
      pace: (res) => {
        const left = Number(res.headers['x-hubspot-ratelimit-remaining']);
        const interval = Number(res.headers['x-hubspot-ratelimit-interval-milliseconds'] ?? 10_000);
        return Number.isFinite(left) && left <= 1 ? interval : undefined;
      },
    });
  }

  private get base(): string {
    return this.config.baseUrl;
  }

  private buyerProperties(): string[] {
    return [
      ...new Set([
        'name',
        ...Object.values({ ...HUBSPOT_BUYER_DEFAULTS, ...this.config.map.buyerFields }).filter((v): v is string => typeof v === 'string'),
      ]),
    ];
  }

  /** The portal's deal pipelines and stages (the settings screen's stage mapping). */
  async stages(): Promise<HubspotStage[]> {
    this.pipelines = undefined;
    return hubspotStages(await this.loadPipelines());
  }

  private async loadPipelines(): Promise<unknown> {
    this.pipelines ??= (await this.api.call({ method: 'GET', url: `${this.base}/crm/v3/pipelines/deals` })).body;
    return this.pipelines;
  }

  async *pages(watermark: string | undefined): AsyncIterable<DealPage> {
    this.pipelines = undefined; // re-read once per poll: stages can change
    const fromMs = watermark ? Date.parse(watermark) : 0;
    let after: string | undefined;
    let high = watermark;
    do {
      const res = await this.api.call({
        method: 'POST',
        url: `${this.base}/crm/v3/objects/deals/search`,
        json: {
          filterGroups: [{ filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(fromMs) }] }],
          sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }],
          properties: this.dealProperties(),
          limit: this.config.pageSize,
          ...(after ? { after } : {}),
        },
      });
      const page = SearchPage.safeParse(res.body);
      if (!page.success) throw new ConnectorError('bad_response', 'hubspot: deal search answered without results[]');
      const bundles: unknown[] = [];
      for (const d of page.data.results) {
        const b = await this.fetchDeal(d.id);
        if (b) bundles.push(b);
        const m = typeof d.properties.hs_lastmodifieddate === 'string' ? Date.parse(d.properties.hs_lastmodifieddate) : NaN;
        if (!Number.isNaN(m) && (!high || m > Date.parse(high))) high = new Date(m).toISOString();
      }
      const next = page.data.paging?.next?.after;
      if (next !== undefined && next === after) throw new ConnectorError('bad_response', 'hubspot: search returned the same `after` again');
      after = next;
      yield { bundles, ...(high ? { watermark: high } : {}) };
    } while (after);
  }

  async fetchDeal(id: string): Promise<unknown | undefined> {
    let deal: Record<string, unknown>;
    try {
      deal = (
        await this.api.call({
          method: 'GET',
          url: `${this.base}/crm/v3/objects/deals/${encodeURIComponent(id)}`,
          query: { properties: this.dealProperties().join(','), associations: 'line_items,companies' },
        })
      ).body as Record<string, unknown>;
    } catch (e) {
      if (e instanceof ConnectorError && e.details.status === 404) return undefined;
      throw e;
    }
    const assoc = (deal.associations ?? {}) as Record<string, unknown>;
    const lineIds = Assoc.safeParse(assoc['line items'] ?? assoc.line_items).data?.results.map((r) => r.id) ?? [];
    const companies = Assoc.safeParse(assoc.companies).data?.results ?? [];
    const companyId = (companies.find((c) => /primary/i.test(c.type ?? '')) ?? companies[0])?.id;
    let lineItems: unknown[] = [];
    if (lineIds.length) {
      const res = await this.api.call({
        method: 'POST',
        url: `${this.base}/crm/v3/objects/line_items/batch/read`,
        json: { properties: LINE_PROPERTIES, inputs: lineIds.map((lid) => ({ id: lid })) },
      });
      lineItems = (res.body as { results?: unknown[] }).results ?? [];
    }
    const company = companyId
      ? (
          await this.api.call({
            method: 'GET',
            url: `${this.base}/crm/v3/objects/companies/${encodeURIComponent(companyId)}`,
            query: { properties: this.buyerProperties().join(',') },
          })
        ).body
      : null;
    const taxRates: unknown[] = [];
    for (const li of lineItems) {
      const gid = ((li as { properties?: Record<string, unknown> }).properties ?? {}).hs_tax_rate_group_id;
      if (typeof gid !== 'string' || !gid) continue;
      if (!this.taxRates.has(gid))
        this.taxRates.set(
          gid,
          (await this.api.call({ method: 'GET', url: `${this.base}/tax-rates/v1/tax-rates/${encodeURIComponent(gid)}` })).body,
        );
      taxRates.push(this.taxRates.get(gid));
    }
    return {
      deal,
      line_items: lineItems,
      company,
      tax_rates: taxRates,
      ...(this.config.map.wonStages ? {} : { pipelines: await this.loadPipelines() }),
    };
  }

  /** The deal properties read: the mapper's, plus the configured "paid" property. */
  private dealProperties(): string[] {
    const paid = this.config.map.paidField;
    return paid && !DEAL_PROPERTIES.includes(paid) ? [...DEAL_PROPERTIES, paid] : DEAL_PROPERTIES;
  }

  map(bundles: unknown[]): DealOutcome[] {
    return mapHubspot(bundles, { ...this.config.map, now: this.deps.clock.now() });
  }

  recordUrl(dealId: string): string | undefined {
    return this.config.portalId ? `https://app.hubspot.com/contacts/${this.config.portalId}/record/0-3/${dealId}` : undefined;
  }

  async writeBack(deal: CrmDeal, w: DealWriteback): Promise<void> {
    const p = this.config.writebackProperties;
    await this.api.call({
      method: 'PATCH',
      url: `${this.base}/crm/v3/objects/deals/${encodeURIComponent(deal.dealId)}`,
      json: { properties: { [p.irn]: w.irn, [p.status]: w.clearance, ...(p.number ? { [p.number]: w.invoiceNumber } : {}) } },
    });
  }

  testConnection(): Promise<CrmTestResult> {
    return runCrmTest('hubspot', async () => {
      const stages = hubspotStages(await this.loadPipelines());
      const won = this.config.map.wonStages ?? stages.filter((s) => s.won).map((s) => s.id);
      const unknown = won.filter((id) => !stages.some((s) => s.id === id));
      if (unknown.length) {
        throw new CrmConfigProblem(
          'unknown_stage',
          `hubspot: stage ${unknown.join(', ')} is in no deal pipeline of this portal (stages: ${stages.map((s) => `${s.id} "${s.pipelineLabel} / ${s.label}"`).join(', ')})`,
        );
      }
      if (!won.length)
        throw new CrmConfigProblem(
          'unknown_stage',
          "hubspot: no stage says closed-won in this portal's pipelines: choose the stages that issue an invoice (--won-stage)",
        );
      // One search proves the deals scope (a 403 names the missing scope).
      await this.api.call({
        method: 'POST',
        url: `${this.base}/crm/v3/objects/deals/search`,
        json: { limit: 1, properties: ['dealstage'] },
      });
      return {
        summary: `connected to HubSpot; invoicing deals in stage ${won
          .map((id) => {
            const s = stages.find((x) => x.id === id);
            return s ? `${s.pipelineLabel} / ${s.label} (${id})` : id;
          })
          .join(', ')}`,
        details: { auth: this.config.auth, wonStages: won, pipelines: [...new Set(stages.map((s) => s.pipelineLabel))] },
      };
    });
  }
}
