// Where the sync's credentials live: the FIRS x-api-key/x-api-secret and the TaxPoynt cloud token
// are secrets (SecretStore, encrypted at rest); the base URLs are plain settings. The app builds
// the SyncService configuration from both here; nothing reads files or the environment itself.
import type { SecretStore } from '../app/secret-store';
import type { FirsConfig } from '../firs/firs-client';
import type { CloudConfig } from '../cloud/cloud-uploader';

export const SYNC_SECRET_NAMES = {
  // The names main/app/services.ts already reads.
  firsApiKey: 'firs.apiKey',
  firsApiSecret: 'firs.apiSecret',
  cloudToken: 'cloud.token',
} as const;

export interface SyncEndpoints {
  /** Sandbox, production or an access point provider's URL (from the NRS dashboard / the provider). */
  firsBaseUrl: string;
  /** The TaxPoynt cloud; no cloud upload when absent. */
  cloudBaseUrl?: string | undefined;
}

export class MissingCredentials extends Error {
  constructor(readonly missing: string[]) {
    super(`sync is not configured: ${missing.join(', ')} missing (Settings → FIRS/NRS and TaxPoynt cloud)`);
    this.name = 'MissingCredentials';
  }
}

export function syncConfigFromSecrets(secrets: SecretStore, endpoints: SyncEndpoints): { firs: FirsConfig; cloud?: CloudConfig } {
  const apiKey = secrets.get(SYNC_SECRET_NAMES.firsApiKey);
  const apiSecret = secrets.get(SYNC_SECRET_NAMES.firsApiSecret);
  const token = endpoints.cloudBaseUrl ? secrets.get(SYNC_SECRET_NAMES.cloudToken) : undefined;
  const missing = [
    ...(endpoints.firsBaseUrl ? [] : ['the FIRS base URL']),
    ...(apiKey ? [] : ['the FIRS API key']),
    ...(apiSecret ? [] : ['the FIRS API secret']),
    ...(endpoints.cloudBaseUrl && !token ? ['the TaxPoynt cloud token'] : []),
  ];
  if (missing.length > 0) throw new MissingCredentials(missing);
  return {
    firs: { baseUrl: endpoints.firsBaseUrl, apiKey: apiKey!, apiSecret: apiSecret! },
    ...(endpoints.cloudBaseUrl && token ? { cloud: { baseUrl: endpoints.cloudBaseUrl, token } } : {}),
  };
}

/** Stores new credentials (from the settings screen); only the ones given are changed. */
export function saveSyncSecrets(secrets: SecretStore, values: { firsApiKey?: string; firsApiSecret?: string; cloudToken?: string }): void {
  for (const [k, v] of Object.entries(values) as [keyof typeof SYNC_SECRET_NAMES, string | undefined][]) {
    if (v !== undefined) secrets.set(SYNC_SECRET_NAMES[k], v);
  }
}
