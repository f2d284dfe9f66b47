// `firs-check` (main/cli/commands/firs-check.ts) in-process: each missing or bad input is named
// before any request is made.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, setUpDataDir } from './run-in-process';
import { SYNC_ENV } from '../../main/cli/commands/sync';
import { tempDir } from '../support/fixture';

let saved: NodeJS.ProcessEnv;
beforeEach(() => {
  saved = { ...process.env };
  for (const v of Object.values(SYNC_ENV)) delete process.env[v];
});
afterEach(() => {
  process.env = saved;
});

describe('firs-check: bad input', () => {
  it('names the timeout, the set-up, the URL and the keys, in that order', async () => {
    const dir = setUpDataDir();
    const cases: [string, string[], RegExp][] = [
      [dir, ['--timeout-ms', '0'], /--timeout-ms: "0" is not a positive whole number/],
      [tempDir('tpos-fc-bare-'), [], /this terminal is not set up: run `taxpoynt-pos setup` first/],
      [dir, [], /--firs-url: required \(or set TAXPOYNT_FIRS_URL, or save it in Settings\)/],
      [dir, ['--firs-url', 'firs.example/api'], /--firs-url: "firs\.example\/api" is not an http\(s\) URL/],
      [dir, ['--firs-url', 'http://127.0.0.1:1'], /the FIRS API key and secret: set TAXPOYNT_FIRS_API_KEY and TAXPOYNT_FIRS_API_SECRET/],
    ];
    for (const [d, args, message] of cases) {
      const r = await runCli(d, ['firs-check', ...args]);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.code).toBe(2);
    }
    process.env[SYNC_ENV.firsUrl] = 'ftp://from-env';
    expect((await runCli(dir, ['firs-check'])).stderr).toMatch(/--firs-url: "ftp:\/\/from-env" is not an http\(s\) URL/);
  });
});
