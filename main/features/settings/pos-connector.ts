// Settings → a POS connector's (or CRM's) settings: merged over what is stored, checked with the
// source's own settings schema, every problem named at its field (`pos.<vendor>.<key>`, the keys
// of the source's `fields` in shared/sources/<id>/source.ts), then written: settings first, then
// the credentials to the encrypted secret store. Nothing is written when anything is wrong.
import type { z } from 'zod';
import type { ParsedRequest } from '../../../shared/ipc/contract';
import { InvalidInput } from '../../../shared/domain/sale';
import { CREDENTIAL_KEYS, type CredentialKey, type SettingsField } from '../../../shared/sources/settings-fields';
import type { SecretStore } from '../../app/secret-store';
import type { AppServices } from '../../app/services';
import { ConnectorSettings } from '../../capture/config';
import { readTokens, secretName, writeTokens } from '../../capture/tokens';
import { BUILT_IN_SOURCES } from '../../sources/registry';

type PosUpdate = NonNullable<ParsedRequest<'settings.update'>['pos']>;

// CRMs describe no fields yet: a token means their token auth (HubSpot's private-app token, Pipedrive's API token).
const CRM_TOKEN_AUTH: Record<string, string> = { hubspot: 'private_app', pipedrive: 'api_token' };
/** Where each source keeps its webhook secret: HubSpot signs with the app's client secret, Pipedrive uses Basic user:password. */
const WEBHOOK_SECRET: Record<string, string> = { hubspot: 'client_secret', pipedrive: 'webhook_basic' };
const webhookSecretName = (vendor: string) => secretName(vendor, WEBHOOK_SECRET[vendor] ?? 'webhook_secret');

/** Which credentials are stored for a source (never their values). */
export function storedCredentials(secrets: SecretStore, vendor: string): CredentialKey[] {
  const names = new Set(secrets.names());
  let tokens;
  try {
    tokens = readTokens(secrets, vendor);
  } catch {
    tokens = undefined; // unreadable tokens count as not set: the manager enters them again
  }
  const set: Record<CredentialKey, boolean> = {
    // Tokens from an OAuth grant (refreshed on first use) connect as much as a personal token.
    accessToken: tokens !== undefined,
    refreshToken: tokens?.refreshToken !== undefined,
    clientSecret: names.has(secretName(vendor, 'client_secret')),
    webhookSecret: names.has(webhookSecretName(vendor)),
  };
  return CREDENTIAL_KEYS.filter((k) => set[k]);
}

/** `pos.<vendor>.<path>`: the name the settings screen puts an error under. */
const at = (vendor: string, path: readonly PropertyKey[]) => `pos.${vendor}${path.map((p) => `.${String(p)}`).join('')}`;

const required = (vendor: string, f: SettingsField) => `${at(vendor, [f.key])}: ${f.label} is required (${f.help})`;

function issueText(vendor: string, fields: readonly SettingsField[], issue: z.core.$ZodIssue, merged: Record<string, unknown>): string {
  const top = issue.path[0];
  // A setting a credential decides (auth) is the credential's problem: name the credential.
  const decidedBy = fields.find((f) => f.kind === 'secret' && top !== undefined && f.sets && String(top) in f.sets);
  if (decidedBy)
    return merged[String(top)] === undefined ? required(vendor, decidedBy) : `${at(vendor, [decidedBy.key])}: ${issue.message}`;
  const unknown = issue.code === 'unrecognized_keys' ? `: ${issue.keys.join(', ')}` : '';
  return `${at(vendor, issue.path)}: ${issue.message}${unknown}`;
}

/** Saves a connector's settings and credentials, or throws InvalidInput naming every bad field. */
export function savePosConnector(s: AppServices, pos: PosUpdate): void {
  const info = BUILT_IN_SOURCES.get(pos.vendor)?.info;
  if (!info?.settings) throw new InvalidInput(`pos.vendor: "${pos.vendor}" has no settings`);
  const fields = info.fields ?? [];
  const settings = new ConnectorSettings(s.data);
  const prev = settings.get(pos.vendor) as Record<string, unknown> | undefined;
  const creds = pos.credentials ?? {};
  const merged: Record<string, unknown> = { ...(prev ?? {}) };
  // null clears a stored value (an optional field emptied on the screen).
  for (const [k, v] of Object.entries(pos.config ?? {})) {
    if (v === null) delete merged[k];
    else merged[k] = v;
  }
  merged.vendor = pos.vendor;
  if (pos.baseUrl) merged.baseUrl = pos.baseUrl;
  if (pos.enabled !== undefined) merged.enabled = pos.enabled;
  for (const f of fields) {
    if (f.kind !== 'secret' || !f.sets || !creds[f.key]) continue;
    for (const [k, v] of Object.entries(f.sets)) if (pos.config?.[k] === undefined) merged[k] = v;
  }
  if (!info.fields && info.auth === 'oauth-or-token' && creds.accessToken && !pos.config?.auth)
    merged.auth = CRM_TOKEN_AUTH[pos.vendor] ?? 'token';

  // Everything is checked before anything is written: a refused update leaves the old settings whole.
  // A missing setting is named with the field's own words; a missing secret is left to "Test
  // connection" (settings such as a tax mapping can be kept while a secret is still to come).
  const problems: string[] = [];
  const missing = new Set<string>();
  for (const f of fields) {
    if (f.kind === 'secret' || !f.required || merged[f.key] !== undefined) continue;
    missing.add(f.key);
    problems.push(required(pos.vendor, f));
  }
  const r = info.settings.safeParse(merged);
  if (!r.success) {
    for (const issue of r.error.issues) {
      if (!missing.has(String(issue.path[0]))) problems.push(issueText(pos.vendor, fields, issue, merged));
    }
  }
  if (!r.success || problems.length) throw new InvalidInput(problems.join('; ') || `pos.${pos.vendor}: refused`);

  settings.save(r.data);
  if (creds.clientSecret) s.secrets.set(secretName(pos.vendor, 'client_secret'), creds.clientSecret);
  if (creds.webhookSecret) s.secrets.set(webhookSecretName(pos.vendor), creds.webhookSecret);
  if (creds.accessToken) writeTokens(s.secrets, pos.vendor, { accessToken: creds.accessToken });
  // A refresh token alone is spent on first use for a fresh access token.
  else if (creds.refreshToken) writeTokens(s.secrets, pos.vendor, { accessToken: '-', refreshToken: creds.refreshToken, expiresAt: 0 });
}
