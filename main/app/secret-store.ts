// Secrets (API keys, OAuth tokens, the FIRS api secret) are kept encrypted at rest and reach
// services only through this port. Implementations: Electron safeStorage, or (browser mode and
// the CLI) AES-256-GCM with a key file readable only by the app's user.
export interface SecretStore {
  get(name: string): string | undefined;
  /** Durable when it returns: a rotated refresh token must never be lost. */
  set(name: string, value: string): void;
  delete(name: string): void;
  /** Names only, never values: what the settings screen may show. */
  names(): string[];
}
