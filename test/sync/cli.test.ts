// The sync commands of the real bundled CLI against the fake FIRS/NRS and cloud servers:
// credentials from the environment, one pass, status, problems with details, requeue, bad flags.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, setupCli, simpleSale, tempDir } from '../support/fixture';
import { type FakeFirs, startFakeFirs } from '../fakes/firs-server';
import { type FakeCloud, startFakeCloud } from '../fakes/cloud-server';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

// Asynchronous (not spawnSync): the fake servers live in this process and must keep answering.
function cli(dir: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, '--data-dir', dir, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

let firs: FakeFirs;
let cloud: FakeCloud;
let dir: string;
let env: Record<string, string>;
const irns: string[] = [];

beforeAll(async () => {
  firs = await startFakeFirs();
  cloud = await startFakeCloud();
  dir = tempDir('tpos-sync-cli-');
  expect(setupCli(dir).code).toBe(0);
  const file = join(dir, 'sales.json');
  writeFileSync(file, JSON.stringify([simpleSale('cli-1'), simpleSale('cli-2'), simpleSale('cli-3')]));
  const r = await cli(dir, ['ingest', '--source', 'canonical', '--file', file]);
  expect(r.code).toBe(0);
  irns.push(
    ...r.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { irn: string }).irn),
  );
  env = { TAXPOYNT_FIRS_URL: firs.url, TAXPOYNT_FIRS_API_KEY: firs.apiKey, TAXPOYNT_FIRS_API_SECRET: firs.apiSecret };
});
afterAll(async () => {
  await firs.close();
  await cloud.close();
});

describe('taxpoynt-pos sync commands', () => {
  it('refuses missing or bad settings with exit 2 naming the flag', async () => {
    let r = await cli(dir, ['sync', '--once'], { TAXPOYNT_FIRS_URL: '', TAXPOYNT_FIRS_API_KEY: '', TAXPOYNT_FIRS_API_SECRET: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--firs-url: required \(or set TAXPOYNT_FIRS_URL\)/);
    r = await cli(dir, ['sync', '--firs-url', 'ftp://x', '--api-key', 'env:T_KEY', '--api-secret', 'env:T_SECRET'], {
      T_KEY: 'k',
      T_SECRET: 's',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--firs-url: "ftp:\/\/x" is not an http\(s\) URL/);
    // A secret as a literal flag value would show in `ps`: refused, naming the flag and the ways that work.
    r = await cli(dir, ['sync', '--once', '--api-secret', 'hunter2'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--api-secret: secrets are not taken as command-line values .* @FILE or --api-secret env:NAME, or set TAXPOYNT_FIRS_API_SECRET/,
    );
    r = await cli(dir, ['sync', '--once', '--cloud-url', cloud.url, '--cloud-token', 'tok'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--cloud-token: secrets are not taken as command-line values/);
    r = await cli(dir, ['sync', '--once', '--cloud-url', cloud.url], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--cloud-token: required/);
  });

  it('an unreachable platform: exit 1, a clear message, nothing lost', async () => {
    const r = await cli(dir, ['sync', '--once', '--firs-url', 'http://127.0.0.1:1'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/FIRS is unreachable .*connection refused.*3 reports wait in the queue/);
    const s = await cli(dir, ['sync-status', '--json']);
    expect(JSON.parse(s.stdout)).toMatchObject({ queueDepth: 3, failures: 0, deadLetters: 0 });
  });

  it('wrong credentials: exit 1 with the credentials message', async () => {
    const r = await cli(dir, ['sync', '--once', '--api-secret', 'env:WRONG_SECRET'], { ...env, WRONG_SECRET: 'wrong' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/refused the API credentials/);
    expect(firs.signed.size).toBe(0);
  });

  it('sync --once reports everything (one rejected with details) and uploads to the cloud', async () => {
    firs.rejectIrns.set(irns[1]!, 'accounting_supplier_party.tin: TIN not registered');
    writeFileSync(join(dir, 'cloud-token.txt'), `${cloud.token}\n`, { mode: 0o600 });
    const r = await cli(dir, ['sync', '--once', '--cloud-url', cloud.url, '--cloud-token', `@${join(dir, 'cloud-token.txt')}`], env);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as {
      sent: number;
      results: Record<string, number>;
      status: { queueDepth: number; failures: number };
    };
    expect(result.results).toMatchObject({ done: 2, rejected: 1 });
    expect(result.status).toMatchObject({ queueDepth: 0, failures: 1 });
    expect(firs.signed.has(irns[0]!) && firs.signed.has(irns[2]!)).toBe(true);
    expect(cloud.storedPerIrn.size).toBe(3);

    const problems = await cli(dir, ['sync-problems', '--json']);
    expect(JSON.parse(problems.stdout)).toMatchObject([
      { irn: irns[1], status: 'rejected', details: 'accounting_supplier_party.tin: TIN not registered' },
    ]);
    const text = await cli(dir, ['sync-problems']);
    expect(text.stdout).toContain('details: accounting_supplier_party.tin: TIN not registered');
    const attempts = await cli(dir, ['sync-attempts', irns[1]!]);
    const list = JSON.parse(attempts.stdout) as { outcome: string }[];
    // Unreachable, then refused. The wrong secret left no attempt: a credentials problem pauses the
    // queue before any job is claimed (issue 11: no invoice changes state).
    expect(list.map((a) => a.outcome)).toEqual(['retrying', 'rejected']);
    expect(list.at(-1)).toMatchObject({ http_status: 400, details: 'accounting_supplier_party.tin: TIN not registered' });
    const status = await cli(dir, ['sync-status']);
    expect(status.stdout).toMatch(/queue: 0 waiting\n.*\nrejected: 1 {2}dead letters: 0/);
  });

  it('sync-requeue puts a rejected report back; the next pass sends it once', async () => {
    let r = await cli(dir, ['sync-requeue', irns[0]!]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not rejected or dead-lettered \(its report state is done\)/);
    r = await cli(dir, ['sync-requeue', 'NOPE-94ND90NR-20261124']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no invoice NOPE/);
    firs.rejectIrns.clear();
    r = await cli(dir, ['sync-requeue', irns[1]!]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, state: 'pending' });
    r = await cli(dir, ['sync'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(irns.map((i) => firs.signed.get(i)?.count)).toEqual([1, 1, 1]);
    expect(JSON.parse((await cli(dir, ['sync-status', '--json'])).stdout)).toMatchObject({ queueDepth: 0, failures: 0 });
  });

  it('sync --watch reports new invoices until SIGTERM, then stops cleanly', async () => {
    const file = join(dir, 'more.json');
    writeFileSync(file, JSON.stringify(simpleSale('cli-watch')));
    const child = spawn(process.execPath, [CLI, '--data-dir', dir, 'sync', '--watch'], { env: { ...process.env, ...env } });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const ingested = await cli(dir, ['ingest', '--source', 'canonical', '--file', file]);
    const irn = (JSON.parse(ingested.stdout) as { irn: string }).irn;
    const end = Date.now() + 20_000;
    while (!firs.signed.has(irn) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(firs.signed.get(irn)?.count).toBe(1);
    expect(code).toBe(0);
    expect(
      stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { event: string })
        .at(-1),
    ).toMatchObject({ event: 'stopped', queueDepth: 0 });
  });
});
