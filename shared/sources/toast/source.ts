// Toast: the source's pure half (id, name, kind, auth, stored settings). Its mapper is
// shared/capture/toast/; its connector, webhook and connect steps are main/sources/toast/.
import { z } from 'zod';
import { connectorSettings, settingsUrl, type SourceInfo } from '../source-info';

export const ToastSettingsSchema = connectorSettings('toast', {
  /** Toast issues the API host per partner: required. */
  baseUrl: settingsUrl,
  clientId: z.string().min(1),
  restaurantGuid: z.string().min(1),
  overlapMinutes: z
    .number()
    .min(0)
    .max(7 * 24 * 60)
    .default(60),
  pageSize: z.number().int().min(1).max(100).default(100),
  /** Toast's window per ordersBulk request is limited; long outages are read in slices. */
  maxWindowHours: z
    .number()
    .min(1)
    .max(24 * 31)
    .default(24),
});

export const toastSource = {
  id: 'toast',
  name: 'Toast',
  kind: 'pos',
  auth: 'client-credentials',
  settings: ToastSettingsSchema,
} as const satisfies SourceInfo<'toast'>;
