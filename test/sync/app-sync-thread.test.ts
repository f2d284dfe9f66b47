// The app's FIRS sync runs in a worker thread (background-services.ts → SyncThreadHost), not on
// the till's thread: with this thread blocked outright — no event-loop turn at all — the backlog
// still drains, every invoice signed exactly once. The FIRS fake runs in a child process so that
// blocking this thread does not stop it either. Not timed: the drain is waited for with a deadline.
import { afterEach, expect, it } from 'vitest';
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { AppServices } from '../../main/app/services';
import { lagosIso } from '../../main/app/demo-store';
import { BUSINESS, keyPair, simpleSale, tempDir } from '../support/fixture';

const stops: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()!();
});

/** The FIRS fake (20 ms a request) in a child process; `signs()` asks it how often each IRN was signed. */
async function fakeFirsProcess(): Promise<{ url: string; key: string; secret: string; signs: () => Promise<Record<string, number>> }> {
  const out = join(tempDir('tpos-fake-firs-'), 'fake.cjs');
  buildSync({
    stdin: {
      contents: `import { startFakeFirs } from './test/fakes/firs-server';
        void startFakeFirs({ latencyMs: () => 20 }).then((f) => {
          process.on('message', () => process.send!({ signs: Object.fromEntries(f.signRequests) }));
          process.send!({ url: f.url, key: f.apiKey, secret: f.apiSecret });
        });`,
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: out,
    logLevel: 'warning',
  });
  const child: ChildProcess = fork(out, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  stops.push(() => void child.kill());
  const first = await new Promise<{ url: string; key: string; secret: string }>((r) => child.once('message', (m) => r(m as never)));
  const signs = () =>
    new Promise<Record<string, number>>((r) => {
      child.once('message', (m) => r((m as { signs: Record<string, number> }).signs));
      child.send('signs?');
    });
  return { ...first, signs };
}

it("the app's sync drains the backlog while the till's thread is blocked, each invoice signed once", async () => {
  const firs = await fakeFirsProcess();
  const services = new AppServices({ dataDir: tempDir(), mode: 'browser', demoFeedMs: 0, watchMs: 50, log: () => {} });
  stops.push(() => services.stop());
  await services.configure(BUSINESS, keyPair().keysFileJson, '246810');
  services.settings.set('firs', { baseUrl: firs.url });
  services.settings.set('sync', { ratePerSec: 1_000, burst: 100, concurrency: 16 });
  services.secrets.set('firs.apiKey', firs.key);
  services.secrets.set('firs.apiSecret', firs.secret);
  const at = lagosIso(new Date(Date.now() - 60_000));
  const irns = Array.from(
    { length: 150 },
    (_, i) => services.ledger.issue(simpleSale(`backlog-${i}`, '1075.00', { occurred_at: at })).invoice.irn,
  );
  services.start();
  expect(services.syncRunning).toBe(true);

  // Block this thread: a sync on it could not send, record or even receive an answer now.
  const open = () => services.jobs.counts().queueDepth;
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + 60_000;
  while (open() > 0 && Date.now() < deadline) Atomics.wait(cell, 0, 0, 20);
  expect(open()).toBe(0);

  const signs = await firs.signs();
  for (const irn of irns) expect(signs[irn], irn).toBe(1);
  expect(services.jobs.result(irns[0]!)).toMatchObject({ state: 'done', how: 'signed' });
});
