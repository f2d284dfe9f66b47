// Toast: polled (ordersBulk in time slices), webhooks carrying the whole order, machine-client login.
import { mapToast } from '../../../shared/capture/toast/map-toast';
import { toastSource } from '../../../shared/sources/toast/source';
import type { ToastConfig } from '../../capture/config';
import { verifyToast } from '../../capture/signatures/verify';
import { defineSource } from '../source';
import { ToastConnector } from './connector';
import { toastHandler } from './webhook';

export const toast = defineSource<ToastConfig>({
  info: toastSource,
  mapper: mapToast,
  connector: (config, deps) => new ToastConnector(config, deps),
  webhook: (config, deps) => toastHandler(config, deps.secrets),
  signature: {
    needs: { timestamp: '--timestamp: Toast signs body + timestamp' },
    verify: (i) => verifyToast({ secret: i.secret, signature: i.signature, body: i.body, timestamp: i.timestamp ?? '' }),
  },
  connect: {
    flags: [
      { flags: '--restaurant <guid>', description: 'Toast restaurant external id (GUID)' },
      { flags: '--overlap-minutes <m>', description: 'Toast / Lightspeed R overlap (default 60)' },
    ],
    settings: (o, { pick, num }) => ({
      ...pick('baseUrl', o.baseUrl),
      ...pick('clientId', o.clientId),
      ...pick('restaurantGuid', o.restaurant),
      ...pick('overlapMinutes', num(o.overlapMinutes, '--overlap-minutes')),
    }),
    noCodeFlow: 'Toast machine clients log in with --client-id and --client-secret; there is no authorize step or code',
  },
});
