// What the manager fills in on Settings to connect a source, described once in the source's pure
// half (shared/sources/<id>/source.ts) so the settings screen renders from the descriptor, not
// from vendor names. `text` and `list` fields are keys of the source's stored settings (checked
// by its settings schema); `secret` fields are credentials that go to the encrypted secret store
// and are never shown again (only whether they are set).

/** The credentials settings.update takes; main keeps each in the secret store. */
export const CREDENTIAL_KEYS = ['accessToken', 'refreshToken', 'clientSecret', 'webhookSecret'] as const;
export type CredentialKey = (typeof CREDENTIAL_KEYS)[number];

interface FieldBase {
  readonly label: string;
  /** One line under the field: where the manager finds the value. */
  readonly help: string;
  /** The settings cannot be saved without it (first connect). */
  readonly required?: boolean;
}

export interface TextField extends FieldBase {
  readonly kind: 'text';
  readonly key: string;
  readonly placeholder?: string;
}

/** Several values (ids), typed separated by commas or spaces, stored as a string array. */
export interface ListField extends FieldBase {
  readonly kind: 'list';
  readonly key: string;
  readonly placeholder?: string;
}

export interface SecretField extends FieldBase {
  readonly kind: 'secret';
  readonly key: CredentialKey;
  /** Settings this credential decides when given (a personal token means `auth: 'token'`). */
  readonly sets?: Readonly<Record<string, string>>;
}

export type SettingsField = TextField | ListField | SecretField;

/** Stored settings keys the fields fill in, directly or through a secret's `sets`. */
export function settingsKeysOf(fields: readonly SettingsField[]): Set<string> {
  const keys = new Set<string>();
  for (const f of fields) {
    if (f.kind === 'secret') for (const k of Object.keys(f.sets ?? {})) keys.add(k);
    else keys.add(f.key);
  }
  return keys;
}
