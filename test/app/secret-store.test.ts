import { describe, expect, it } from 'vitest';
import { readFileSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { buildSync } from 'esbuild';
import { FileSecretStore, SecretStoreError, SECRETS_FILE, SECRETS_KEY_FILE } from '../../main/app/file-secret-store';
import { SafeStorageSecretStore, SAFE_SECRETS_FILE, type SafeStorageLike } from '../../main/electron/safe-storage-secret-store';
import { openDatabase } from '../../main/ledger/database';
import { AppSettings } from '../../main/app/settings';
import { ManagerPin } from '../../main/app/manager-pin';
import { tempDir } from '../support/fixture';

const CLEAR = 'sk_live_VERY-SECRET-token-123';

describe('FileSecretStore (AES-256-GCM, key file)', () => {
  it('round-trips, survives a reopen, and keeps only ciphertext on disk', () => {
    const dir = tempDir();
    const s = new FileSecretStore(dir);
    s.set('firs.apiSecret', CLEAR);
    s.set('cloud.token', 'tok-2');
    expect(s.get('firs.apiSecret')).toBe(CLEAR);
    const onDisk = readFileSync(join(dir, SECRETS_FILE), 'utf8');
    expect(onDisk).not.toContain(CLEAR);
    expect(onDisk).not.toContain(Buffer.from(CLEAR).toString('base64'));
    const reopened = new FileSecretStore(dir);
    expect(reopened.get('firs.apiSecret')).toBe(CLEAR);
    expect(reopened.names()).toEqual(['cloud.token', 'firs.apiSecret']);
    reopened.delete('cloud.token');
    expect(new FileSecretStore(dir).names()).toEqual(['firs.apiSecret']);
    // No temp files left behind by the atomic writes.
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it("two stores on one data dir see each other's writes: a rotated token is never overwritten by a stale copy", () => {
    const dir = tempDir();
    const app = new FileSecretStore(dir);
    const poller = new FileSecretStore(dir);
    app.set('firs.apiKey', 'k1');
    poller.set('lightspeed-x.refreshToken', 'rt-2'); // rotated by the poller process
    expect(app.get('lightspeed-x.refreshToken')).toBe('rt-2');
    app.set('cloud.token', 'c1'); // must merge, not write back its old view
    expect(new FileSecretStore(dir).names()).toEqual(['cloud.token', 'firs.apiKey', 'lightspeed-x.refreshToken']);
    poller.delete('firs.apiKey');
    expect(app.get('firs.apiKey')).toBeUndefined();
  });

  it('concurrent writers in separate processes lose nothing (lock file + merge)', async () => {
    const dir = tempDir();
    const script = join(tempDir(), 'secret-writer.cjs');
    buildSync({
      entryPoints: ['test/support/secret-writer.ts'],
      outfile: script,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      logLevel: 'warning',
    });
    new FileSecretStore(dir); // create the key file before the race
    const run = (id: string) =>
      new Promise<number | null>((resolve) => spawn(process.execPath, [script, dir, id, '40'], { stdio: 'inherit' }).once('exit', resolve));
    expect(await Promise.all([run('a'), run('b'), run('c')])).toEqual([0, 0, 0]);
    const names = new FileSecretStore(dir).names();
    expect(names).toHaveLength(3 * 40 + 1);
    expect(new FileSecretStore(dir).get('shared.refreshToken')).toMatch(/^[abc]-39$/);
    expect(readdirSync(dir).filter((f) => f.endsWith('.lock') || f.endsWith('.tmp'))).toEqual([]);
  });

  it('creates the key file readable only by its owner', () => {
    if (process.platform === 'win32') return;
    const dir = tempDir();
    new FileSecretStore(dir).set('a', 'b');
    expect(statSync(join(dir, SECRETS_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, SECRETS_FILE)).mode & 0o777).toBe(0o600);
  });

  it('a different key file gives a clear error naming the key file', () => {
    const dir = tempDir();
    new FileSecretStore(dir).set('firs.apiSecret', CLEAR);
    writeFileSync(join(dir, SECRETS_KEY_FILE), Buffer.alloc(32, 7).toString('base64'));
    expect(() => new FileSecretStore(dir)).toThrow(SecretStoreError);
    expect(() => new FileSecretStore(dir)).toThrow(/firs\.apiSecret cannot be decrypted with the key file .*secrets\.key/);
  });

  it('a corrupted key file is refused with a readable message', () => {
    const dir = tempDir();
    new FileSecretStore(dir).set('x', 'y');
    writeFileSync(join(dir, SECRETS_KEY_FILE), 'not a key!');
    expect(() => new FileSecretStore(dir)).toThrow(/key file .* is corrupted/);
    writeFileSync(join(dir, SECRETS_KEY_FILE), Buffer.alloc(16).toString('base64'));
    expect(() => new FileSecretStore(dir)).toThrow(/expected a base64 32-byte key, found 16 bytes/);
  });

  it('a value moved to another name is detected (name is authenticated)', () => {
    const dir = tempDir();
    const s = new FileSecretStore(dir);
    s.set('a', 'alpha');
    s.set('b', 'beta');
    const file = join(dir, SECRETS_FILE);
    const body = JSON.parse(readFileSync(file, 'utf8'));
    body.entries.a = body.entries.b;
    writeFileSync(file, JSON.stringify(body));
    expect(() => new FileSecretStore(dir)).toThrow(/secret a cannot be decrypted/);
  });

  it('refuses bad names and corrupt files clearly', () => {
    const dir = tempDir();
    expect(() => new FileSecretStore(dir).set('bad name!', 'x')).toThrow(/secret name "bad name!"/);
    writeFileSync(join(dir, SECRETS_FILE), '{oops');
    expect(() => new FileSecretStore(dir)).toThrow(/not valid JSON/);
  });
});

describe('SafeStorageSecretStore (Electron safeStorage, same format)', () => {
  // Electron's safeStorage cannot run here (no binary): an XOR "keychain" stands in for the OS call.
  const fakeSafe = (k: number): SafeStorageLike => ({
    isEncryptionAvailable: () => true,
    encryptString: (t) => Buffer.from(Buffer.from(t).map((c) => c ^ k)),
    decryptString: (b) => Buffer.from(b.map((c) => c ^ k)).toString(),
  });
  it('round-trips through the keychain and detects values moved between names', () => {
    const dir = tempDir();
    const s = new SafeStorageSecretStore(dir, fakeSafe(0x5a));
    s.set('cloud.token', CLEAR);
    expect(readFileSync(join(dir, SAFE_SECRETS_FILE), 'utf8')).not.toContain(CLEAR);
    expect(new SafeStorageSecretStore(dir, fakeSafe(0x5a)).get('cloud.token')).toBe(CLEAR);
    expect(() => new SafeStorageSecretStore(dir, fakeSafe(0x33))).toThrow(/cannot be decrypted by this user's keychain/);
  });
  it('refuses to run without an OS keychain', () => {
    expect(() => new SafeStorageSecretStore(tempDir(), { ...fakeSafe(1), isEncryptionAvailable: () => false })).toThrow(
      /keychain is not available/,
    );
  });
});

describe('settings and manager PIN', () => {
  it('stores typed settings in the ledger and the PIN only as a scrypt hash', () => {
    const db = openDatabase(join(tempDir(), 'ledger.db'));
    const settings = new AppSettings(db);
    expect(settings.get('printer')?.interface).toBe('virtual');
    expect(() => settings.set('serial', { path: '/dev/ttyS0', baudRate: -1 })).toThrow(/serial: baudRate/);
    settings.set('serial', { path: '/dev/ttyS0', baudRate: 19200 });
    expect(settings.get('serial')).toEqual({ path: '/dev/ttyS0', baudRate: 19200 });
    let t = 1_000_000;
    const pin = new ManagerPin(settings, () => t);
    expect(pin.isSet()).toBe(false);
    pin.set('432100');
    const raw = (db.prepare("SELECT value FROM settings WHERE key = 'app.managerPin'").get() as { value: string }).value;
    expect(raw).not.toContain('432100');
    expect(JSON.parse(raw).algo).toBe('scrypt');
    expect(pin.check('432100')).toEqual({ ok: true });
    for (let i = 0; i < 4; i++) expect(pin.check('0000')).toEqual({ ok: false, message: 'wrong PIN' });
    const fifth = pin.check('0000');
    expect(fifth.ok).toBe(false);
    expect(fifth.ok === false && fifth.retryAfterS).toBe(30);
    // Even the right PIN waits out the block.
    expect(pin.check('432100').ok).toBe(false);
    t += 31_000;
    expect(pin.check('432100')).toEqual({ ok: true });
    db.close();
  });
});
