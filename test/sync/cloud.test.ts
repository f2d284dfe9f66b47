// TaxPoynt cloud upload against the loopback fake (which validates with the same zod schemas):
// batches bounded by count and bytes, bearer token, Idempotency-Key per batch and per invoice,
// per-invoice answers applied, lost answers replayed without duplicates, day summaries.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloudUploader, type CloudConfig } from '../../main/cloud/cloud-uploader';
import { SyncService } from '../../main/sync/sync-service';
import { type FakeCloud, startFakeCloud } from '../fakes/cloud-server';
import { startFakeFirs } from '../fakes/firs-server';
import { simpleSale } from '../support/fixture';
import { FAST_BACKOFF, issue, newLedger, quiet, waitFor, type TestLedger } from './helpers';

let cloud: FakeCloud;
let t: TestLedger;
beforeEach(async () => {
  cloud = await startFakeCloud();
  t = newLedger();
});
afterEach(async () => {
  await cloud.close();
  t.db.close();
});

const uploader = (extra: Partial<CloudConfig> = {}, now?: () => number) =>
  new CloudUploader(t.db, { baseUrl: cloud.url, token: cloud.token, timeoutMs: 2_000, zEveryMs: 0, pendingGraceMs: 0, ...extra }, now);

async function drain(u: CloudUploader): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const r = await u.runOnce();
    if (r.sent === 0) return;
  }
  throw new Error('cloud upload did not finish');
}

describe('cloud upload', () => {
  it('uploads every invoice once in batches bounded by count, with idempotency keys', async () => {
    const invs = issue(t.ledger, 250);
    const u = uploader({ maxBatchCount: 100 });
    expect(u.status().pending).toBe(250);
    await drain(u);
    expect(cloud.batches.map((b) => b.count)).toEqual([100, 100, 50]);
    expect(new Set(cloud.batches.map((b) => b.key)).size).toBe(3);
    expect(cloud.invoices.size).toBe(250);
    for (const inv of invs) {
      const stored = cloud.invoices.get(`tpos:cloud:${inv.irn}:pending`)!;
      expect(stored).toMatchObject({
        irn: inv.irn,
        hash: inv.hash,
        prev_hash: inv.prev_hash,
        report_state: 'pending',
        payable_kobo: inv.payable_kobo,
      });
      expect(stored.sale).toEqual(inv.sale);
    }
    expect(u.status()).toEqual({ pending: 0, rejected: 0 });
    expect(t.db.prepare('SELECT COUNT(*) FROM cloud_queue').pluck().get()).toBe(0);
  });

  it('bounds batches by bytes', async () => {
    issue(t.ledger, 40);
    const u = uploader({ maxBatchCount: 500, maxBatchBytes: 12_000 });
    await drain(u);
    expect(cloud.batches.length).toBeGreaterThan(3);
    for (const b of cloud.batches) expect(b.bytes).toBeLessThanOrEqual(12_000);
    expect(cloud.invoices.size).toBe(40);
  });

  it('a lost answer is retried under the same batch key and replayed: nothing stored twice', async () => {
    issue(t.ledger, 10);
    cloud.fault('drop_after_processing');
    const u = uploader();
    await expect(u.runOnce()).rejects.toThrow(/unreachable/);
    expect(u.status().lastError).toMatch(/unreachable/);
    u.retryNow();
    await drain(u);
    expect(cloud.batches).toHaveLength(2);
    expect(cloud.batches[1]).toMatchObject({ key: cloud.batches[0]!.key, replay: true });
    expect([...cloud.storedPerIrn.values()].every((n) => n === 1)).toBe(true);
    expect(u.status().pending).toBe(0);
  });

  it('applies per-invoice answers: rejected ones keep their reason and are not resent', async () => {
    const [a, b] = issue(t.ledger, 2);
    cloud.rejectIrns.set(a!.irn, 'business_id: not registered to this account');
    const u = uploader();
    await drain(u);
    const rows = t.db.prepare('SELECT invoice_counter, outcome, reason FROM cloud_invoice_uploads ORDER BY invoice_counter').all();
    expect(rows).toEqual([
      { invoice_counter: a!.counter, outcome: 'rejected', reason: 'business_id: not registered to this account' },
      { invoice_counter: b!.counter, outcome: 'accepted', reason: null },
    ]);
    expect(u.status()).toMatchObject({ pending: 0, rejected: 1 });
    expect(await u.runOnce()).toEqual({ sent: 0, results: [] });
  });

  it('500, 429, malformed answers and a refused token are errors that back off; then it completes', async () => {
    issue(t.ledger, 3);
    const u = uploader();
    for (const f of ['status500', 'rate_limited', 'malformed'] as const) {
      cloud.fault(f);
      await expect(u.runOnce()).rejects.toThrow(/TaxPoynt cloud/);
      u.retryNow();
    }
    cloud.fault('unauthorized');
    await expect(u.runOnce()).rejects.toThrow(/refused the token.*Settings/);
    expect(u.backoffMs()).toBeGreaterThan(60_000); // no retry storm on a bad token
    u.retryNow();
    await drain(u);
    expect(cloud.invoices.size).toBe(3);
  });

  it('refuses a bad configuration naming the field', () => {
    expect(() => uploader({ baseUrl: 'nope' })).toThrow('cloud.baseUrl: must be a URL like https://api.taxpoynt.com');
    expect(() => uploader({ token: '' })).toThrow('cloud.token: the TaxPoynt cloud token is missing');
    expect(() => uploader({ maxBatchCount: 0 })).toThrow(/^cloud\.maxBatchCount: /);
  });

  it('holds a not-yet-reported invoice for the grace period, so online it is sent once, reported', async () => {
    const [inv] = issue(t.ledger, 1);
    let now = Date.now(); // after the issue: the grace runs from the invoice's recorded_at
    const u = uploader({ pendingGraceMs: 600_000 }, () => now);
    expect(await u.runOnce()).toEqual({ sent: 0, results: [] });
    expect(u.status().pending).toBe(1); // still owed to the cloud
    now += 600_001; // offline for longer than the grace: the cloud gets it as pending
    expect((await u.runOnce()).sent).toBe(1);
    expect(cloud.invoices.get(`tpos:cloud:${inv!.irn}:pending`)).toBeDefined();
  });

  it('sends an invoice again when its report state changed (reported), as a new key', async () => {
    const firs = await startFakeFirs();
    try {
      const [inv] = issue(t.ledger, 1);
      const s = new SyncService({
        db: t.db,
        ledger: t.ledger,
        firs: { baseUrl: firs.url, apiKey: firs.apiKey, apiSecret: firs.apiSecret },
        cloud: { baseUrl: cloud.url, token: cloud.token, zEveryMs: 0, pendingGraceMs: 0 },
        backoff: FAST_BACKOFF,
        pollMs: 20,
        log: quiet,
      });
      s.start();
      await waitFor(() => s.status().queueDepth === 0 && s.status().cloud?.pending === 0, 'reported and uploaded');
      await s.stop();
      expect(cloud.invoices.get(`tpos:cloud:${inv!.irn}:reported`)?.report_state).toBe('reported');
      expect(firs.signed.get(inv!.irn)?.count).toBe(1);
      // The upload queue (kept by triggers, so the ledger is never scanned) is empty again.
      expect(t.db.prepare('SELECT COUNT(*) FROM cloud_queue').pluck().get()).toBe(0);
    } finally {
      await firs.close();
    }
  });

  it('uploads a day summary for each closed day, once, and again if a late sale changes it', async () => {
    let now = Date.parse('2026-11-24T10:00:00+01:00');
    const l = t.ledger;
    l.issue(simpleSale('d1', '1075.00', { occurred_at: '2026-11-23T09:00:00+01:00' }));
    l.issue(simpleSale('d2', '2150.00', { occurred_at: '2026-11-23T12:00:00+01:00', payments: [{ method: 'cash', amount: '2150.00' }] }));
    l.issue(simpleSale('r1', '1075.00', { occurred_at: '2026-11-23T13:00:00+01:00', refund_of: 'd1' }));
    l.issue(simpleSale('today', '500.00', { occurred_at: '2026-11-24T09:00:00+01:00' }));
    l.issue(simpleSale('demo', '999.00', { occurred_at: '2026-11-23T09:30:00+01:00', source: 'demo' }));
    const u = uploader({}, () => now);
    await drain(u);
    expect([...cloud.days.keys()]).toEqual(['2026-11-23']); // today is not closed
    const z = cloud.days.get('2026-11-23')![0]!;
    expect(z).toMatchObject({
      invoice_count: 2,
      credit_note_count: 1,
      sales_kobo: 107_500 + 215_000,
      refunds_kobo: 107_500,
      net_kobo: 215_000,
      tax_kobo: 7_500 + 15_000 - 7_500,
      by_payment_method: { card: 0, cash: 215_000 },
      unreported_count: 3,
      first_invoice_number: 'T0100000001',
    });
    now += 60_000;
    await drain(u);
    expect(cloud.days.get('2026-11-23')).toHaveLength(1); // unchanged: not sent again
    l.issue(simpleSale('late', '100.00', { occurred_at: '2026-11-23T20:00:00+01:00' }));
    now += 60_000;
    await drain(u);
    expect(cloud.days.get('2026-11-23')).toHaveLength(2);
    expect(cloud.days.get('2026-11-23')![1]).toMatchObject({ invoice_count: 3, sales_kobo: 107_500 + 215_000 + 10_000 });
  });
});
