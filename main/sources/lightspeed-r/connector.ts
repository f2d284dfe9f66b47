// Lightspeed R connector: rotating OAuth tokens, the Sale poll source, a precise connection
// test (token, scope, account, shop) and the sale fetch.
import type { LightspeedRConfig } from '../../capture/config';
import { requireSecret, runTest, type Connector, type ConnectorDeps, type TestResult } from '../../capture/connector';
import { ConnectorError } from '../../capture/errors';
import { secretName, TokenKeeper } from '../../capture/tokens';
import { VendorApi } from '../../capture/vendor-api';
import type { HttpResponse } from '../../capture/http';
import { lightspeedRRenew, LIGHTSPEED_R_SCOPE } from './auth';
import { LightspeedRPollSource } from './poller';

/**
 * R's leaky bucket: X-LS-API-Bucket-Level "used/size" and X-LS-API-Drip-Rate (units per second).
 * Keep a few units of headroom (a GET costs 1) instead of running into 429s.
 */
export function lightspeedRPace(res: HttpResponse): number | undefined {
  const m = /^([\d.]+)\/([\d.]+)$/.exec(res.headers['x-ls-api-bucket-level'] ?? '');
  const drip = Number(res.headers['x-ls-api-drip-rate'] ?? '');
  if (!m || !(drip > 0)) return undefined;
  const free = Number(m[2]) - Number(m[1]);
  const headroom = 5;
  return free >= headroom ? undefined : Math.ceil(((headroom - free) / drip) * 1000);
}

export class LightspeedRConnector implements Connector {
  readonly vendor = 'lightspeed-r' as const;
  readonly api: VendorApi;
  readonly tokens: TokenKeeper;
  readonly source: LightspeedRPollSource;

  constructor(
    readonly config: LightspeedRConfig,
    deps: ConnectorDeps,
  ) {
    this.tokens = new TokenKeeper(
      deps.secrets,
      'lightspeed-r',
      lightspeedRRenew(deps.http, {
        authUrl: config.authUrl,
        clientId: config.clientId,
        clientSecret: () => requireSecret(deps.secrets, secretName('lightspeed-r', 'client_secret'), 'lightspeed-r: the client secret'),
        now: deps.clock.now,
      }),
      deps.clock.now,
      5 * 60_000,
    );
    this.api = new VendorApi({
      vendor: 'lightspeed-r',
      http: deps.http,
      tokens: this.tokens,
      backoff: deps.backoff,
      clock: deps.clock,
      onWait: deps.onWait,
      pace: lightspeedRPace,
    });
    this.source = new LightspeedRPollSource(this.api, config, deps.clock.now);
  }

  testConnection(): Promise<TestResult> {
    return runTest('lightspeed-r', async () => {
      const body = (await this.api.call({ method: 'GET', url: `${this.config.baseUrl}/API/V3/Account.json` })).body as {
        Account?: unknown;
      };
      const accounts = (Array.isArray(body.Account) ? body.Account : body.Account ? [body.Account] : []) as {
        accountID?: string;
        name?: string;
      }[];
      if (!accounts.some((a) => a.accountID === this.config.accountId)) {
        throw new ConnectorError(
          'unknown_location',
          `lightspeed-r: account ${this.config.accountId} is not this token's (${accounts.map((a) => `${a.accountID} "${a.name ?? ''}"`).join(', ') || 'none'})`,
        );
      }
      try {
        await this.api.call({ method: 'GET', url: `${this.source.accountUrl}/Sale.json`, query: { limit: 1 } });
      } catch (e) {
        if (e instanceof ConnectorError && e.problem === 'missing_scope')
          throw new ConnectorError('missing_scope', `${e.message}; authorize with scope ${LIGHTSPEED_R_SCOPE}`, e.details);
        throw e;
      }
      if (this.config.shopId) {
        const shops = ((await this.api.call({ method: 'GET', url: `${this.source.accountUrl}/Shop.json` })).body as { Shop?: unknown })
          .Shop;
        const list = (Array.isArray(shops) ? shops : shops ? [shops] : []) as { shopID?: string; name?: string }[];
        if (!list.some((s) => s.shopID === this.config.shopId))
          throw new ConnectorError(
            'unknown_location',
            `lightspeed-r: shop ${this.config.shopId} is not in account ${this.config.accountId} (${list.map((s) => `${s.shopID} "${s.name ?? ''}"`).join(', ') || 'none'})`,
          );
      }
      return {
        summary: `connected to Lightspeed R account ${this.config.accountId}${this.config.shopId ? `, shop ${this.config.shopId}` : ''}`,
        details: { accounts },
      };
    });
  }

  async fetchOrder(id: string): Promise<unknown> {
    const res = await this.api.call({
      method: 'GET',
      url: `${this.source.accountUrl}/Sale/${encodeURIComponent(id)}.json`,
      query: {
        load_relations: JSON.stringify([
          'SaleLines',
          'SaleLines.Item',
          'SalePayments',
          'SalePayments.PaymentType',
          'Customer',
          'TaxCategory',
        ]),
      },
    });
    const sale = (res.body as { Sale?: unknown }).Sale;
    if (!sale) throw new ConnectorError('bad_response', `lightspeed-r: sale ${id} answered without a Sale`);
    return sale;
  }
}
