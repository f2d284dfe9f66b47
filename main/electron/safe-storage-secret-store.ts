// Electron's variant of the secret store: each value sealed by safeStorage (DPAPI on Windows,
// Keychain on macOS, libsecret/kwallet on Linux), in the same file format as the AES store.
// Its own file name: a value sealed by the OS keychain cannot be read by the headless server.
import { join } from 'node:path';
import { SealedFileSecretStore, SecretStoreError, type Sealer } from '../app/file-secret-store';

/** The part of Electron's `safeStorage` used here (injected, so this module never imports electron). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export class SafeStorageSealer implements Sealer {
  readonly scheme = 'electron-safe-storage';
  constructor(private readonly safe: SafeStorageLike) {
    if (!safe.isEncryptionAvailable()) {
      throw new SecretStoreError('the operating system keychain is not available (safeStorage): cannot store secrets encrypted');
    }
  }

  // The name travels inside the sealed text, so a value moved to another name is detected.
  seal(name: string, clear: string): string {
    return this.safe.encryptString(JSON.stringify([name, clear])).toString('base64');
  }

  open(name: string, sealed: string): string {
    let pair: unknown;
    try {
      pair = JSON.parse(this.safe.decryptString(Buffer.from(sealed, 'base64')));
    } catch {
      throw new SecretStoreError(`secret ${name} cannot be decrypted by this user's keychain: it was written by another user or machine`);
    }
    if (!Array.isArray(pair) || pair[0] !== name || typeof pair[1] !== 'string') {
      throw new SecretStoreError(`secret ${name} does not belong to this name: the secrets file was altered`);
    }
    return pair[1];
  }
}

export const SAFE_SECRETS_FILE = 'secrets.safe.json';

export class SafeStorageSecretStore extends SealedFileSecretStore {
  constructor(dataDir: string, safe: SafeStorageLike) {
    super(join(dataDir, SAFE_SECRETS_FILE), new SafeStorageSealer(safe));
  }
}
