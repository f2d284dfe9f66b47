// `sync`, `sync-status`, `sync-problems`, `sync-attempts`, `sync-requeue` (main/cli/commands/sync.ts)
// in-process on a real ledger: each bad flag is refused by name before the queue is touched, and a
// pass against a FIRS that does not answer (a closed loopback port) says so and exits 1.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleSale, tempDir } from '../support/fixture';
import { jsonLines, runCli, setUpDataDir } from './run-in-process';
import { SYNC_ENV } from '../../main/cli/commands/sync';

const KEY = 'TPOS_TEST_SYNC_KEY';
const SECRET = 'TPOS_TEST_SYNC_SECRET';
let saved: NodeJS.ProcessEnv;
beforeEach(() => {
  saved = { ...process.env };
  for (const v of Object.values(SYNC_ENV)) delete process.env[v];
  process.env[KEY] = 'key-123';
  process.env[SECRET] = 'secret-456';
});
afterEach(() => {
  process.env = saved;
});

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const creds = ['--api-key', `env:${KEY}`, '--api-secret', `env:${SECRET}`];

describe('sync: bad flags are named', () => {
  it.each([
    [['--once', '--watch', '--firs-url', 'http://127.0.0.1:1', ...creds], /--once and --watch: choose one/],
    [[...creds], /--firs-url: required \(or set TAXPOYNT_FIRS_URL\)/],
    [['--firs-url', 'ftp://firs.example', ...creds], /--firs-url: "ftp:\/\/firs\.example" is not an http\(s\) URL/],
    [['--firs-url', 'not a url', ...creds], /--firs-url: "not a url" is not an http\(s\) URL/],
    [['--firs-url', 'http://127.0.0.1:1', '--api-secret', `env:${SECRET}`], /--api-key: required \(or set TAXPOYNT_FIRS_API_KEY\)/],
    [
      ['--firs-url', 'http://127.0.0.1:1', '--api-key', 'plaintext', '--api-secret', `env:${SECRET}`],
      /--api-key: secrets are not taken as command-line values/,
    ],
    [
      ['--firs-url', 'http://127.0.0.1:1', '--api-key', 'env:TPOS_NOT_SET_ANYWHERE', '--api-secret', `env:${SECRET}`],
      /--api-key: environment variable TPOS_NOT_SET_ANYWHERE is not set/,
    ],
    [['--firs-url', 'http://127.0.0.1:1', ...creds, '--cloud-url', 'http://127.0.0.1:2'], /--cloud-token: required with --cloud-url/],
    [['--firs-url', 'http://127.0.0.1:1', ...creds, '--timeout-ms', '1.5'], /--timeout-ms: "1\.5" is not a positive whole number/],
    [['--firs-url', 'http://127.0.0.1:1', ...creds, '--rate-per-sec', 'fast'], /--rate-per-sec: "fast" is not a number/],
    [['--firs-url', 'http://127.0.0.1:1', ...creds, '--burst', ' '], /--burst: " " is not a number/],
    [['--firs-url', 'http://127.0.0.1:1', ...creds, '--concurrency', '100000'], /concurrency/],
  ] as [string[], RegExp][])('%j', async (args, message) => {
    const r = await runCli(setUpDataDir(), ['sync', ...args]);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
  });

  it('a cloud URL that is not http(s) is named too', async () => {
    process.env.TPOS_TEST_CLOUD = 'tok';
    const r = await runCli(setUpDataDir(), [
      'sync',
      '--firs-url',
      'http://127.0.0.1:1',
      ...creds,
      '--cloud-url',
      'file:///x',
      '--cloud-token',
      'env:TPOS_TEST_CLOUD',
    ]);
    expect(r.stderr).toMatch(/--cloud-url: "file:\/\/\/x" is not an http\(s\) URL/);
    expect(r.code).toBe(2);
  });
});

describe('sync against a FIRS that does not answer', () => {
  it('not set up: says so; set up with one invoice queued: FIRS unreachable, the report waits, exit 1', async () => {
    const bare = await runCli(tempDir('tpos-sync-bare-'), ['sync', '--firs-url', 'http://127.0.0.1:1', ...creds]);
    expect(bare.stderr).toMatch(/this terminal is not set up/);
    const dir = setUpDataDir();
    const sale = join(dir, 'sale.json');
    writeFileSync(sale, JSON.stringify(sampleSale()));
    const ing = await runCli(dir, ['ingest', '--source', 'canonical', '--file', sale]);
    expect(ing.stderr).toBe('');
    const [issued] = jsonLines(ing.stdout);
    const irn = String(issued!.irn);

    const r = await runCli(dir, [
      'sync',
      '--once',
      '--firs-url',
      `http://127.0.0.1:${await closedPort()}`,
      ...creds,
      '--timeout-ms',
      '2000',
    ]);
    expect(r.stderr).toMatch(/\nsync: FIRS is unreachable \(.*connection refused\); 1 reports wait in the queue\n$/);
    expect(r.code).toBe(1);
    expect(jsonLines(r.stdout)[0]).toMatchObject({ status: expect.objectContaining({ online: false, queueDepth: 1 }) });

    const attempts = jsonLines((await runCli(dir, ['sync-attempts', irn])).stdout)[0];
    expect(Array.isArray(attempts)).toBe(true);
    const requeue = await runCli(dir, ['sync-requeue', irn]);
    expect(requeue.stderr).toMatch(new RegExp(`IRN: ${irn} is not rejected or dead-lettered \\(its report state is \\w+\\)`));
    expect(requeue.code).toBe(2);
    expect((await runCli(dir, ['sync-status'])).stdout).toMatch(/^queue: 1 waiting\n/);
  });
});

describe('the queue commands', () => {
  it('sync-status and sync-problems, as text and JSON, on an empty queue', async () => {
    const dir = setUpDataDir();
    const text = await runCli(dir, ['sync-status']);
    expect(text.stdout).toMatch(/^queue: 0 waiting\noldest unreported B2C receipt: none \(\w+\)\nrejected: 0 {2}dead letters: 0\n$/);
    expect(jsonLines((await runCli(dir, ['sync-status', '--json'])).stdout)[0]).toMatchObject({
      queueDepth: 0,
      oldestUnreportedAgeS: null,
    });
    expect((await runCli(dir, ['sync-problems'])).stdout).toBe('');
    expect((await runCli(dir, ['sync-problems', '--json'])).stdout).toBe('[]\n');
  });

  it('sync-attempts and sync-requeue name an IRN that is not in the ledger', async () => {
    const dir = setUpDataDir();
    for (const cmd of ['sync-attempts', 'sync-requeue']) {
      const r = await runCli(dir, [cmd, 'INV001-94ND90NR-20261124']);
      expect(r.stderr).toMatch(/IRN: no invoice INV001-94ND90NR-20261124 in this ledger/);
      expect(r.code).toBe(2);
    }
  });
});
