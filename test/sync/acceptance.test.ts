// Acceptance (issue #6): with the FIRS server down, 500 sales are issued; when it comes back all
// 500 are reported exactly once with no manual step, and the queue depth the UI shows returns to 0.
import { describe, expect, it } from 'vitest';
import { SyncService, type SyncStatus } from '../../main/sync/sync-service';
import { FakeFirs } from '../fakes/firs-server';
import { simpleSale } from '../support/fixture';
import { FAST_BACKOFF, newLedger, quiet, waitFor } from './helpers';

describe('acceptance: offline, then back', () => {
  it('500 sales issued while FIRS is down are all reported exactly once when it returns', async () => {
    const fake = new FakeFirs();
    await fake.up();
    const url = fake.url;
    await fake.down(); // the platform is unreachable from the start: connections are refused
    const t = newLedger();
    const s = new SyncService({
      db: t.db,
      ledger: t.ledger,
      firs: { baseUrl: url, apiKey: fake.apiKey, apiSecret: fake.apiSecret, timeoutMs: 2_000 },
      backoff: FAST_BACKOFF,
      pollMs: 20,
      probeMs: 50,
      ratePerSec: 1_000,
      burst: 50,
      log: quiet,
    });
    const seen: SyncStatus[] = [];
    s.on('change', (st) => seen.push(st));
    try {
      s.start();
      const irns: string[] = [];
      for (let i = 0; i < 500; i++) {
        irns.push(t.ledger.issue(simpleSale(`offline-${i}`, `${200 + i}.00`)).invoice.irn); // one sale at a time, as the till does
        if (i % 100 === 0) await new Promise((r) => setTimeout(r, 30)); // the worker meanwhile meets the refused connection
      }
      await waitFor(() => !s.status().online, 'offline noticed');
      expect(s.status()).toMatchObject({ online: false, queueDepth: 500, deadLetters: 0, failures: 0 });
      expect(s.status().lastError).toMatch(/FIRS unreachable/);

      await fake.up(); // same port: the network is back
      await waitFor(() => s.status().queueDepth === 0, 'queue back to zero', 90_000);

      expect(fake.signed.size).toBe(500);
      for (const irn of irns) {
        expect(fake.signed.get(irn)?.count).toBe(1);
        expect(fake.signRequests.get(irn)).toBe(1);
        expect(t.ledger.findByIrn(irn)?.status).toBe('reported');
      }
      expect(s.status()).toMatchObject({ online: true, queueDepth: 0, deadLetters: 0, failures: 0, level: 'ok' });
      await waitFor(() => seen.at(-1)?.queueDepth === 0, 'the UI was pushed the final state', 5_000);
      expect(seen.some((st) => !st.online)).toBe(true);
    } finally {
      await s.stop();
      await fake.close();
      t.db.close();
    }
  }, 120_000);

  it('the network drops in the middle of a drain: jobs back off, resume on their own, none lost or doubled', async () => {
    const fake = await new FakeFirs({ latencyMs: 1 }).up();
    const t = newLedger();
    const s = new SyncService({
      db: t.db,
      ledger: t.ledger,
      firs: { baseUrl: fake.url, apiKey: fake.apiKey, apiSecret: fake.apiSecret, timeoutMs: 2_000 },
      backoff: { baseMs: 50, capMs: 60_000, maxAttempts: 3 },
      pollMs: 20,
      probeMs: 50,
      ratePerSec: 1_000,
      burst: 50,
      log: quiet,
    });
    try {
      const irns = t.ledger.issueAll(Array.from({ length: 300 }, (_, i) => simpleSale(`mid-${i}`))).map((r) => r.invoice.irn);
      s.start();
      await waitFor(() => fake.signed.size >= 50, 'some reported');
      await fake.down();
      await waitFor(() => !s.status().online, 'offline noticed');
      const reported = fake.signed.size;
      await new Promise((r) => setTimeout(r, 400)); // several probe periods: offline, nothing is sent or dead-lettered
      expect(s.status().deadLetters).toBe(0);
      await fake.up();
      await waitFor(() => s.status().queueDepth === 0, 'drained after the network returned', 60_000);
      expect(reported).toBeLessThan(300);
      for (const irn of irns) expect(fake.signed.get(irn)?.count).toBe(1);
      expect(s.status()).toMatchObject({ online: true, deadLetters: 0, failures: 0 });
    } finally {
      await s.stop();
      await fake.close();
      t.db.close();
    }
  }, 90_000);
});
