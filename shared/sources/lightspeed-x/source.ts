// Lightspeed Retail (X-Series): the source's pure half (id, name, kind, auth, stored settings). Its mapper is
// shared/capture/lightspeed-x/; its connector, webhook and connect steps are main/sources/lightspeed-x/.
import { z } from 'zod';
import { connectorSettings, settingsUrl, type SourceInfo } from '../source-info';
import type { SettingsField } from '../settings-fields';

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

/** Settings → Point of sale: the store and a personal token (OAuth apps connect with `taxpoynt-pos connect lightspeed-x --authorize`). */
export const LIGHTSPEED_X_FIELDS = [
  {
    kind: 'text',
    key: 'domainPrefix',
    label: 'Domain prefix',
    help: 'The first part of your store address: adestores for adestores.retail.lightspeed.app',
    placeholder: 'adestores',
    required: true,
  },
  {
    kind: 'secret',
    key: 'accessToken',
    label: 'Personal token',
    help: 'Setup → Personal tokens → Add personal token',
    required: true,
    sets: { auth: 'token' },
  },
  { kind: 'text', key: 'outletId', label: 'Outlet id', help: 'Only the sales of this outlet (all outlets when empty)' },
  { kind: 'text', key: 'baseUrl', label: 'API URL', help: 'Leave empty: https://<prefix>.retail.lightspeed.app' },
  { kind: 'secret', key: 'webhookSecret', label: 'Webhook secret', help: 'Only with webhooks: the secret that signs them' },
] as const satisfies readonly SettingsField[];

export const lightspeedXSource = {
  id: 'lightspeed-x',
  name: 'Lightspeed Retail (X-Series)',
  kind: 'pos',
  auth: 'oauth-or-token',
  settings: LightspeedXSettingsSchema,
  fields: LIGHTSPEED_X_FIELDS,
} as const satisfies SourceInfo<'lightspeed-x'>;
