// Connector settings (non-secret) per vendor, validated at the boundary. Secrets (client
// secrets, tokens, webhook keys) never appear here: they live in the SecretStore under
// capture.<vendor>.<name> (see tokens.ts).
import { z } from 'zod';
import { MapOptionsSchema } from '../../shared/capture/outcome';
import type { Db } from '../ledger/database';
import { CaptureStore } from '../ledger/capture-store';
import { InvalidInput } from '../../shared/domain/sale';

const url = z.string().regex(/^https?:\/\/[^\s/]+(:\d+)?(\/[^\s]*)?$/, 'must be an http(s) URL').transform((u) => u.replace(/\/+$/, ''));
const common = {
  /** Seconds between polls when healthy. */
  pollIntervalS: z.number().int().min(5).max(86_400).default(60),
  /** Options for the vendor's mapper (currency, TIN field, VAT rates…). */
  mapOptions: MapOptionsSchema.partial().optional(),
  enabled: z.boolean().default(true),
};

export const SquareConfigSchema = z.object({
  vendor: z.literal('square'),
  baseUrl: url.default('https://connect.squareup.com'),
  /** Square pins API behaviour per version: sent as Square-Version on every call. */
  squareVersion: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).default('2025-10-16'),
  /** 'oauth' (code flow or PKCE, refreshed) or 'token' (a personal access token). */
  auth: z.enum(['oauth', 'token']),
  clientId: z.string().min(1).optional(),
  /** true when the OAuth grant used PKCE (refresh without a client secret; refresh tokens rotate). */
  pkce: z.boolean().default(true),
  locationIds: z.array(z.string().min(1)).min(1, 'give at least one location id').max(10, 'Square searches at most 10 locations'),
  /** Offline orders can reach Square up to 72 h late: re-read this far behind the watermark. */
  overlapHours: z.number().min(0).max(24 * 30).default(72),
  /** Re-reading 72 h on every poll is wasteful: the full overlap runs this often (0 = every poll)… */
  deepScanEveryMinutes: z.number().min(0).max(24 * 60).default(60),
  /** …and other polls re-read only this far behind the watermark. */
  shortOverlapMinutes: z.number().min(0).max(24 * 60).default(10),
  pageSize: z.number().int().min(1).max(1000).default(500),
  /** The exact URL registered for the webhook subscription (Square signs URL + body). */
  notificationUrl: url.optional(),
  ...common,
}).strict();

export const ToastConfigSchema = z.object({
  vendor: z.literal('toast'),
  /** Toast issues the API host per partner: required. */
  baseUrl: url,
  clientId: z.string().min(1),
  restaurantGuid: z.string().min(1),
  overlapMinutes: z.number().min(0).max(7 * 24 * 60).default(60),
  pageSize: z.number().int().min(1).max(100).default(100),
  /** Toast's window per ordersBulk request is limited; long outages are read in slices. */
  maxWindowHours: z.number().min(1).max(24 * 31).default(24),
  ...common,
}).strict();

export const LightspeedXConfigSchema = z.object({
  vendor: z.literal('lightspeed-x'),
  domainPrefix: z.string().regex(/^[a-z0-9-]+$/i, 'must be the store\'s domain prefix, e.g. "adestores"'),
  /** Default https://{domainPrefix}.retail.lightspeed.app */
  baseUrl: url.optional(),
  auth: z.enum(['oauth', 'token']),
  clientId: z.string().min(1).optional(),
  /** Only sales of this outlet are captured (all outlets when absent). */
  outletId: z.string().min(1).optional(),
  pageSize: z.number().int().min(1).max(10_000).default(200),
  ...common,
}).strict();

export const LightspeedRConfigSchema = z.object({
  vendor: z.literal('lightspeed-r'),
  accountId: z.string().regex(/^\d+$/, 'must be the numeric account id'),
  baseUrl: url.default('https://api.lightspeedapp.com'),
  authUrl: url.default('https://cloud.lightspeedapp.com'),
  clientId: z.string().min(1),
  /** Only sales of this shop are captured (all shops when absent). */
  shopId: z.string().regex(/^\d+$/).optional(),
  overlapMinutes: z.number().min(0).max(7 * 24 * 60).default(60),
  pageSize: z.number().int().min(1).max(100).default(100),
  ...common,
}).strict();

export const ConnectorConfigSchema = z.discriminatedUnion('vendor', [
  SquareConfigSchema,
  ToastConfigSchema,
  LightspeedXConfigSchema,
  LightspeedRConfigSchema,
]);
export type ConnectorConfig = z.output<typeof ConnectorConfigSchema>;
export type ConnectorConfigInput = z.input<typeof ConnectorConfigSchema>;
export type SquareConfig = Extract<ConnectorConfig, { vendor: 'square' }>;
export type ToastConfig = Extract<ConnectorConfig, { vendor: 'toast' }>;
export type LightspeedXConfig = Extract<ConnectorConfig, { vendor: 'lightspeed-x' }>;
export type LightspeedRConfig = Extract<ConnectorConfig, { vendor: 'lightspeed-r' }>;

export const WebhookConfigSchema = z.object({
  enabled: z.boolean().default(false),
  /** Loopback by default: a shop terminal is not a public server. */
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).default(8787),
  /** Binding beyond loopback must be asked for explicitly (requests are still signature-checked). */
  allowRemote: z.boolean().default(false),
}).strict();
export type WebhookConfig = z.output<typeof WebhookConfigSchema>;

export function parseConnectorConfig(input: unknown): ConnectorConfig {
  const r = ConnectorConfigSchema.safeParse(input);
  if (!r.success) throw new InvalidInput(r.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; '));
  return r.data;
}

/** Connector settings kept in the ledger database (table capture_connector). */
export class ConnectorSettings {
  private readonly store: CaptureStore;
  /** On a connection, or on the app's data interface (main/ledger/data.ts). */
  constructor(source: Db | { readonly capture: CaptureStore }, now: () => number = () => Date.now()) {
    this.store = 'capture' in source ? source.capture : new CaptureStore(source, now);
  }

  save(config: ConnectorConfigInput): ConnectorConfig {
    const parsed = parseConnectorConfig(config);
    this.store.saveConnector(parsed.vendor, JSON.stringify(parsed), parsed.enabled);
    return parsed;
  }

  get(vendor: string): ConnectorConfig | undefined {
    const config = this.store.connector(vendor);
    return config === undefined ? undefined : parseConnectorConfig(JSON.parse(config));
  }

  /** Every stored connector; one whose settings no longer validate is reported, not fatal. */
  listChecked(): { configs: ConnectorConfig[]; invalid: { vendor: string; error: string }[] } {
    const configs: ConnectorConfig[] = [];
    const invalid: { vendor: string; error: string }[] = [];
    for (const r of this.store.connectors()) {
      try {
        configs.push(parseConnectorConfig(JSON.parse(r.config)));
      } catch (e) {
        invalid.push({ vendor: r.vendor, error: `stored settings are invalid (${(e as Error).message}): run connect ${r.vendor} again` });
      }
    }
    return { configs, invalid };
  }

  list(): ConnectorConfig[] {
    return this.store.connectors().map((r) => parseConnectorConfig(JSON.parse(r.config)));
  }

  webhooks(): WebhookConfig {
    const config = this.store.connector('webhooks');
    return WebhookConfigSchema.parse(config === undefined ? {} : JSON.parse(config));
  }

  saveWebhooks(input: unknown): WebhookConfig {
    const r = WebhookConfigSchema.safeParse(input);
    if (!r.success) throw new InvalidInput(r.error.issues.map((i) => `webhooks.${i.path.join('.')}: ${i.message}`).join('; '));
    this.store.saveConnector('webhooks', JSON.stringify(r.data), r.data.enabled);
    return r.data;
  }
}
