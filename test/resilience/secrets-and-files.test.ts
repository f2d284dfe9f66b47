// Secrets and local files: owner-only modes on the data dir, ledger (with WAL/SHM) and secret
// files; the slower PIN KDF; serve's link printed once and rotated on request; Electron's fuses
// (checked statically: no Electron binary here) and the Linux safeStorage backend policy; the
// process guards and the supervisor with real child processes.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { scryptSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { openDatabase } from '../../main/ledger/database';
import { AppServices } from '../../main/app/services';
import { hashPin, ManagerPin } from '../../main/app/manager-pin';
import { AppSettings } from '../../main/app/settings';
import { chooseSecretBackend, describeSecretBackend, type SafeStorageProbe } from '../../main/electron/secret-backend';
import { Supervisor } from '../../main/server/supervisor';
import { BUSINESS, keyPair, tempDir } from '../support/fixture';
import { startServe } from './support';

const mode = (f: string) => statSync(f).mode & 0o777;
// electron-builder's own YAML reader (a dependency of the devDependency electron-builder): the same parse the build does.
const { load } = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

describe('local files are readable only by the owner', () => {
  it('data dir 0700; ledger.db, -wal, -shm, secrets.json, secrets.key 0600 — even with a permissive umask', async () => {
    const old = process.umask(0o022);
    try {
      const dataDir = join(tempDir(), 'store');
      const services = new AppServices({ dataDir, mode: 'browser', demoFeedMs: 0, log: () => undefined });
      await services.configure(BUSINESS, keyPair().keysFileJson, '246810');
      services.secrets.set('firs.apiSecret', 'x');
      expect(mode(dataDir)).toBe(0o700);
      for (const f of ['ledger.db', 'ledger.db-wal', 'ledger.db-shm', 'secrets.json', 'secrets.key'])
        expect(mode(join(dataDir, f)), f).toBe(0o600);
      await services.stop();
    } finally {
      process.umask(old);
    }
  });

  it('an existing ledger and folder from an older version (0644/0755) are tightened when opened', () => {
    const dir = join(tempDir(), 'old');
    openDatabase(join(dir, 'ledger.db')).close();
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'ledger.db'), 0o644);
    const db = openDatabase(join(dir, 'ledger.db'));
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, 'ledger.db'))).toBe(0o600);
    expect(mode(join(dir, 'ledger.db-wal'))).toBe(0o600);
    db.close();
  });
});

describe('the manager PIN hash', () => {
  it('uses scrypt N=2^15, p=2 (4× the old work) and upgrades an old N=2^14 hash of a 4-digit PIN on the next correct PIN', () => {
    const h = hashPin('2468');
    expect(h).toMatchObject({ algo: 'scrypt', N: 32768, r: 8, p: 2 });
    const db = openDatabase(join(tempDir(), 'ledger.db'));
    const settings = new AppSettings(db);
    const salt = Buffer.from('0123456789abcdef');
    settings.set('managerPin', {
      algo: 'scrypt',
      N: 16384,
      r: 8,
      p: 1,
      salt: salt.toString('base64'),
      hash: scryptSync('2468', salt, 32, { N: 16384, r: 8, p: 1 }).toString('base64'),
    });
    const pin = new ManagerPin(settings);
    expect(pin.check('1111').ok).toBe(false);
    expect(settings.get('managerPin')!.N).toBe(16384); // a wrong PIN changes nothing
    expect(pin.check('2468').ok).toBe(true);
    expect(settings.get('managerPin')).toMatchObject({ N: 32768, p: 2 });
    expect(pin.check('2468').ok).toBe(true); // a 4-digit PIN set before the 6-digit rule still unlocks
    db.close();
  });

  it('a new manager PIN is 6 to 8 digits; cashier PINs stay 4 to 8; the rule is checked before anything is written', async () => {
    const db = openDatabase(join(tempDir(), 'ledger.db'));
    const pin = new ManagerPin(new AppSettings(db));
    for (const short of ['2468', '24681']) expect(() => pin.set(short)).toThrow(/the manager PIN must be 6 to 8 digits/);
    expect(() => pin.set('123456789')).toThrow(/6 to 8 digits/);
    expect(pin.isSet()).toBe(false);
    pin.set('246810');
    expect(pin.check('246810')).toEqual({ ok: true });
    pin.setCashier('Ada', '1357');
    expect(pin.checkAny('1357')).toEqual({ ok: true, role: 'cashier', cashier: 'Ada' });
    expect(() => pin.setCashier('Bola', '135')).toThrow(/cashier's PIN must be 4 to 8 digits/);
    db.close();
    const dataDir = join(tempDir(), 'store');
    const services = new AppServices({ dataDir, mode: 'browser', demoFeedMs: 0, log: () => undefined });
    await expect(services.configure(BUSINESS, keyPair().keysFileJson, '2468')).rejects.toThrow(/manager PIN must be 6 to 8 digits/);
    expect(services.ledger.getBusiness()).toBeUndefined(); // nothing half set up
    await services.stop();
  });
});

describe('serve: the link with the secret', () => {
  it('is printed on first start only; --rotate-token prints a new one and the old one stops working', async () => {
    const dataDir = tempDir('tpos-token-');
    const first = await startServe(dataDir, [], {});
    const oldToken = first.token;
    expect(await first.stop()).toBe(0);

    // A plain restart (what a service manager does): no secret in its output.
    const { spawn: sp } = await import('node:child_process');
    const { CLI } = await import('../support/fixture');
    const quiet = sp(process.execPath, [CLI, '--data-dir', dataDir, 'serve'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    quiet.stdout!.on('data', (d) => {
      out += d;
    });
    quiet.stderr!.on('data', (d) => {
      out += d;
    });
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no start line:\n${out}`)), 30_000);
      quiet.stdout!.on('data', () => {
        // The start-up text ends with the Ctrl+C line: wait for all of it (it can arrive in pieces).
        if (/Listening on http:\/\/127\.0\.0\.1:\d+\//.test(out) && /Press Ctrl\+C to stop/.test(out)) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    expect(out).not.toContain(oldToken);
    expect(out).not.toMatch(/token=/);
    expect(out).toMatch(/--print-link/);
    quiet.kill('SIGTERM');
    await new Promise((r) => quiet.once('exit', r));

    const rotated = await startServe(dataDir, ['--rotate-token']);
    expect(rotated.token).not.toBe(oldToken);
    const res = (token: string) =>
      fetch(`${rotated.origin}/?token=${encodeURIComponent(token)}`, { redirect: 'manual' }).then((r) => r.status);
    expect(await res(oldToken)).toBe(401);
    expect(await res(rotated.token)).toBe(303);
    expect(await rotated.stop()).toBe(0);
  }, 120_000);
});

describe('Electron packaging and keychain (static: no Electron binary here)', () => {
  it('electron-builder.yml sets the fuses: RunAsNode, NODE_OPTIONS and inspect off; asar integrity and asar-only on', () => {
    const config = load(readFileSync('electron-builder.yml', 'utf8')) as Record<string, unknown>;
    expect(config.asar).toBe(true);
    const fuses = config.electronFuses as Record<string, unknown>;
    expect(fuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    // Every key is one electron-builder knows (a typo would be silently ignored at build time).
    const scheme = JSON.parse(readFileSync('node_modules/app-builder-lib/scheme.json', 'utf8')) as {
      definitions: { FuseOptionsV1: { properties: Record<string, unknown> } };
    };
    for (const k of Object.keys(fuses)) expect(Object.keys(scheme.definitions.FuseOptionsV1.properties), k).toContain(k);
  });

  const fakeSafe = (available: boolean, backend?: string): SafeStorageProbe => ({
    isEncryptionAvailable: () => available,
    encryptString: (s) => Buffer.from(s),
    decryptString: (b) => b.toString(),
    ...(backend ? { getSelectedStorageBackend: () => backend } : {}),
  });

  it("Linux safeStorage on basic_text (no keyring) is refused for the app's own store, with a loud warning", () => {
    const weak = chooseSecretBackend(fakeSafe(true, 'basic_text'), 'linux');
    expect(weak).toMatchObject({ store: 'file', reason: expect.stringMatching(/basic_text/) });
    expect(describeSecretBackend(weak)).toMatch(/^WARNING secrets: NOT using the OS keychain/);
    expect(chooseSecretBackend(fakeSafe(true, 'unknown'), 'linux').store).toBe('file');
    expect(chooseSecretBackend(fakeSafe(true), 'linux').store).toBe('file'); // an Electron without the probe: cannot vouch
    expect(chooseSecretBackend(fakeSafe(true, 'gnome_libsecret'), 'linux')).toEqual({ store: 'safe-storage', backend: 'gnome_libsecret' });
    expect(chooseSecretBackend(fakeSafe(true, 'kwallet6'), 'linux').store).toBe('safe-storage');
    expect(chooseSecretBackend(fakeSafe(true), 'darwin').store).toBe('safe-storage');
    expect(chooseSecretBackend(fakeSafe(false), 'win32').store).toBe('file');
  });
});

describe('process guards and the supervisor (real child processes)', () => {
  const node = (code: string) => spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });

  it('restarts a server that died after listening, with the reason logged; does not loop on one that never listened', async () => {
    const log: string[] = [];
    let spawned = 0;
    // First worker: listens, then crashes; second: listens and stays until told to stop.
    const sup = new Supervisor({
      log: (l) => log.push(l),
      restartDelayMs: 50,
      spawnWorker: (port) => {
        spawned++;
        if (spawned === 1) return node(`process.send({type:'listening',port:4321}); setTimeout(() => { throw new Error('boom'); }, 100);`);
        const second = node(
          `process.on('SIGTERM', () => process.exit(0)); process.send({type:'listening',port:${port}}); setInterval(() => {}, 1000);`,
        );
        second.on('message', () => {
          secondUp = port ?? -1;
        });
        return second;
      },
    });
    let secondUp: number | undefined;
    sup.start();
    const deadline = Date.now() + 20_000;
    while (secondUp === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(secondUp).toBe(4321); // restarted on the port the first one had
    expect(log.join('\n')).toMatch(/stopped unexpectedly \(exit code 1\); restarting it in 0\.1 s \(restart 1\)/);
    sup.stop('SIGTERM');
    expect(await sup.done).toBe(0);

    const never = new Supervisor({ log: (l) => log.push(l), restartDelayMs: 50, spawnWorker: () => node('process.exit(3)') });
    never.start();
    expect(await never.done).toBe(3);
    expect(log.at(-1)).toMatch(/did not start \(exit code 3\)/);
  }, 30_000);
});
