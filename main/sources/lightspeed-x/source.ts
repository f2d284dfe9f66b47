// Lightspeed Retail X-Series: polled (search by version), sale.update webhooks (the sale is
// fetched by id), OAuth code flow or a personal token.
import { mapLightspeedX } from '../../../shared/capture/lightspeed-x/map-lightspeed-x';
import { lightspeedXSource } from '../../../shared/sources/lightspeed-x/source';
import type { LightspeedXConfig } from '../../capture/config';
import { verifyLightspeedX } from '../../capture/signatures/verify';
import { defineSource } from '../source';
import { lightspeedXAuthorizeUrl, lightspeedXBaseUrl, lightspeedXExchangeCode } from './auth';
import { LightspeedXConnector } from './connector';
import { lightspeedXHandler } from './webhook';

export const lightspeedX = defineSource<LightspeedXConfig>({
  info: lightspeedXSource,
  mapper: mapLightspeedX,
  connector: (config, deps) => new LightspeedXConnector(config, deps),
  webhook: (_config, deps, connector) => lightspeedXHandler(deps.secrets, connector as LightspeedXConnector),
  signature: { needs: {}, verify: (i) => verifyLightspeedX({ secret: i.secret, signature: i.signature, body: i.body }) },
  connect: {
    flags: [
      { flags: '--domain-prefix <prefix>', description: 'Lightspeed X store domain prefix' },
      { flags: '--outlet <id>', description: 'Lightspeed X outlet id (only its sales)' },
    ],
    settings: (o, { pick, prev }) => ({
      ...pick('domainPrefix', o.domainPrefix),
      ...pick('baseUrl', o.baseUrl),
      auth: o.accessToken ? 'token' : o.clientId || o.code || o.refreshToken ? 'oauth' : (prev.auth ?? 'token'),
      ...pick('clientId', o.clientId),
      ...pick('outletId', o.outlet),
    }),
    authorize: (config, o, { need, state }) => ({
      url: lightspeedXAuthorizeUrl({
        clientId: need(config.clientId, '--client-id'),
        redirectUri: need(o.redirectUri, '--redirect-uri'),
        state,
      }),
    }),
    exchangeCode: (config, o, { need, http, now, code, clientSecret }) =>
      lightspeedXExchangeCode(http, {
        baseUrl: lightspeedXBaseUrl(config),
        clientId: need(config.clientId, '--client-id'),
        clientSecret: clientSecret(),
        code,
        redirectUri: need(o.redirectUri, '--redirect-uri'),
        now,
      }),
  },
});
