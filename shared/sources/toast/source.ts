// Toast: the source's pure half (id, name, kind, auth, stored settings). Its mapper is
// shared/capture/toast/; its connector, webhook and connect steps are main/sources/toast/.
import { z } from 'zod';
import { connectorSettings, settingsUrl, type SourceInfo } from '../source-info';
import type { SettingsField } from '../settings-fields';

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

/** Settings → Point of sale: the machine client Toast issued and the restaurant. */
export const TOAST_FIELDS = [
  {
    kind: 'text',
    key: 'baseUrl',
    label: 'API host',
    help: 'The API hostname Toast issued with your credentials',
    placeholder: 'https://ws-api.toasttab.com',
    required: true,
  },
  {
    kind: 'text',
    key: 'clientId',
    label: 'Client id',
    help: 'The machine client id Toast issued (Toast Web → Integrations → API access)',
    required: true,
  },
  { kind: 'secret', key: 'clientSecret', label: 'Client secret', help: "The machine client's secret", required: true },
  {
    kind: 'text',
    key: 'restaurantGuid',
    label: 'Restaurant GUID',
    help: 'The restaurant external id (GUID) of this location',
    placeholder: 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx',
    required: true,
  },
  { kind: 'secret', key: 'webhookSecret', label: 'Webhook secret', help: "Only with webhooks: the subscription's signing secret" },
] as const satisfies readonly SettingsField[];

export const toastSource = {
  id: 'toast',
  name: 'Toast',
  kind: 'pos',
  auth: 'client-credentials',
  settings: ToastSettingsSchema,
  fields: TOAST_FIELDS,
} as const satisfies SourceInfo<'toast'>;
