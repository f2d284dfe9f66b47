// Which secret store the Electron app uses. safeStorage seals with the OS keychain — except on
// Linux without a keyring (no gnome-keyring/KWallet), where Chromium falls back to "basic_text":
// a fixed, public key, i.e. no protection at all. Then the app's own store (AES-256-GCM with a
// 0600 key file in the 0700 data dir, the same as browser mode) is used instead, with a loud
// warning in the log. Pure logic on an injected safeStorage, so it is tested without Electron.
import type { SafeStorageLike } from './safe-storage-secret-store';

export interface SafeStorageProbe extends SafeStorageLike {
  /** Linux only (Electron ≥ 30): basic_text | gnome_libsecret | kwallet | kwallet5 | kwallet6 | unknown. */
  getSelectedStorageBackend?(): string;
}

export type SecretBackendChoice = { store: 'safe-storage'; backend: string } | { store: 'file'; reason: string };

/** Backends that do not really encrypt (basic_text) or that we cannot vouch for (unknown). */
const WEAK_LINUX_BACKENDS = new Set(['basic_text', 'unknown']);

export function chooseSecretBackend(safe: SafeStorageProbe, platform: NodeJS.Platform = process.platform): SecretBackendChoice {
  if (!safe.isEncryptionAvailable()) {
    return { store: 'file', reason: 'the operating system keychain is not available to safeStorage' };
  }
  if (platform !== 'linux') return { store: 'safe-storage', backend: platform === 'darwin' ? 'keychain' : 'dpapi' };
  const backend = safe.getSelectedStorageBackend?.() ?? 'unknown';
  if (WEAK_LINUX_BACKENDS.has(backend)) {
    return {
      store: 'file',
      reason: `safeStorage would use the "${backend}" backend (no keyring: a fixed key anyone can use to decrypt); install and unlock gnome-keyring or KWallet for keychain protection`,
    };
  }
  return { store: 'safe-storage', backend };
}

/** The log line for a choice: loud when secrets are not protected by the OS keychain. */
export function describeSecretBackend(choice: SecretBackendChoice): string {
  return choice.store === 'safe-storage'
    ? `secrets: sealed by the OS keychain (safeStorage, ${choice.backend})`
    : `WARNING secrets: NOT using the OS keychain — ${choice.reason}. Secrets are sealed with the app's own key file (readable only by this user) instead.`;
}
