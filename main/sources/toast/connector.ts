// Toast connector: machine-client tokens, the restaurant header on every call, the poll source,
// a precise connection test, and the order fetch.
import type { ToastConfig } from '../../capture/config';
import { requireSecret, runTest, type Connector, type ConnectorDeps, type TestResult } from '../../capture/connector';
import { ConnectorError } from '../../capture/errors';
import { secretName, TokenKeeper, writeTokens } from '../../capture/tokens';
import { VendorApi, vendorMessage } from '../../capture/vendor-api';
import { toastLogin, toastRenew, TOAST_REQUIRED_SCOPES } from './auth';
import { toastDate, ToastPollSource } from './poller';

export class ToastConnector implements Connector {
  readonly vendor = 'toast' as const;
  readonly api: VendorApi;
  readonly tokens: TokenKeeper;
  readonly source: ToastPollSource;

  constructor(
    readonly config: ToastConfig,
    private readonly deps: ConnectorDeps,
  ) {
    const secret = () => requireSecret(deps.secrets, secretName('toast', 'client_secret'), 'toast: the client secret');
    this.tokens = new TokenKeeper(
      deps.secrets,
      'toast',
      toastRenew(deps.http, { baseUrl: config.baseUrl, clientId: config.clientId, clientSecret: secret, now: deps.clock.now }),
      deps.clock.now,
      10 * 60_000,
    );
    this.api = new VendorApi({
      vendor: 'toast',
      http: deps.http,
      tokens: this.tokens,
      backoff: deps.backoff,
      clock: deps.clock,
      onWait: deps.onWait,
      headers: { 'toast-restaurant-external-id': config.restaurantGuid },
      refine: (res, e) =>
        (e.problem === 'missing_scope' || e.problem === 'bad_response') && /restaurant/i.test(vendorMessage(res))
          ? new ConnectorError(
              'unknown_location',
              `toast: restaurant ${config.restaurantGuid} is unknown or not connected to this client: ${vendorMessage(res)} (HTTP ${res.status})`,
              { status: res.status },
            )
          : e,
    });
    this.source = new ToastPollSource(this.api, config, deps.clock.now);
  }

  testConnection(): Promise<TestResult> {
    return runTest('toast', async () => {
      const login = await toastLogin(this.deps.http, {
        baseUrl: this.config.baseUrl,
        clientId: this.config.clientId,
        clientSecret: requireSecret(this.deps.secrets, secretName('toast', 'client_secret'), 'toast: the client secret'),
        now: this.deps.clock.now(),
      });
      writeTokens(this.deps.secrets, 'toast', {
        accessToken: login.accessToken,
        ...(login.expiresAt !== undefined ? { expiresAt: login.expiresAt } : {}),
      });
      if (login.scope !== undefined) {
        const have = login.scope.split(/\s+/);
        const missing = TOAST_REQUIRED_SCOPES.filter((s) => !have.includes(s));
        if (missing.length)
          throw new ConnectorError(
            'missing_scope',
            `toast: the API client lacks scope ${missing.join(', ')} (it has ${login.scope || 'none'}); ask Toast to add it`,
          );
      }
      const now = this.deps.clock.now();
      await this.api.call({
        method: 'GET',
        url: `${this.config.baseUrl}/orders/v2/ordersBulk`,
        query: { startDate: toastDate(now - 60_000), endDate: toastDate(now), pageSize: 1, page: 1 },
      });
      return {
        summary: `connected to Toast restaurant ${this.config.restaurantGuid}`,
        details: { scope: login.scope, tokenExpiresAt: login.expiresAt },
      };
    });
  }

  async fetchOrder(id: string): Promise<unknown> {
    const res = await this.api.call({ method: 'GET', url: `${this.config.baseUrl}/orders/v2/orders/${encodeURIComponent(id)}` });
    return res.body;
  }
}
