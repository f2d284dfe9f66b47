// Acceptance (issue 11, part 1) through the real bundled CLI, against the fake answering exactly
// like the real sandbox (HTTP 400 "error has occurred" envelopes):
// - a bad key pauses reporting: no invoice rejected, both still queued, said on stderr;
// - with the right key the good invoice is signed exactly once and the bad one is listed by
//   `sync-problems --json` as rejected with the platform's details — not duplicate, not dead;
// - a restored backup re-using an IRN with other content raises the collision alarm, marks nothing done.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, setupCli, simpleSale, tempDir } from '../support/fixture';
import { type FakeFirs, SANDBOX, startFakeFirs } from '../fakes/firs-server';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

// Asynchronous (not spawnSync): the fake lives in this process and must keep answering.
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

async function ingest(dir: string, sales: unknown[]): Promise<{ irn: string; invoice: Record<string, unknown> }[]> {
  const file = join(dir, `sales-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(sales));
  const r = await cli(dir, ['ingest', '--source', 'canonical', '--file', file]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { irn: string; invoice: Record<string, unknown> });
}

let firs: FakeFirs;
beforeEach(async () => {
  firs = await startFakeFirs(); // sandbox mode: the literal envelopes; one platform per test
});
afterEach(() => firs.close());

describe("acceptance: the real sandbox's answers", () => {
  it("a bad key pauses reporting (nothing rejected, both queued); the right key signs the good one once and lists the bad one with the platform's details", async () => {
    const dir = tempDir('tpos-sandbox-');
    expect(setupCli(dir).code).toBe(0);
    const [good, bad] = await ingest(dir, [simpleSale('sb-good'), simpleSale('sb-bad', '2150.00')]);
    const platformDetails = 'invoice_line.0.price.price_amount: must be greater than the unit cost declared for this item';
    firs.rejectIrns.set(bad!.irn, platformDetails);

    const wrong = { TAXPOYNT_FIRS_URL: firs.url, TAXPOYNT_FIRS_API_KEY: 'expired-key', TAXPOYNT_FIRS_API_SECRET: 'expired-secret' };
    let r = await cli(dir, ['sync', '--once'], wrong);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(SANDBOX.apiKeyRefused); // the platform's words, on the CLI
    expect(r.stderr).toMatch(/Reporting is paused: no invoice changes state/);
    const paused = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
      results: Record<string, number>;
      status: { authPaused: boolean; queueDepth: number; failures: number; deadLetters: number };
    };
    expect(paused.results).toMatchObject({ rejected: 0, dead: 0, done: 0, collision: 0 });
    expect(paused.status).toMatchObject({ authPaused: true, queueDepth: 2, failures: 0, deadLetters: 0 });
    r = await cli(dir, ['invoices', '--date', '2026-11-24', '--json']);
    expect((JSON.parse(r.stdout) as { status: string }[]).map((i) => i.status)).toEqual(['pending_report', 'pending_report']);
    expect(firs.signRequests.size).toBe(0);

    const right = { ...wrong, TAXPOYNT_FIRS_API_KEY: firs.apiKey, TAXPOYNT_FIRS_API_SECRET: firs.apiSecret };
    r = await cli(dir, ['sync', '--once'], right);
    expect(r.code, r.stderr).toBe(0);
    expect(firs.signed.get(good!.irn)?.count).toBe(1);
    expect(firs.signRequests.get(good!.irn)).toBe(1);
    expect(firs.signed.has(bad!.irn)).toBe(false);

    r = await cli(dir, ['sync-problems', '--json']);
    const problems = JSON.parse(r.stdout) as { irn: string; status: string; details: string; message: string; collision: boolean }[];
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ irn: bad!.irn, status: 'rejected', details: platformDetails, collision: false });
    expect(problems[0]!.message).not.toMatch(/already has|duplicate/i);
    r = await cli(dir, ['sync-attempts', bad!.irn]);
    expect((JSON.parse(r.stdout) as { outcome: string }[]).map((a) => a.outcome)).toEqual(['rejected']); // the paused pass claimed nothing
  }, 120_000);

  it('a restored backup re-using an IRN for other content raises the collision alarm and marks nothing done', async () => {
    const dir = tempDir('tpos-collision-');
    expect(setupCli(dir).code).toBe(0);
    const [ours] = await ingest(dir, [simpleSale('restored-1', '1075.00')]);
    // The platform already holds this IRN for another sale (same number, business and day; other amounts).
    const theirs = structuredClone(ours!.invoice) as { legal_monetary_total: Record<string, number> };
    theirs.legal_monetary_total = {
      line_extension_amount: 4000,
      tax_exclusive_amount: 4000,
      tax_inclusive_amount: 4300,
      payable_amount: 4300,
    };
    firs.preload(ours!.irn, theirs);

    const env = { TAXPOYNT_FIRS_URL: firs.url, TAXPOYNT_FIRS_API_KEY: firs.apiKey, TAXPOYNT_FIRS_API_SECRET: firs.apiSecret };
    let r = await cli(dir, ['sync', '--once'], env);
    const pass = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
      results: Record<string, number>;
      status: { collisions: number; lastError: string };
    };
    expect(pass.results).toMatchObject({ done: 0, collision: 1 });
    expect(pass.status.collisions).toBe(1);
    expect(pass.status.lastError).toContain('IRN COLLISION');
    expect(r.stderr).toContain('IRN COLLISION'); // the log, loudly
    expect(firs.signRequests.get(ours!.irn)).toBeUndefined(); // never signed over the platform's record

    r = await cli(dir, ['sync-problems', '--json']);
    const [p] = JSON.parse(r.stdout) as { irn: string; status: string; collision: boolean; message: string; details: string }[];
    expect(p).toMatchObject({ irn: ours!.irn, status: 'rejected', collision: true });
    expect(p!.details).toContain("payable_amount: ours 1075, the platform's 4300");
    expect(p!.message).toMatch(/restored backup.*same terminal code.*Stop issuing/);
    r = await cli(dir, ['invoices', '--date', '2026-11-24', '--json']);
    expect((JSON.parse(r.stdout) as { status: string }[])[0]!.status).not.toBe('reported');

    // Asked again, the platform decides again: still a collision, still not done.
    expect((await cli(dir, ['sync-requeue', ours!.irn])).code).toBe(0);
    r = await cli(dir, ['sync', '--once'], env);
    expect((JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { results: Record<string, number> }).results).toMatchObject({
      done: 0,
      collision: 1,
    });
  }, 120_000);
});
