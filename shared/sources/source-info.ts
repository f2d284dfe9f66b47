// What every source of sales is, in pure terms: its id, the name people see, its kind, how it
// authenticates and the settings it stores. The I/O half (connector, webhook, CLI connect steps)
// is main/sources/<id>/source.ts; both are listed once, in shared/sources/registry.ts and
// main/sources/registry.ts (typed so a source missing from either is a compile error).
import { z } from 'zod';
import { MapOptionsSchema } from '../capture/outcome';
import type { SettingsField } from './settings-fields';

export const SOURCE_KINDS = ['pos', 'crm', 'register', 'manual', 'demo'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/**
 * How the source authenticates: `oauth-or-token` (OAuth code flow or a personal token),
 * `oauth` (code flow only), `client-credentials` (machine client id + secret), `api-key`,
 * `none` (local: till, files, a serial link).
 */
export const AUTH_KINDS = ['oauth-or-token', 'oauth', 'client-credentials', 'api-key', 'none'] as const;
export type AuthKind = (typeof AUTH_KINDS)[number];

/**
 * A source id as stored on sales, review items and capture state: lower-case letters, digits and
 * dashes. Which ids exist is the registry's business; the ledger accepts any well-formed one so a
 * source added to the registry needs no change to the sale schema.
 */
export { SourceIdSchema } from './source-id';

/** The fields every connector's settings carry, whatever the source. */
export const COMMON_CONNECTOR_SETTINGS = {
  /** Seconds between polls when healthy. */
  pollIntervalS: z.number().int().min(5).max(86_400).default(60),
  /** Options for the source's mapper (currency, TIN field, VAT rates…). */
  mapOptions: MapOptionsSchema.partial().optional(),
  enabled: z.boolean().default(true),
};

/** URLs in settings: http(s), trailing slashes dropped. */
export const settingsUrl = z
  .string()
  .regex(/^https?:\/\/[^\s/]+(:\d+)?(\/[^\s]*)?$/, 'must be an http(s) URL')
  .transform((u) => u.replace(/\/+$/, ''));

/** Settings a connector stores: always `vendor` = the source id, plus COMMON_CONNECTOR_SETTINGS. */
export type ConnectorSettingsSchema<Id extends string = string> = z.ZodType<
  { vendor: Id; pollIntervalS: number; enabled: boolean; mapOptions?: Record<string, unknown> | undefined },
  unknown
>;

export interface SourceInfo<Id extends string = string> {
  readonly id: Id;
  /** What people see (settings screen, CLI help). */
  readonly name: string;
  readonly kind: SourceKind;
  readonly auth: AuthKind;
  /** Stored connector settings (non-secret), validated at every boundary. Absent: nothing to connect (till, canonical files, demo). */
  readonly settings?: ConnectorSettingsSchema<Id>;
  /** What Settings asks for to connect it (settings-fields.ts); every POS source with settings has them. */
  readonly fields?: readonly SettingsField[];
}

/** A connector settings schema: `vendor` literal + the source's fields + the common ones, strict. */
export function connectorSettings<Id extends string, S extends z.ZodRawShape>(id: Id, shape: S) {
  return z.object({ vendor: z.literal(id), ...shape, ...COMMON_CONNECTOR_SETTINGS }).strict();
}
