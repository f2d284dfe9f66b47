// Lightspeed Retail (R-Series): the source's pure half (id, name, kind, auth, stored settings). Its mapper is
// shared/capture/lightspeed-r/; its connector, webhook and connect steps are main/sources/lightspeed-r/.
import { z } from 'zod';
import { connectorSettings, settingsUrl, type SourceInfo } from '../source-info';

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

export const lightspeedRSource = {
  id: 'lightspeed-r',
  name: 'Lightspeed Retail (R-Series)',
  kind: 'pos',
  auth: 'oauth',
  settings: LightspeedRSettingsSchema,
} as const satisfies SourceInfo<'lightspeed-r'>;
