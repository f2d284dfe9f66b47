// Lightspeed Retail (X-Series): the source's pure half (id, name, kind, auth, stored settings). Its mapper is
// shared/capture/lightspeed-x/; its connector, webhook and connect steps are main/sources/lightspeed-x/.
import { z } from 'zod';
import { connectorSettings, settingsUrl, type SourceInfo } from '../source-info';

export const LightspeedXSettingsSchema = connectorSettings('lightspeed-x', {
  domainPrefix: z.string().regex(/^[a-z0-9-]+$/i, 'must be the store\'s domain prefix, e.g. "adestores"'),
  /** Default https://{domainPrefix}.retail.lightspeed.app */
  baseUrl: settingsUrl.optional(),
  auth: z.enum(['oauth', 'token']),
  clientId: z.string().min(1).optional(),
  /** Only sales of this outlet are captured (all outlets when absent). */
  outletId: z.string().min(1).optional(),
  pageSize: z.number().int().min(1).max(10_000).default(200),
});

export const lightspeedXSource = {
  id: 'lightspeed-x',
  name: 'Lightspeed Retail (X-Series)',
  kind: 'pos',
  auth: 'oauth-or-token',
  settings: LightspeedXSettingsSchema,
} as const satisfies SourceInfo<'lightspeed-x'>;
