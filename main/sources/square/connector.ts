// Square connector: tokens, API calls pinned to a Square-Version, the poll source, the
// connection test, and the order fetch webhooks need.
import type { SquareConfig } from '../../capture/config';
import { runTest, type Connector, type ConnectorDeps, type TestResult } from '../../capture/connector';
import { ConnectorError } from '../../capture/errors';
import { secretName, TokenKeeper } from '../../capture/tokens';
import { VendorApi } from '../../capture/vendor-api';
import { squareRenew, SQUARE_SCOPES } from './auth';
import { SquarePollSource } from './poller';

export class SquareConnector implements Connector {
  readonly vendor = 'square' as const;
  readonly api: VendorApi;
  readonly tokens: TokenKeeper;
  readonly source: SquarePollSource;

  constructor(
    readonly config: SquareConfig,
    deps: ConnectorDeps,
  ) {
    const clientSecret = deps.secrets.get(secretName('square', 'client_secret'));
    this.tokens = new TokenKeeper(
      deps.secrets,
      'square',
      squareRenew(deps.http, {
        baseUrl: config.baseUrl,
        auth: config.auth,
        clientId: config.clientId,
        clientSecret: config.pkce ? undefined : clientSecret,
        now: deps.clock.now,
      }),
      deps.clock.now,
      7 * 86_400_000, // Square: renew when a 30-day token has under 7 days left
    );
    this.api = new VendorApi({
      vendor: 'square',
      http: deps.http,
      tokens: this.tokens,
      backoff: deps.backoff,
      clock: deps.clock,
      headers: { 'square-version': config.squareVersion },
      onWait: deps.onWait,
    });
    this.source = new SquarePollSource(this.api, config, deps.clock.now);
  }

  testConnection(): Promise<TestResult> {
    return runTest('square', async () => {
      const status = (await this.api.call({ method: 'POST', url: `${this.config.baseUrl}/oauth2/token/status`, json: {} })).body as {
        scopes?: string[];
        merchant_id?: string;
        expires_at?: string;
      };
      if (Array.isArray(status.scopes)) {
        const missing = ['ORDERS_READ', 'PAYMENTS_READ'].filter((s) => !status.scopes!.includes(s));
        if (missing.length)
          throw new ConnectorError(
            'missing_scope',
            `square: the token lacks scope ${missing.join(', ')} (it has ${status.scopes.join(', ') || 'none'}); authorize again with ${SQUARE_SCOPES.join(', ')}`,
          );
      }
      const locs =
        (
          (await this.api.call({ method: 'GET', url: `${this.config.baseUrl}/v2/locations` })).body as {
            locations?: { id: string; name?: string; status?: string }[];
          }
        ).locations ?? [];
      for (const id of this.config.locationIds) {
        const loc = locs.find((l) => l.id === id);
        if (!loc)
          throw new ConnectorError(
            'unknown_location',
            `square: location ${id} is not one of this account's locations (${locs.map((l) => `${l.id} "${l.name ?? ''}"`).join(', ') || 'none'})`,
          );
        if (loc.status && loc.status !== 'ACTIVE')
          throw new ConnectorError('unknown_location', `square: location ${id} "${loc.name ?? ''}" is ${loc.status}`);
      }
      return {
        summary: `connected to Square merchant ${status.merchant_id ?? '?'}; locations ${this.config.locationIds.join(', ')}`,
        details: {
          merchantId: status.merchant_id,
          scopes: status.scopes,
          tokenExpiresAt: status.expires_at,
          locations: locs.filter((l) => this.config.locationIds.includes(l.id)),
        },
      };
    });
  }

  async fetchOrder(id: string): Promise<unknown> {
    const res = await this.api.call({ method: 'GET', url: `${this.config.baseUrl}/v2/orders/${encodeURIComponent(id)}` });
    const order = (res.body as { order?: unknown }).order;
    if (!order) throw new ConnectorError('bad_response', `square: RetrieveOrder ${id} answered without an order`);
    return order;
  }
}
