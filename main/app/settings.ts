// Non-secret app settings, kept in the ledger's settings table under `app.*` keys (so they travel
// with the ledger file), each validated by its own schema on read and on write.
import { z } from 'zod';
import type { Db } from '../ledger/database';
import { SettingsStore } from '../ledger/settings-store';
import { PrinterConfigSchema } from '../../shared/receipt/printer-config';
import { DEFAULT_STANDARD_VAT_RATE, MAX_KOBO, MAX_LEN } from '../../shared/domain/limits';
import { RegisterLinkSettingsSchema } from '../../shared/sources/register-link/settings';
import { DEFAULT_SYNC_TUNING, SyncTuningSchema } from '../sync/sync-tuning';

const PinHashSchema = z
  .object({ algo: z.literal('scrypt'), N: z.number().int(), r: z.number().int(), p: z.number().int(), salt: z.string(), hash: z.string() })
  .strict();

export const SETTINGS = {
  printer: PrinterConfigSchema,
  firs: z.object({ baseUrl: z.string().url().nullable() }).strict(),
  cloud: z.object({ baseUrl: z.string().url().nullable() }).strict(),
  serial: z.object({ path: z.string().nullable(), baudRate: z.number().int().positive() }).strict(),
  managerPin: PinHashSchema,
  /** One PIN per cashier (none on a single-till shop): LAN log-in as a cashier, never the manager area. */
  cashierPins: z.array(z.object({ name: z.string().trim().min(1).max(MAX_LEN.name), pin: PinHashSchema }).strict()).max(100),
  /** Who may do what (main/app/access-policy.ts): credit notes above this amount need the manager (null: no amount limit). */
  access: z.object({ refundLimitKobo: z.number().int().min(0).max(MAX_KOBO).nullable() }).strict(),
  /** The VAT rate STANDARD_VAT lines must carry (percent). */
  tax: z.object({ standardVatRate: z.string().regex(/^\d{1,2}(\.\d{1,4})?$/, 'must be a percentage like "7.5"') }).strict(),
  // Day closes (Z numbers) moved to their own append-only table: main/ledger/z-reports.ts.
  /** Register links (issue 16): serial/TCP links and receipt templates. */
  registerLink: RegisterLinkSettingsSchema,
  /** The sync's rate limit and reports in flight (bounds and why the defaults: main/sync/sync-tuning.ts). */
  sync: SyncTuningSchema,
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = z.output<(typeof SETTINGS)[K]>;

export const SETTING_DEFAULTS: { [K in SettingKey]?: SettingValue<K> } = {
  printer: PrinterConfigSchema.parse({}),
  firs: { baseUrl: null },
  cloud: { baseUrl: null },
  serial: { path: null, baudRate: 9600 },
  tax: { standardVatRate: DEFAULT_STANDARD_VAT_RATE },
  cashierPins: [],
  access: { refundLimitKobo: null },
  registerLink: RegisterLinkSettingsSchema.parse({}),
  sync: DEFAULT_SYNC_TUNING,
};

export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

export class AppSettings {
  private readonly store: SettingsStore;
  constructor(readonly db: Db) {
    this.store = new SettingsStore(db);
  }

  get<K extends SettingKey>(key: K): SettingValue<K> | undefined {
    const stored = this.store.get(`app.${key}`);
    if (stored === undefined) return SETTING_DEFAULTS[key] as SettingValue<K> | undefined;
    let json: unknown;
    try {
      json = JSON.parse(stored);
    } catch (e) {
      throw new SettingsError(`setting ${key} in the ledger is not JSON (${(e as Error).message})`);
    }
    const parsed = SETTINGS[key].safeParse(json);
    if (!parsed.success)
      throw new SettingsError(
        `setting ${key} in the ledger is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    return parsed.data as SettingValue<K>;
  }

  set<K extends SettingKey>(key: K, value: z.input<(typeof SETTINGS)[K]>): SettingValue<K> {
    const parsed = SETTINGS[key].safeParse(value);
    if (!parsed.success)
      throw new SettingsError(`${key}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(value)'}: ${i.message}`).join('; ')}`);
    this.store.set(`app.${key}`, JSON.stringify(parsed.data));
    return parsed.data as SettingValue<K>;
  }
}
