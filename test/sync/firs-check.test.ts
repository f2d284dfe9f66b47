// `taxpoynt-pos firs-check` (issue 11, part 4) through the real CLI against the fake answering like
// the sandbox: everything passes for a good profile (samples validated, never signed); a broken
// profile field is reported by its path with the platform's words; a bad key stops at credentials.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUSINESS, CLI, keyPair, setupCli, tempDir } from '../support/fixture';
import { type FakeFirs, SANDBOX, startFakeFirs } from '../fakes/firs-server';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
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

function setupArgs(dir: string, over: Record<string, string> = {}): string[] {
  const keys = join(dir, 'crypto_keys.txt');
  writeFileSync(keys, keyPair().keysFileJson);
  const o = {
    name: BUSINESS.name,
    tin: BUSINESS.tin,
    'business-id': BUSINESS.business_id,
    'service-id': BUSINESS.service_id,
    keys,
    terminal: BUSINESS.terminal,
    email: BUSINESS.email,
    street: BUSINESS.street,
    city: BUSINESS.city,
    'postal-zone': BUSINESS.postal_zone,
    state: BUSINESS.state,
    lga: BUSINESS.lga,
    'default-hs-code': BUSINESS.default_hs_code,
    ...over,
  };
  return [
    'setup',
    ...Object.entries(o)
      .filter(([, v]) => v !== '')
      .flatMap(([k, v]) => [`--${k}`, v]),
  ];
}

let firs: FakeFirs;
let env: Record<string, string>;
beforeAll(async () => {
  firs = await startFakeFirs();
  env = { TAXPOYNT_FIRS_API_KEY: firs.apiKey, TAXPOYNT_FIRS_API_SECRET: firs.apiSecret, TAXPOYNT_FIRS_URL: '' };
});
afterAll(() => firs.close());

describe('taxpoynt-pos firs-check', () => {
  it('a complete profile passes every check; the samples are validated, never signed', async () => {
    const dir = tempDir('tpos-check-');
    expect(setupCli(dir).code).toBe(0);
    const r = await cli(dir, ['firs-check', '--firs-url', firs.url, '--json'], env);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { ok: boolean; steps: { name: string; ok: boolean }[] };
    expect(report.ok).toBe(true);
    expect(report.steps.map((s) => s.name)).toEqual([
      'health (GET /api)',
      'credentials (x-api-key / x-api-secret)',
      'business profile (NRS v1.1 fields and codes)',
      'IRN validation (POST /invoice/irn/validate)',
      'sample B2C invoice (POST /invoice/validate, never signed)',
      'sample B2B invoice (POST /invoice/validate, never signed)',
      'sample credit note (POST /invoice/validate, never signed)',
    ]);
    expect(firs.validated.size).toBe(3);
    expect(firs.signed.size).toBe(0);
    expect(firs.requests.some((q) => q.path.endsWith('/sign'))).toBe(false);
  }, 60_000);

  it("a deliberately broken profile field is reported by its path with the platform's words; exit 1", async () => {
    const dir = tempDir('tpos-check-');
    // NG-AB-ARO is in the shipped LGA list (setup accepts it) but not in this platform's list.
    const s = await cli(dir, setupArgs(dir, { state: 'NG-AB', lga: 'NG-AB-ARO', city: 'Arochukwu' }));
    expect(s.code, s.stderr).toBe(0);
    const r = await cli(dir, ['firs-check', '--firs-url', firs.url], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('PROBLEMS FOUND');
    expect(r.stdout).toMatch(
      /FAIL {2}business profile.*\n\s+accounting_supplier_party\.postal_address\.lga: "NG-AB-ARO" is not in the platform's lgas list/,
    );
    expect(r.stdout).toMatch(
      /FAIL {2}sample B2C invoice.*\n\s+accounting_supplier_party\.postal_address\.lga: NG-AB-ARO is not a valid lga \(the platform's words\)/,
    );
    expect(r.stdout).toMatch(/ok {4}health/);
  }, 60_000);

  it("a bad key fails at credentials with the platform's words and skips the rest", async () => {
    const dir = tempDir('tpos-check-');
    expect(setupCli(dir).code).toBe(0);
    const r = await cli(dir, ['firs-check', '--firs-url', firs.url], { ...env, TAXPOYNT_FIRS_API_KEY: 'wrong' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL {2}credentials/);
    expect(r.stdout).toContain(SANDBOX.apiKeyRefused);
    expect(r.stdout).toContain('skipped: they need working credentials');
  }, 60_000);

  it('bad input exits 2 naming what is missing', async () => {
    const dir = tempDir('tpos-check-');
    let r = await cli(dir, ['firs-check', '--firs-url', firs.url], env);
    expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(/not set up/)]);
    expect(setupCli(dir).code).toBe(0);
    r = await cli(dir, ['firs-check'], env);
    expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(/--firs-url: required/)]);
    r = await cli(dir, ['firs-check', '--firs-url', firs.url], { TAXPOYNT_FIRS_API_KEY: '', TAXPOYNT_FIRS_API_SECRET: '' });
    expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(/TAXPOYNT_FIRS_API_KEY/)]);
  }, 60_000);
});

describe('taxpoynt-pos setup: NRS v1.1 mandatory data', () => {
  it('is refused with exit 2 naming the flag without --state/--lga or a default classification', async () => {
    const dir = tempDir('tpos-setup-');
    let r = await cli(dir, setupArgs(dir, { state: '', lga: '' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--state, --lga: required/);
    r = await cli(dir, setupArgs(dir, { 'default-hs-code': '' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--default-hs-code or --default-isic-code: required/);
    r = await cli(dir, setupArgs(dir, { lga: 'NG-LA-ZZZ' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/lga: "NG-LA-ZZZ" is not in the NRS lgas list for NG-LA/);
    r = await cli(dir, ['status']);
    expect((JSON.parse(r.stdout) as { set_up: boolean }).set_up).toBe(false);
    // An LGA outside the shipped list's states: accepted by shape, with a warning saying so.
    r = await cli(dir, setupArgs(dir, { state: 'NG-KN', lga: 'NG-KN-KMC', city: 'Kano' }));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: lga: NG-KN-KMC was checked by its shape only/);
  }, 60_000);
});
