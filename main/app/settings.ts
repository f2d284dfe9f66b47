// Non-secret app settings, kept in the ledger's settings table under `app.*` keys (so they travel
// with the ledger file), each validated by its own schema on read and on write.
import { z } from 'zod';
import type { Db } from '../ledger/database';
import { PrinterConfigSchema } from '../../shared/receipt/printer-config';
import { RegisterLinkSettingsSchema } from '../../shared/sources/register-link/settings';

const PinHashSchema = z.object({ algo: z.literal('scrypt'), N: z.number().int(), r: z.number().int(), p: z.number().int(), salt: z.string(), hash: z.string() }).strict();

export const SETTINGS = {
  printer: PrinterConfigSchema,
  firs: z.object({ baseUrl: z.string().url().nullable() }).strict(),
  cloud: z.object({ baseUrl: z.string().url().nullable() }).strict(),
  serial: z.object({ path: z.string().nullable(), baudRate: z.number().int().positive() }).strict(),
  managerPin: PinHashSchema,
  /** Register links (issue 16): serial/TCP links and receipt templates. */
  registerLink: RegisterLinkSettingsSchema,
  /** Z numbers are consecutive per ledger. */
  dayCloses: z.record(z.string(), z.object({ z_number: z.number().int(), closed_at: z.number().int() })),
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = z.output<(typeof SETTINGS)[K]>;

export const SETTING_DEFAULTS: { [K in SettingKey]?: SettingValue<K> } = {
  printer: PrinterConfigSchema.parse({}),
  firs: { baseUrl: null },
  cloud: { baseUrl: null },
  serial: { path: null, baudRate: 9600 },
  dayCloses: {},
  registerLink: RegisterLinkSettingsSchema.parse({}),
};

export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

export class AppSettings {
  constructor(private readonly db: Db) {}

  get<K extends SettingKey>(key: K): SettingValue<K> | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(`app.${key}`) as { value: string } | undefined;
    if (!row) return SETTING_DEFAULTS[key] as SettingValue<K> | undefined;
    const parsed = SETTINGS[key].safeParse(JSON.parse(row.value));
    if (!parsed.success) throw new SettingsError(`setting ${key} in the ledger is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return parsed.data as SettingValue<K>;
  }

  set<K extends SettingKey>(key: K, value: z.input<(typeof SETTINGS)[K]>): SettingValue<K> {
    const parsed = SETTINGS[key].safeParse(value);
    if (!parsed.success) throw new SettingsError(`${key}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(value)'}: ${i.message}`).join('; ')}`);
    this.db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(`app.${key}`, JSON.stringify(parsed.data));
    return parsed.data as SettingValue<K>;
  }
}
