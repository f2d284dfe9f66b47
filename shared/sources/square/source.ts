// Square: the source's pure half (id, name, kind, auth, stored settings). Its mapper is
// shared/capture/square/; its connector, webhook and connect steps are main/sources/square/.
import { z } from 'zod';
import { connectorSettings, settingsUrl, type SourceInfo } from '../source-info';
import type { SettingsField } from '../settings-fields';

export const SquareSettingsSchema = connectorSettings('square', {
  baseUrl: settingsUrl.default('https://connect.squareup.com'),
  /** Square pins API behaviour per version: sent as Square-Version on every call. */
  squareVersion: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .default('2025-10-16'),
  /** 'oauth' (code flow or PKCE, refreshed) or 'token' (a personal access token). */
  auth: z.enum(['oauth', 'token']),
  clientId: z.string().min(1).optional(),
  /** true when the OAuth grant used PKCE (refresh without a client secret; refresh tokens rotate). */
  pkce: z.boolean().default(true),
  locationIds: z.array(z.string().min(1)).min(1, 'give at least one location id').max(10, 'Square searches at most 10 locations'),
  /** Offline orders can reach Square up to 72 h late: re-read this far behind the watermark. */
  overlapHours: z
    .number()
    .min(0)
    .max(24 * 30)
    .default(72),
  /** Re-reading 72 h on every poll is wasteful: the full overlap runs this often (0 = every poll)… */
  deepScanEveryMinutes: z
    .number()
    .min(0)
    .max(24 * 60)
    .default(60),
  /** …and other polls re-read only this far behind the watermark. */
  shortOverlapMinutes: z
    .number()
    .min(0)
    .max(24 * 60)
    .default(10),
  pageSize: z.number().int().min(1).max(1000).default(500),
  /** The exact URL registered for the webhook subscription (Square signs URL + body). */
  notificationUrl: settingsUrl.optional(),
});

/** Settings → Point of sale: a personal access token and the locations (OAuth apps connect with `taxpoynt-pos connect square --authorize`). */
export const SQUARE_FIELDS = [
  {
    kind: 'secret',
    key: 'accessToken',
    label: 'Access token',
    help: 'Developer Dashboard → your app → Credentials → Production access token',
    required: true,
    sets: { auth: 'token' },
  },
  {
    kind: 'list',
    key: 'locationIds',
    label: 'Location ids',
    help: 'Square Dashboard → Settings → Locations: the id of each location to capture (up to 10), separated by commas',
    placeholder: 'LXXXXXXXXXXXX, …',
    required: true,
  },
  {
    kind: 'text',
    key: 'baseUrl',
    label: 'API URL',
    help: 'Leave as is unless Square gave you another host',
    placeholder: 'https://connect.squareup.com',
  },
  {
    kind: 'text',
    key: 'notificationUrl',
    label: 'Webhook URL',
    help: 'Only with webhooks: the notification URL exactly as registered with Square (it signs URL + body)',
  },
  { kind: 'secret', key: 'webhookSecret', label: 'Webhook signature key', help: "Only with webhooks: the subscription's signature key" },
] as const satisfies readonly SettingsField[];

export const squareSource = {
  id: 'square',
  name: 'Square',
  kind: 'pos',
  auth: 'oauth-or-token',
  settings: SquareSettingsSchema,
  fields: SQUARE_FIELDS,
} as const satisfies SourceInfo<'square'>;
