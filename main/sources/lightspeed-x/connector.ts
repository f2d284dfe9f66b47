// Lightspeed X connector: rotating OAuth tokens (or a personal token), the change-feed poll
// source, a precise connection test (token, scope, outlet), and the sale fetch for webhooks.
import type { LightspeedXConfig } from '../../capture/config';
import { requireSecret, runTest, type Connector, type ConnectorDeps, type TestResult } from '../../capture/connector';
import { ConnectorError } from '../../capture/errors';
import { secretName, TokenKeeper } from '../../capture/tokens';
import { VendorApi } from '../../capture/vendor-api';
import { lightspeedXBaseUrl, lightspeedXRenew } from './auth';
import { LightspeedXPollSource } from './poller';

export class LightspeedXConnector implements Connector {
  readonly vendor = 'lightspeed-x' as const;
  readonly api: VendorApi;
  readonly tokens: TokenKeeper;
  readonly source: LightspeedXPollSource;
  private readonly base: string;

  constructor(
    readonly config: LightspeedXConfig,
    deps: ConnectorDeps,
  ) {
    this.base = lightspeedXBaseUrl(config);
    this.tokens = new TokenKeeper(
      deps.secrets,
      'lightspeed-x',
      lightspeedXRenew(deps.http, {
        baseUrl: this.base,
        auth: config.auth,
        clientId: config.clientId,
        clientSecret: () => requireSecret(deps.secrets, secretName('lightspeed-x', 'client_secret'), 'lightspeed-x: the client secret'),
        now: deps.clock.now,
      }),
      deps.clock.now,
      60 * 60_000,
    );
    this.api = new VendorApi({
      vendor: 'lightspeed-x',
      http: deps.http,
      tokens: this.tokens,
      backoff: deps.backoff,
      clock: deps.clock,
      onWait: deps.onWait,
    });
    this.source = new LightspeedXPollSource(this.api, config);
  }

  testConnection(): Promise<TestResult> {
    return runTest('lightspeed-x', async () => {
      const outlets =
        ((await this.api.call({ method: 'GET', url: `${this.base}/api/2.0/outlets` })).body as { data?: { id: string; name?: string }[] })
          .data ?? [];
      if (this.config.outletId && !outlets.some((o) => o.id === this.config.outletId)) {
        throw new ConnectorError(
          'unknown_location',
          `lightspeed-x: outlet ${this.config.outletId} is not one of ${this.config.domainPrefix}'s outlets (${outlets.map((o) => `${o.id} "${o.name ?? ''}"`).join(', ') || 'none'})`,
        );
      }
      await this.api.call({ method: 'GET', url: `${this.base}/api/2.0/sales`, query: { after: 0, page_size: 1 } });
      return {
        summary: `connected to Lightspeed X store ${this.config.domainPrefix}${this.config.outletId ? `, outlet ${this.config.outletId}` : ''}`,
        details: { outlets },
      };
    });
  }

  async fetchOrder(id: string): Promise<unknown> {
    const res = await this.api.call({ method: 'GET', url: `${this.base}/api/2.0/sales/${encodeURIComponent(id)}` });
    const sale = (res.body as { data?: unknown }).data;
    if (!sale) throw new ConnectorError('bad_response', `lightspeed-x: sale ${id} answered without data`);
    return sale;
  }
}
