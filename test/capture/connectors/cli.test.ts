// `taxpoynt-pos connect / poll / capture-webhooks` as a shop's script would run them (the built
// CLI in a child process) against the loopback fakes, including a poll killed with SIGKILL while
// a page is in flight: the rerun has no gap and no duplicate.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, setupCli, tempDir } from '../../support/fixture';
import { FakeSquare, squareOrder } from '../../fakes/square-api';
import { FakeToast, toastOrder } from '../../fakes/toast-api';
import { openDatabase } from '../../../main/ledger/database';
import { ConnectorSettings } from '../../../main/capture/config';

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Async (the fakes live in this process: a blocking spawnSync would starve them). */
function run(dataDir: string, args: string[], onSpawn?: (kill: () => void) => void): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    onSpawn?.(() => child.kill('SIGKILL'));
  });
}
const json = (r: Run) =>
  r.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

let dir: string;
beforeEach(() => {
  dir = tempDir('tpos-capture-cli-');
  expect(setupCli(dir).code).toBe(0);
});

function count(source: string): number {
  const db = openDatabase(join(dir, 'ledger.db'));
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM invoices WHERE source = ?').get(source) as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('connect / poll (Square)', () => {
  let sq: FakeSquare;
  beforeEach(async () => {
    sq = new FakeSquare();
    await sq.start();
  });
  afterEach(() => sq.stop());

  it('PKCE in two steps, credentials stored encrypted, connection tested, then poll --once', async () => {
    const step1 = await run(dir, [
      'connect',
      'square',
      '--base-url',
      sq.url,
      '--client-id',
      sq.clientId,
      '--location',
      'L1',
      '--authorize',
      '--redirect-uri',
      'http://localhost:53682/cb',
    ]);
    expect(step1.code).toBe(0);
    const url = json(step1)[0]!.url as string;
    expect(new URL(url).searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const code = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!).searchParams.get('code')!;
    const step2 = await run(dir, ['connect', 'square', '--code', code]);
    expect(step2.stderr).toBe('');
    expect(json(step2)[0]).toMatchObject({ ok: true, vendor: 'square', saved: true, summary: expect.stringMatching(/MLFAKE123/) });
    const secretsFile = readFileSync(join(dir, 'secrets.json'), 'utf8');
    const access = [...sq.access.keys()][0]!;
    expect(secretsFile).toContain('capture.square.tokens');
    expect(secretsFile).not.toContain(access);

    sq.putOrder(squareOrder('CLI-1'), { updatedAt: Date.now() - 60_000 });
    sq.putOrder(squareOrder('CLI-2'), { updatedAt: Date.now() - 30_000 });
    const p = await run(dir, ['poll', 'square', '--once']);
    expect(p.code).toBe(0);
    expect(json(p)[0]).toMatchObject({ ok: true, vendor: 'square', sales: 2 });
    expect(json(await run(dir, ['poll', 'square', '--once']))[0]).toMatchObject({ sales: 0, fresh: 0 });
    expect(count('square')).toBe(2);
  });

  it('says what is wrong: bad token (exit 1), missing settings (exit 2), unknown vendor (exit 2), not connected (exit 2)', async () => {
    const literal = await run(dir, ['connect', 'square', '--base-url', sq.url, '--access-token', 'EAAA-literal', '--location', 'L1']);
    expect(literal.code).toBe(2); // a token on the command line shows in `ps`
    expect(literal.stderr).toMatch(/--access-token: secrets are not taken as command-line values/);
    writeFileSync(join(dir, 'wrong-token.txt'), 'EAAA-wrong\n');
    writeFileSync(join(dir, 't.txt'), 't\n');
    const bad = await run(dir, [
      'connect',
      'square',
      '--base-url',
      sq.url,
      '--access-token',
      `@${join(dir, 'wrong-token.txt')}`,
      '--location',
      'L1',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/connect square: bad_credentials: square: the access token was refused/);
    const noLoc = await run(dir, ['connect', 'lightspeed-x', '--access-token', `@${join(dir, 't.txt')}`]);
    expect(noLoc.code).toBe(2);
    expect(noLoc.stderr).toMatch(/domainPrefix/);
    expect((await run(dir, ['connect', 'clover'])).stderr).toMatch(
      /vendor: "clover" is not one of square, toast, lightspeed-x, lightspeed-r/,
    );
    const notConnected = await run(dir, ['poll', 'toast', '--once']);
    expect(notConnected.code).toBe(2);
    expect(notConnected.stderr).toMatch(/toast is not connected: run `taxpoynt-pos connect toast` first/);
  });

  it('poll without --once keeps polling, prints status lines, and stops cleanly on SIGTERM', async () => {
    writeFileSync(join(dir, 'square-token.txt'), sq.personalToken());
    const c = await run(dir, [
      'connect',
      'square',
      '--base-url',
      sq.url,
      '--access-token',
      `@${join(dir, 'square-token.txt')}`,
      '--location',
      'L1',
    ]);
    expect(c.code).toBe(0);
    sq.putOrder(squareOrder('LIVE-1'), { updatedAt: Date.now() - 60_000 });
    const r = await new Promise<Run>((resolve) => {
      const child = spawn(process.execPath, [CLI, '--data-dir', dir, 'poll', 'square'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      let signalled = false;
      child.stdout.on('data', (d) => {
        stdout += d;
        if (!signalled && /"lastResult"/.test(stdout)) {
          signalled = true;
          child.kill('SIGTERM');
        }
      });
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
    expect(r.code).toBe(0);
    expect(json(r).find((l) => l.lastResult)).toMatchObject({ vendor: 'square', state: 'idle', lastResult: { sales: 1 } });
    expect(json(r).at(-1)).toMatchObject({ state: 'stopped' });
    expect(count('square')).toBe(1);
  });

  it('capture-webhooks stores the receiver settings (off by default, loopback)', async () => {
    expect(json(await run(dir, ['capture-webhooks']))[0]).toMatchObject({ webhooks: { enabled: false, host: '127.0.0.1', port: 8787 } });
    expect(json(await run(dir, ['capture-webhooks', '--enable', '--port', '9911']))[0]).toMatchObject({
      webhooks: { enabled: true, port: 9911 },
    });
    expect((await run(dir, ['capture-webhooks', '--port', 'x'])).code).toBe(2);
  });
});

describe('poll killed mid-page (Toast)', () => {
  let toast: FakeToast;
  beforeEach(async () => {
    toast = new FakeToast();
    await toast.start();
  });
  afterEach(() => toast.stop());

  it('SIGKILL while page 2 is in flight: the rerun captures the rest, nothing twice', async () => {
    writeFileSync(join(dir, 'toast-secret.txt'), `${toast.clientSecret}\n`);
    const c = await run(dir, [
      'connect',
      'toast',
      '--base-url',
      toast.url,
      '--client-id',
      toast.clientId,
      '--client-secret',
      `@${join(dir, 'toast-secret.txt')}`,
      '--restaurant',
      toast.restaurantGuid,
    ]);
    expect(json(c)[0]).toMatchObject({ ok: true });
    const db = openDatabase(join(dir, 'ledger.db'));
    const settings = new ConnectorSettings(db);
    settings.save({ ...settings.get('toast')!, vendor: 'toast', pageSize: 2 } as Parameters<ConnectorSettings['save']>[0]);
    db.close();
    for (let i = 0; i < 5; i++) toast.putOrder(toastOrder(`KILL-${i}`), { modifiedAt: Date.now() - 10 * 60_000 + i });

    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let kill!: () => void;
    toast.beforeRoute = async (req) => {
      if (req.path === '/orders/v2/ordersBulk' && req.query.get('page') === '2') {
        kill(); // the process dies while the vendor is answering page 2
        await held;
      }
    };
    const killed = await run(dir, ['poll', 'toast', '--once'], (k) => (kill = k));
    expect(killed.signal).toBe('SIGKILL');
    release();
    toast.beforeRoute = undefined;
    expect(count('toast')).toBe(2); // page 1 was committed before the kill

    const rerun = await run(dir, ['poll', 'toast', '--once']);
    expect(rerun.code).toBe(0);
    expect(json(rerun)[0]).toMatchObject({ sales: 3 });
    expect(count('toast')).toBe(5);
    const verify = await run(dir, ['verify']);
    expect(json(verify)[0]).toMatchObject({ ok: true, count: 5 });
  });
});
