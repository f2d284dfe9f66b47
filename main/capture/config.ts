// Connector settings (non-secret) per vendor, validated at the boundary. Secrets (client
// secrets, tokens, webhook keys) never appear here: they live in the SecretStore under
// capture.<vendor>.<name> (see tokens.ts).
import { z } from 'zod';
import type { Db } from '../ledger/database';
import { CaptureStore } from '../ledger/capture-store';
import { InvalidInput } from '../../shared/domain/sale';
import {
  SOURCES,
  type BuiltInConnectorConfig,
  type BuiltInConnectorConfigInput,
  type ConnectorConfigOf,
} from '../../shared/sources/registry';
import type { SourceInfo } from '../../shared/sources/source-info';
import type { BaseConnectorConfig } from '../sources/source';

// Each source's settings schema lives with the source (shared/sources/<id>/source.ts); which
// schema applies is the registry's lookup on `vendor`.
export type ConnectorConfig = BuiltInConnectorConfig;
export type ConnectorConfigInput = BuiltInConnectorConfigInput;
// The settings schemas under the names the connectors' tests know.
export { SquareSettingsSchema as SquareConfigSchema } from '../../shared/sources/square/source';
export { ToastSettingsSchema as ToastConfigSchema } from '../../shared/sources/toast/source';
export { LightspeedXSettingsSchema as LightspeedXConfigSchema } from '../../shared/sources/lightspeed-x/source';
export { LightspeedRSettingsSchema as LightspeedRConfigSchema } from '../../shared/sources/lightspeed-r/source';
export type SquareConfig = ConnectorConfigOf<'square'>;
export type ToastConfig = ConnectorConfigOf<'toast'>;
export type LightspeedXConfig = ConnectorConfigOf<'lightspeed-x'>;
export type LightspeedRConfig = ConnectorConfigOf<'lightspeed-r'>;

/** The sources whose settings can be stored: the built-in list, or a registry's infos (tests add their own). */
export type SettingsSources = readonly SourceInfo[];

export const WebhookConfigSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** Loopback by default: a shop terminal is not a public server. */
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65_535).default(8787),
    /** Binding beyond loopback must be asked for explicitly (requests are still signature-checked). */
    allowRemote: z.boolean().default(false),
  })
  .strict();
export type WebhookConfig = z.output<typeof WebhookConfigSchema>;

/** Validates settings with the schema of the source named by `vendor` (a clear error for an unknown one). */
export function parseConnectorConfig(input: unknown): ConnectorConfig;
export function parseConnectorConfig(input: unknown, sources: SettingsSources): BaseConnectorConfig;
export function parseConnectorConfig(input: unknown, sources: SettingsSources = SOURCES): BaseConnectorConfig {
  const vendor = input && typeof input === 'object' ? (input as { vendor?: unknown }).vendor : undefined;
  const connectable = sources.filter((s) => s.settings);
  const info = connectable.find((s) => s.id === vendor);
  if (!info?.settings) {
    throw new InvalidInput(
      `vendor: ${vendor === undefined ? 'required' : `"${String(vendor)}" is not a source with settings`} (one of ${connectable.map((s) => s.id).join(', ')})`,
    );
  }
  const r = info.settings.safeParse(input);
  if (!r.success) throw new InvalidInput(r.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; '));
  return r.data;
}

/** Connector settings kept in the ledger database (table capture_connector). */
export class ConnectorSettings {
  private readonly store: CaptureStore;
  /** On a connection, or on the app's data interface (main/ledger/data.ts); `sources` = the registry's infos (tests add their own). */
  constructor(
    source: Db | { readonly capture: CaptureStore },
    now: () => number = () => Date.now(),
    private readonly sources: SettingsSources = SOURCES,
  ) {
    this.store = 'capture' in source ? source.capture : new CaptureStore(source, now);
  }

  private parse(input: unknown): ConnectorConfig {
    // Typed as the built-in union; with a registry extended in tests it may be another source's settings.
    return parseConnectorConfig(input, this.sources) as ConnectorConfig;
  }

  save(config: ConnectorConfigInput | BaseConnectorConfig): ConnectorConfig {
    const parsed = this.parse(config);
    this.store.saveConnector(parsed.vendor, JSON.stringify(parsed), parsed.enabled);
    return parsed;
  }

  get(vendor: string): ConnectorConfig | undefined {
    const config = this.store.connector(vendor);
    return config === undefined ? undefined : this.parse(JSON.parse(config));
  }

  /** Every stored connector; one whose settings no longer validate is reported, not fatal. */
  listChecked(): { configs: ConnectorConfig[]; invalid: { vendor: string; error: string }[] } {
    const configs: ConnectorConfig[] = [];
    const invalid: { vendor: string; error: string }[] = [];
    for (const r of this.store.connectors()) {
      try {
        configs.push(this.parse(JSON.parse(r.config)));
      } catch (e) {
        invalid.push({ vendor: r.vendor, error: `stored settings are invalid (${(e as Error).message}): run connect ${r.vendor} again` });
      }
    }
    return { configs, invalid };
  }

  list(): ConnectorConfig[] {
    return this.store.connectors().map((r) => this.parse(JSON.parse(r.config)));
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
