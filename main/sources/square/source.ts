// Square: polled (SearchOrders from a watermark), webhooks (order/payment/refund events), OAuth
// code flow with PKCE or a personal access token.
import { mapSquare } from '../../../shared/capture/square/map-square';
import { squareSource } from '../../../shared/sources/square/source';
import type { SquareConfig } from '../../capture/config';
import { pkcePair } from '../../capture/oauth';
import { verifySquare } from '../../capture/signatures/verify';
import { secretName } from '../../capture/tokens';
import { defineSource } from '../source';
import { squareAuthorizeUrl, squareExchangeCode } from './auth';
import { SquareConnector } from './connector';
import { squareHandler } from './webhook';

export const square = defineSource<SquareConfig>({
  info: squareSource,
  mapper: mapSquare,
  connector: (config, deps) => new SquareConnector(config, deps),
  webhook: (config, deps, connector) => squareHandler(config, deps.secrets, connector as SquareConnector),
  signature: {
    needs: { url: "--url: Square signs the notification URL + body; give the subscription's URL" },
    verify: (i) => verifySquare({ secret: i.secret, signature: i.signature, body: i.body, url: i.url ?? '' }),
  },
  connect: {
    flags: [
      { flags: '--code-verifier <v>', description: 'Square PKCE verifier (default: the one saved by --authorize)' },
      { flags: '--no-pkce', description: 'Square: code flow with the application secret instead of PKCE' },
      { flags: '--location <id>', description: 'Square location id (repeat for several, ≤10)', repeatable: true },
      { flags: '--notification-url <url>', description: 'Square: the webhook URL as registered (Square signs URL + body)' },
      { flags: '--overlap-hours <h>', description: 'Square: re-read this far behind the watermark (default 72)' },
    ],
    settings: (o, { pick, num, prev }) => ({
      ...pick('baseUrl', o.baseUrl),
      auth: o.accessToken ? 'token' : o.clientId || o.code || o.refreshToken ? 'oauth' : (prev.auth ?? 'token'),
      ...pick('clientId', o.clientId),
      ...pick('pkce', o.clientSecret ? false : (o.pkce ?? undefined)),
      ...pick('locationIds', (o.location as string[] | undefined)?.length ? o.location : undefined),
      ...pick('overlapHours', num(o.overlapHours, '--overlap-hours')),
      ...pick('notificationUrl', o.notificationUrl),
    }),
    authorize: (config, o, { need, state }) => {
      const clientId = need(config.clientId, '--client-id');
      const pair = config.pkce ? pkcePair() : undefined;
      const url = squareAuthorizeUrl({
        baseUrl: config.baseUrl,
        clientId,
        state,
        ...(pair ? { codeChallenge: pair.challenge } : {}),
        ...(o.redirectUri ? { redirectUri: o.redirectUri } : {}),
      });
      return { url, ...(pair ? { verifier: pair.verifier } : {}) };
    },
    exchangeCode: async (config, o, { need, http, secrets, now, code, clientSecret }) => {
      const verifier = o.codeVerifier ?? secrets.get(secretName('square', 'pkce_verifier'));
      const tokens = await squareExchangeCode(http, {
        baseUrl: config.baseUrl,
        clientId: need(config.clientId, '--client-id'),
        code,
        now,
        ...(config.pkce
          ? { codeVerifier: need(verifier, '--code-verifier (or run --authorize first)') }
          : { clientSecret: clientSecret() }),
        ...(o.redirectUri ? { redirectUri: o.redirectUri } : {}),
      });
      secrets.delete(secretName('square', 'pkce_verifier'));
      return tokens;
    },
  },
});
