// The sync in a worker thread (SyncThreadHost + the bundled dist/main/sync-thread.cjs, built by
// scripts/build.mjs in the global setup): same exactly-once result, status pushed to the app's
// thread, requeue from the app's thread, and a worker that dies is restarted and finishes the job.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { SyncThreadHost } from '../../main/sync/sync-host';
import type { SyncStatus } from '../../main/sync/sync-service';
import { type FakeFirs, startFakeFirs } from '../fakes/firs-server';
import { issue, newLedger, quiet, waitFor, type TestLedger } from './helpers';

const SCRIPT = join(process.cwd(), 'dist', 'main', 'sync-thread.cjs');
let fake: FakeFirs;
let t: TestLedger;
let host: SyncThreadHost | undefined;

beforeEach(async () => {
  fake = await startFakeFirs({ latencyMs: () => Math.floor(Math.random() * 3) });
  t = newLedger();
});
afterEach(async () => {
  await host?.stop();
  await fake.close();
  t.db.close();
});

const make = () =>
  new SyncThreadHost({
    db: t.db,
    script: SCRIPT,
    firs: { baseUrl: fake.url, apiKey: fake.apiKey, apiSecret: fake.apiSecret, timeoutMs: 2_000 },
    backoff: { baseMs: 20, capMs: 200, maxAttempts: 5 },
    pollMs: 20,
    probeMs: 30,
    leaseMs: 1_000,
    ratePerSec: 1_000,
    burst: 100,
    restartMs: 50,
    log: quiet,
  });

describe('SyncThreadHost (sync in a worker thread)', () => {
  it('drains the queue exactly once; status is pushed to the app thread; stop awaits the worker', async () => {
    const invs = issue(t.ledger, 300);
    host = make();
    const seen: SyncStatus[] = [];
    host.on('change', (s) => seen.push(s));
    expect(host.status().queueDepth).toBe(300);
    host.start();
    await waitFor(() => host!.status().queueDepth === 0, 'drained by the worker thread');
    await host.stop();
    for (const inv of invs) expect(fake.signRequests.get(inv.irn)).toBe(1);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.at(-1)).toMatchObject({ queueDepth: 0, online: true });
    expect(host.reportState(invs[0]!.irn)).toMatchObject({ state: 'done', how: 'signed' });
  });

  it('requeue on the app thread wakes the worker; a rejected report is sent after the fix', async () => {
    const [bad] = issue(t.ledger, 1);
    fake.rejectIrns.set(bad!.irn, 'invoice_line.0.price.price_amount: must be positive');
    host = make();
    host.start();
    await waitFor(() => host!.status().failures === 1, 'rejected');
    expect(host.listProblems()[0]).toMatchObject({ irn: bad!.irn, details: 'invoice_line.0.price.price_amount: must be positive' });
    fake.rejectIrns.clear();
    expect(host.requeue(bad!.irn)).toBe(true);
    await waitFor(() => fake.signed.has(bad!.irn), 'sent after requeue');
    await waitFor(() => host!.status().failures === 0 && host!.status().queueDepth === 0, 'clean');
    expect(host.attempts(bad!.irn).map((a) => a.outcome)).toEqual(['rejected', 'signed']);
  });

  it('a worker that dies mid-drain is restarted and the queue still ends exactly once', async () => {
    const invs = issue(t.ledger, 400);
    host = make();
    host.start();
    await waitFor(() => fake.signed.size >= 50, 'some reported');
    const worker = (host as unknown as { worker: { terminate(): Promise<number> } }).worker;
    await worker.terminate(); // as if it crashed
    await waitFor(() => host!.status().queueDepth === 0, 'drained after the restart', 60_000);
    expect(fake.signed.size).toBe(400);
    for (const inv of invs) expect(fake.signRequests.get(inv.irn)).toBe(1);
  });
});
