// A stop signal that arrives while browser mode is still starting — a supervisor stopping `serve`
// right after the link was printed — stops the server cleanly. The handlers used to go in only
// after start-up, so such a SIGTERM killed the server process by default and the supervisor
// reported "killed by SIGTERM" as exit code 1 (seen as a flaky `serve` stop under load).
// Driven in a child process: runBrowserMode talks to its parent over IPC when it has one, and a
// test worker's parent is vitest.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildSync } from 'esbuild';
import { tempDir } from '../support/fixture';

const DRIVER = `
import { EventEmitter } from 'node:events';
import { runBrowserMode } from './main/server/browser-mode';
const signals = new EventEmitter();
const timer = setTimeout(() => { console.log('still running 20 s after SIGTERM'); process.exit(3); }, 20_000);
runBrowserMode({
  dataDir: process.argv[2],
  print: (line) => {
    console.log(line);
    // The signal comes at the earliest moment a test (or an operator) can send it.
    if (line.startsWith('Open: ')) signals.emit('SIGTERM');
  },
}, signals).then(() => { clearTimeout(timer); console.log('stopped cleanly'); });
`;

describe('serve: a stop signal during start-up', () => {
  it('SIGTERM as the link is printed stops the server cleanly (exit 0), not by the default action', () => {
    const dir = tempDir('tpos-stop-signal-');
    // Inside the repository, so that the external native modules resolve from node_modules.
    const driver = join(process.cwd(), 'dist', 'test', 'serve-stop-driver.cjs');
    const out = buildSync({
      stdin: { contents: DRIVER, resolveDir: process.cwd(), loader: 'ts' },
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['better-sqlite3', 'serialport', '@serialport/*', 'pdfkit', 'electron'],
      write: false,
      logLevel: 'warning',
    });
    mkdirSync(dirname(driver), { recursive: true });
    writeFileSync(driver, out.outputFiles[0]!.text);
    const r = spawnSync(process.execPath, [driver, join(dir, 'data')], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Open: http:\/\/127\.0\.0\.1:\d+\/\?token=/m);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('stopped cleanly');
    expect({ status: r.status, signal: r.signal }).toEqual({ status: 0, signal: null });
  }, 60_000);
});
