// Secrets at rest: one JSON file of sealed values. Browser mode and the CLI seal with AES-256-GCM
// and a random key file readable only by the app's user; Electron seals with safeStorage (the OS
// keychain) through the same file format (main/electron/safe-storage-secret-store.ts).
// Each value is sealed with its name as associated data, so values cannot be swapped between names.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  chmodSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { SecretStore } from './secret-store';

export class SecretStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretStoreError';
  }
}

/** How a value is sealed; the file format around it is shared. */
export interface Sealer {
  readonly scheme: string;
  seal(name: string, clear: string): string;
  open(name: string, sealed: string): string;
}

interface SecretsFile {
  version: 1;
  scheme: string;
  entries: Record<string, string>;
}

const NAME = /^[A-Za-z0-9._:-]{1,100}$/;

/** Writes `data` to `file` durably and atomically: temp file, fsync, rename, fsync the folder. */
export function writeFileAtomic(file: string, data: string | Buffer, mode = 0o600): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', mode);
  try {
    try {
      writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    // A full disk (ENOSPC) must not leave half-written temp files behind.
    try {
      unlinkSync(tmp);
    } catch {
      /* never created or already renamed */
    }
    throw e;
  }
  if (process.platform !== 'win32') {
    const dirFd = openSync(dirname(file), 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  }
}

/**
 * Several processes share the file (the app, `poll`, `sync` from a script), and OAuth refresh
 * tokens rotate: a stale copy written back would lose the newest token. So reads reload the file
 * when it changed on disk, and writes re-read, merge and replace it under a lock file.
 */
export class SealedFileSecretStore implements SecretStore {
  private values = new Map<string, string>();
  private sealed = new Map<string, string>();
  private stamp = '';
  private readonly lockFile: string;

  constructor(
    readonly file: string,
    private readonly sealer: Sealer,
  ) {
    this.lockFile = `${file}.lock`;
    // Opened eagerly: a wrong key shows at start-up, not when a sync needs its token at 3 a.m.
    this.reloadIfChanged();
  }

  get(name: string): string | undefined {
    this.reloadIfChanged();
    return this.values.get(name);
  }

  set(name: string, value: string): void {
    if (!NAME.test(name)) throw new SecretStoreError(`secret name "${name}" must be 1-100 letters, digits or . _ : -`);
    if (typeof value !== 'string') throw new SecretStoreError(`secret ${name}: value must be a string`);
    const sealed = this.sealer.seal(name, value);
    this.withLock(() => {
      this.reloadIfChanged();
      this.persist(new Map(this.sealed).set(name, sealed));
      this.sealed.set(name, sealed);
      this.values.set(name, value);
    });
  }

  delete(name: string): void {
    this.withLock(() => {
      this.reloadIfChanged();
      if (!this.sealed.has(name)) return;
      const next = new Map(this.sealed);
      next.delete(name);
      this.persist(next);
      this.sealed.delete(name);
      this.values.delete(name);
    });
  }

  names(): string[] {
    this.reloadIfChanged();
    return [...this.values.keys()].sort();
  }

  /** Identity of the file on disk: every write is a rename, so the inode changes with it. */
  private static stampOf(file: string): string {
    try {
      const st = statSync(file);
      return `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw e;
    }
  }

  private reloadIfChanged(): void {
    const stamp = SealedFileSecretStore.stampOf(this.file);
    if (stamp === this.stamp) return;
    const values = new Map<string, string>();
    const sealed = new Map<string, string>();
    if (stamp) {
      let parsed: SecretsFile;
      try {
        parsed = JSON.parse(readFileSync(this.file, 'utf8')) as SecretsFile;
      } catch (e) {
        throw new SecretStoreError(
          `secrets file ${this.file} is not valid JSON (${(e as Error).message}); restore it from a backup or delete it and enter the credentials again`,
        );
      }
      if (parsed?.version !== 1 || typeof parsed.entries !== 'object' || parsed.entries === null) {
        throw new SecretStoreError(`secrets file ${this.file} has an unknown format`);
      }
      if (parsed.scheme !== this.sealer.scheme) {
        throw new SecretStoreError(
          `secrets file ${this.file} was sealed with ${parsed.scheme}, not ${this.sealer.scheme}: open it with the app that wrote it`,
        );
      }
      for (const [name, value] of Object.entries(parsed.entries)) {
        values.set(name, this.sealer.open(name, value));
        sealed.set(name, value);
      }
    }
    this.values = values;
    this.sealed = sealed;
    this.stamp = stamp;
  }

  private withLock(fn: () => void): void {
    mkdirSync(dirname(this.lockFile), { recursive: true });
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        closeSync(openSync(this.lockFile, 'wx', 0o600));
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        // A holder that died leaves its lock behind; a write takes milliseconds, so 30 s is stale.
        let age = 0;
        try {
          age = Date.now() - statSync(this.lockFile).mtimeMs;
        } catch {
          /* released between our open and stat: just try again */
        }
        if (age > 30_000) {
          try {
            unlinkSync(this.lockFile);
          } catch {
            /* another waiter removed it */
          }
          continue;
        }
        if (Date.now() > deadline)
          throw new SecretStoreError(`secrets file ${this.file} stayed locked by another process for 10 s (${this.lockFile})`);
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 15);
      }
    }
    try {
      fn();
      this.stamp = SealedFileSecretStore.stampOf(this.file);
    } finally {
      try {
        unlinkSync(this.lockFile);
      } catch {
        /* already gone */
      }
    }
  }

  private persist(entries: Map<string, string>): void {
    const body: SecretsFile = { version: 1, scheme: this.sealer.scheme, entries: Object.fromEntries(entries) };
    writeFileAtomic(this.file, JSON.stringify(body, null, 1));
  }
}

const KEY_BYTES = 32;

/** AES-256-GCM with a 32-byte key kept in `keyFile` (created 0600 on first use). */
export class AesGcmSealer implements Sealer {
  readonly scheme = 'aes-256-gcm';
  private readonly key: Buffer;

  constructor(readonly keyFile: string) {
    this.key = loadOrCreateKey(keyFile);
  }

  seal(name: string, clear: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(name));
    const data = Buffer.concat([cipher.update(clear, 'utf8'), cipher.final()]);
    return `v1:${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${data.toString('base64')}`;
  }

  open(name: string, sealed: string): string {
    const parts = sealed.split(':');
    if (parts.length !== 4 || parts[0] !== 'v1') throw new SecretStoreError(`secret ${name}: stored value has an unknown format`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(parts[1]!, 'base64'));
      decipher.setAAD(Buffer.from(name));
      decipher.setAuthTag(Buffer.from(parts[2]!, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(parts[3]!, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretStoreError(
        `secret ${name} cannot be decrypted with the key file ${this.keyFile}: the key file was replaced or corrupted, or the secrets file was altered. Restore the key file, or delete both files and enter the credentials again`,
      );
    }
  }
}

function loadOrCreateKey(keyFile: string): Buffer {
  if (!existsSync(keyFile)) {
    mkdirSync(dirname(keyFile), { recursive: true, mode: 0o700 });
    const key = randomBytes(KEY_BYTES);
    writeFileAtomic(keyFile, key.toString('base64') + '\n', 0o600);
    return key;
  }
  if (process.platform !== 'win32') {
    const mode = statSync(keyFile).mode & 0o777;
    // Others must not read it; tighten rather than refuse (a restore may have loosened it).
    if (mode & 0o077) chmodSync(keyFile, 0o600);
  }
  const text = readFileSync(keyFile, 'utf8').trim();
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(text) ? Buffer.from(text, 'base64') : Buffer.alloc(0);
  if (key.length !== KEY_BYTES) {
    throw new SecretStoreError(
      `key file ${keyFile} is corrupted: expected a base64 ${KEY_BYTES}-byte key, found ${key.length ? `${key.length} bytes` : 'something else'}`,
    );
  }
  return key;
}

export const SECRETS_FILE = 'secrets.json';
export const SECRETS_KEY_FILE = 'secrets.key';

/** The browser-mode / CLI store: `<dataDir>/secrets.json` sealed with `<dataDir>/secrets.key`. */
export class FileSecretStore extends SealedFileSecretStore {
  constructor(dataDir: string) {
    super(join(dataDir, SECRETS_FILE), new AesGcmSealer(join(dataDir, SECRETS_KEY_FILE)));
  }
}
