// Lightspeed Retail R-Series: polled only (it has no sales webhooks), OAuth code flow.
import { mapLightspeedR } from '../../../shared/capture/lightspeed-r/map-lightspeed-r';
import { lightspeedRSource } from '../../../shared/sources/lightspeed-r/source';
import type { LightspeedRConfig } from '../../capture/config';
import { defineSource } from '../source';
import { lightspeedRAuthorizeUrl, lightspeedRExchangeCode } from './auth';
import { LightspeedRConnector } from './connector';

export const lightspeedR = defineSource<LightspeedRConfig>({
  info: lightspeedRSource,
  mapper: mapLightspeedR,
  connector: (config, deps) => new LightspeedRConnector(config, deps),
  connect: {
    flags: [
      { flags: '--auth-url <url>', description: 'Lightspeed R OAuth host (default https://cloud.lightspeedapp.com)' },
      { flags: '--account <id>', description: 'Lightspeed R account id' },
      { flags: '--shop <id>', description: 'Lightspeed R shop id (only its sales)' },
      { flags: '--overlap-minutes <m>', description: 'Toast / Lightspeed R overlap (default 60)' },
    ],
    settings: (o, { pick, num }) => ({
      ...pick('accountId', o.account),
      ...pick('baseUrl', o.baseUrl),
      ...pick('authUrl', o.authUrl),
      ...pick('clientId', o.clientId),
      ...pick('shopId', o.shop),
      ...pick('overlapMinutes', num(o.overlapMinutes, '--overlap-minutes')),
    }),
    authorize: (config, o, { state }) => ({
      url: lightspeedRAuthorizeUrl({
        authUrl: config.authUrl,
        clientId: config.clientId,
        state,
        ...(o.redirectUri ? { redirectUri: o.redirectUri } : {}),
      }),
    }),
    exchangeCode: (config, o, { http, now, code, clientSecret }) =>
      lightspeedRExchangeCode(http, {
        authUrl: config.authUrl,
        clientId: config.clientId,
        clientSecret: clientSecret(),
        code,
        now,
        ...(o.redirectUri ? { redirectUri: o.redirectUri } : {}),
      }),
  },
});
