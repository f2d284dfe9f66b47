// Lightspeed Retail (R-Series): the source's pure half (id, name, kind, auth, stored settings). Its mapper is
// shared/capture/lightspeed-r/; its connector, webhook and connect steps are main/sources/lightspeed-r/.
import { z } from 'zod';
import { connectorSettings, settingsUrl, type SourceInfo } from '../source-info';
import type { SettingsField } from '../settings-fields';

export const LightspeedRSettingsSchema = connectorSettings('lightspeed-r', {
  accountId: z.string().regex(/^\d+$/, 'must be the numeric account id'),
  baseUrl: settingsUrl.default('https://api.lightspeedapp.com'),
  authUrl: settingsUrl.default('https://cloud.lightspeedapp.com'),
  clientId: z.string().min(1),
  /** Only sales of this shop are captured (all shops when absent). */
  shopId: z.string().regex(/^\d+$/).optional(),
  overlapMinutes: z
    .number()
    .min(0)
    .max(7 * 24 * 60)
    .default(60),
  pageSize: z.number().int().min(1).max(100).default(100),
});

/** Settings → Point of sale: the account, the OAuth client and its refresh token (the code step itself: `taxpoynt-pos connect lightspeed-r --authorize`). */
export const LIGHTSPEED_R_FIELDS = [
  {
    kind: 'text',
    key: 'accountId',
    label: 'Account id',
    help: 'The numeric account id (in the Retail address after /accounts/)',
    required: true,
  },
  { kind: 'text', key: 'clientId', label: 'Client id', help: 'Your API client in the Lightspeed developer portal', required: true },
  { kind: 'secret', key: 'clientSecret', label: 'Client secret', help: "The API client's secret", required: true },
  {
    kind: 'secret',
    key: 'refreshToken',
    label: 'Refresh token',
    help: 'From the approved OAuth grant (taxpoynt-pos connect lightspeed-r --authorize, then --code)',
    required: true,
  },
  { kind: 'text', key: 'shopId', label: 'Shop id', help: 'Only the sales of this shop (all shops when empty)' },
  { kind: 'text', key: 'baseUrl', label: 'API URL', help: 'Leave as is', placeholder: 'https://api.lightspeedapp.com' },
  { kind: 'text', key: 'authUrl', label: 'OAuth URL', help: 'Leave as is', placeholder: 'https://cloud.lightspeedapp.com' },
] as const satisfies readonly SettingsField[];

export const lightspeedRSource = {
  id: 'lightspeed-r',
  name: 'Lightspeed Retail (R-Series)',
  kind: 'pos',
  auth: 'oauth',
  settings: LightspeedRSettingsSchema,
  fields: LIGHTSPEED_R_FIELDS,
} as const satisfies SourceInfo<'lightspeed-r'>;
