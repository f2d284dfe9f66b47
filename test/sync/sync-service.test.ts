// The report worker and SyncService against the fake FIRS/NRS over loopback, on real ledger
// files: every transition (done, retrying, dead, rejected, auth pause, already there → confirmed),
// exactly once across lost answers and two workers, the 24-hour clock, demo and B2B handling.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../main/ledger/database';
import { Ledger } from '../../main/ledger/ledger';
import { ReportJobs } from '../../main/ledger/report-jobs';
import { SyncService, type SyncOptions } from '../../main/sync/sync-service';
import { type FakeFirs, startFakeFirs } from '../fakes/firs-server';
import { simpleSale, sampleSale } from '../support/fixture';
import { FAST_BACKOFF, issue, newLedger, quiet, waitFor, type TestLedger } from './helpers';

let fake: FakeFirs;
let t: TestLedger;
const services: SyncService[] = [];

beforeEach(async () => {
  fake = await startFakeFirs();
  t = newLedger();
});
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
  await fake.close();
  t.db.close();
});

function service(extra: Partial<SyncOptions> = {}, db = t.db, ledger = t.ledger): SyncService {
  const s = new SyncService({
    db,
    ledger,
    firs: { baseUrl: fake.url, apiKey: fake.apiKey, apiSecret: fake.apiSecret, timeoutMs: 2_000 },
    backoff: FAST_BACKOFF,
    pollMs: 20,
    probeMs: 30,
    leaseMs: 10_000,
    authPauseMs: 60_000,
    ratePerSec: 1_000,
    burst: 100,
    log: quiet,
    ...extra,
  });
  services.push(s);
  return s;
}

const outbox = (irn: string) =>
  t.db
    .prepare(
      `SELECT o.status, o.attempts, o.last_error FROM outbox o JOIN invoices i ON i.counter = o.invoice_counter WHERE o.kind = 'report' AND i.irn = ?`,
    )
    .get(irn) as { status: string; attempts: number; last_error: string | null };

describe('SyncService drains the report queue', () => {
  it('idle with nothing queued it skips its claim queries while the ledger is unchanged, and still finds work another connection writes without a wake', async () => {
    const claimLooks = vi.spyOn(ReportJobs.prototype, 'anyClaimable');
    const idles = vi.spyOn(SyncService.prototype as unknown as { idle: (ms: number) => Promise<void> }, 'idle');
    const s = service();
    s.start();
    await waitFor(() => idles.mock.calls.length >= 2, 'the first idle pass');
    const looksBefore = claimLooks.mock.calls.length;
    const idlesBefore = idles.mock.calls.length;
    await waitFor(() => idles.mock.calls.length >= idlesBefore + 10, 'ten more idle ticks');
    // Ten polls, none of which read the queue: nothing was written and nothing came due.
    expect(claimLooks.mock.calls.length - looksBefore).toBe(0);
    // A sale through the till's connection (another connection to the file: data_version moves).
    const invs = issue(t.ledger, 3, 'later');
    await waitFor(() => invs.every((i) => fake.signed.has(i.irn)), 'reported without a wake');
    claimLooks.mockRestore();
    idles.mockRestore();
  });

  it('reports every invoice once (validate then sign), records attempts, queue returns to 0', async () => {
    const invs = issue(t.ledger, 30);
    const s = service();
    const changes: number[] = [];
    s.on('change', (st) => changes.push(st.queueDepth));
    expect(s.status().queueDepth).toBe(30);
    s.start();
    await waitFor(() => s.status().queueDepth === 0, 'queue drained');
    await s.stop();
    for (const inv of invs) {
      expect(fake.signed.get(inv.irn)?.count).toBe(1);
      expect(fake.signRequests.get(inv.irn)).toBe(1);
      expect(fake.validated.get(inv.irn)).toBe(1);
      expect(t.ledger.findByIrn(inv.irn)?.status).toBe('reported');
      const attempts = s.attempts(inv.irn);
      expect(attempts).toHaveLength(1);
      expect(attempts[0]).toMatchObject({ outcome: 'signed', http_status: 201, idempotency_key: `tpos:sign:${inv.irn}` });
    }
    const signs = fake.requests.filter((r) => r.path.endsWith('/sign'));
    expect(new Set(signs.map((r) => r.idempotencyKey)).size).toBe(30);
    expect(changes.at(-1)).toBe(0);
    expect(s.status()).toMatchObject({ online: true, queueDepth: 0, oldestUnreportedAgeS: null, level: 'ok', failures: 0, deadLetters: 0 });
  });

  it('an access point without the health route (HTTP error on GET /api) still counts as online', async () => {
    const invs = issue(t.ledger, 3);
    fake.fault({ fault: { kind: 'status500' }, exactPath: '/api' });
    const s = service();
    s.start();
    await waitFor(() => s.status().queueDepth === 0, 'drained without a healthy /api');
    expect(s.status().online).toBe(true);
    expect(invs.every((i) => fake.signed.has(i.irn))).toBe(true);
  });

  it('never sends demo invoices: they are settled as not reportable', async () => {
    const demo = t.ledger.issue(simpleSale('demo-1', '500.00', { source: 'demo' })).invoice;
    const real = issue(t.ledger, 2);
    const s = service();
    expect(s.status().queueDepth).toBe(2);
    await s.runOnce();
    expect(fake.signed.has(demo.irn)).toBe(false);
    expect(fake.requests.some((r) => r.path.includes(demo.irn))).toBe(false);
    expect(new ReportJobs(t.db).state(demo.irn)).toBe('not_reportable');
    expect(real.every((i) => fake.signed.has(i.irn))).toBe(true);
  });

  it('submits B2B invoices (buyer with a TIN) before older B2C receipts', async () => {
    const b2c = issue(t.ledger, 5);
    const b2b = t.ledger.issue(sampleSale({ external_id: 'b2b-1' })).invoice;
    expect(b2b.b2b).toBe(true);
    const s = service({ concurrency: 1 });
    await s.runOnce();
    const order = fake.requests.filter((r) => r.path.endsWith('/sign')).map((r) => r.idempotencyKey);
    expect(order[0]).toBe(`tpos:sign:${b2b.irn}`);
    expect(order).toHaveLength(6);
    expect(s.reportState(b2b.irn)).toMatchObject({ state: 'done', how: 'signed', reportedAt: expect.any(Number) }); // cleared
    expect(s.reportState('NOPE')).toBeUndefined();
    expect(b2c.every((i) => fake.signed.has(i.irn))).toBe(true);
  });

  it('a credit note is sent only after its original invoice is reported', async () => {
    const [orig] = issue(t.ledger, 1);
    const credit = t.ledger.issue(simpleSale('refund-1', '100.00', { refund_of: orig!.irn })).invoice;
    expect(credit.type).toBe('380');
    fake.rejectIrns.set(orig!.irn, 'invoice_line.0.hsn_code: unknown');
    const s = service();
    await s.runOnce();
    expect(outbox(orig!.irn).status).toBe('rejected');
    expect(outbox(credit.irn)).toMatchObject({ status: 'pending', attempts: 0 }); // waits for its original
    expect(fake.signRequests.has(credit.irn)).toBe(false);
    expect(s.status().queueDepth).toBe(1);
    fake.rejectIrns.clear();
    s.requeue(orig!.irn);
    await s.runOnce();
    const signs = fake.requests.filter((r) => r.path.endsWith('/sign') && r.status === 201).map((r) => r.idempotencyKey);
    expect(signs).toEqual([`tpos:sign:${orig!.irn}`, `tpos:sign:${credit.irn}`]);
    expect((fake.signed.get(credit.irn)!.body as { billing_reference: { irn: string }[] }).billing_reference[0]!.irn).toBe(orig!.irn);
  });

  it('a credit note waiting for a rejected original does not make the worker spin', async () => {
    const [orig] = issue(t.ledger, 1);
    t.ledger.issue(simpleSale('refund-2', '100.00', { refund_of: orig!.irn }));
    fake.rejectIrns.set(orig!.irn, 'irn: refused');
    const claims = vi.spyOn(ReportJobs.prototype, 'claim');
    const s = service({ pollMs: 100 });
    s.start();
    await waitFor(() => s.status().failures === 1, 'original rejected');
    const before = claims.mock.calls.length;
    await new Promise((r) => setTimeout(r, 600));
    await s.stop();
    expect(claims.mock.calls.length - before).toBeLessThan(15); // ~6 polls; a 10 ms spin would be ~60
    claims.mockRestore();
  });

  it('updates the payment status of a reported invoice on the platform', async () => {
    const [a, b] = issue(t.ledger, 2);
    const s = service();
    await expect(s.updatePaymentStatus(a!.irn, { payment_status: 'PAID' })).rejects.toThrow(/is not reported yet \(pending\)/);
    await s.runOnce();
    await s.updatePaymentStatus(a!.irn, { payment_status: 'PARTIAL', reference: 'TRX-1' });
    expect(fake.payments.get(a!.irn)).toEqual({ payment_status: 'PARTIAL', reference: 'TRX-1' });
    await expect(s.updatePaymentStatus('NOPE', { payment_status: 'PAID' })).rejects.toThrow(/no invoice NOPE/);
    await expect(s.updatePaymentStatus(b!.irn, { payment_status: 'LATER' as 'PAID' })).rejects.toThrow(/payment_status/);
  });

  it('a validation error is kept with its details; requeue after the fix sends it', async () => {
    const [bad, good] = issue(t.ledger, 2) as [ReturnType<typeof issue>[0], ReturnType<typeof issue>[0]];
    fake.rejectIrns.set(bad.irn, 'invoice_line.0.hsn_code: CC-001 is not a valid HS code');
    const s = service();
    await s.runOnce();
    expect(outbox(bad.irn).status).toBe('rejected');
    expect(fake.signed.has(good.irn)).toBe(true);
    const problems = s.listProblems();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      irn: bad.irn,
      status: 'rejected',
      details: 'invoice_line.0.hsn_code: CC-001 is not a valid HS code',
    });
    expect(problems[0]!.message).toContain('invoice_line.0.hsn_code');
    expect(s.status()).toMatchObject({ failures: 1, queueDepth: 0 });
    expect(t.ledger.findByIrn(bad.irn)?.status).toBe('rejected');

    fake.rejectIrns.delete(bad.irn); // fixed on the platform side (e.g. code list updated)
    expect(s.requeue(bad.irn)).toBe(true);
    expect(s.requeue(bad.irn)).toBe(false); // nothing left to requeue
    await s.runOnce();
    expect(outbox(bad.irn).status).toBe('done');
    expect(fake.signed.get(bad.irn)?.count).toBe(1);
    expect(s.attempts(bad.irn).map((a) => a.outcome)).toEqual(['rejected', 'confirmed'].slice(0, 1).concat(['signed']));
  });

  it('an invoice failing the cached FIRS code lists is refused locally, never sent', async () => {
    const eur = t.ledger.issue(simpleSale('eur-1', '100.00', { currency: 'EUR' })).invoice;
    const s = service();
    await s.runOnce(); // fetches the platform's code lists first (its currencies have no EUR)
    const cached = t.db.prepare('SELECT name FROM firs_code_lists ORDER BY name').pluck().all();
    expect(cached).toEqual([
      'countries',
      'currencies',
      'hs-codes',
      'invoice-quantity-codes',
      'invoice-types',
      'lgas',
      'payment-means',
      'services-codes',
      'states',
      'tax-categories',
    ]);
    expect(outbox(eur.irn).status).toBe('rejected');
    expect(s.listProblems()[0]!.details).toContain('document_currency_code: "EUR" is not in the FIRS currencies list');
    expect(fake.requests.some((r) => r.path.endsWith('/validate') || r.path.endsWith('/sign'))).toBe(false);
  });

  it('5xx, 429, malformed and dropped answers are retried with backoff, then succeed once', async () => {
    const invs = issue(t.ledger, 4);
    fake.fault({ fault: { kind: 'status500' }, path: '/validate', times: 2 });
    fake.fault({ fault: { kind: 'malformed' }, path: '/sign', times: 1 });
    fake.fault({ fault: { kind: 'drop' }, path: '/sign', times: 1 });
    fake.fault({ fault: { kind: 'rate_limited', retryAfter: '0' }, path: '/validate', times: 1 });
    const s = service();
    s.start();
    await waitFor(() => s.status().queueDepth === 0, 'queue drained');
    for (const inv of invs) expect(fake.signed.get(inv.irn)?.count).toBe(1);
    const outcomes = invs.flatMap((i) => s.attempts(i.irn).map((a) => a.outcome));
    expect(outcomes.filter((o) => o === 'retrying').length).toBeGreaterThanOrEqual(5);
    expect(outcomes.filter((o) => o === 'signed' || o === 'confirmed')).toHaveLength(4);
  });

  it('honours Retry-After: the job waits at least that long', async () => {
    const [inv] = issue(t.ledger, 1);
    fake.fault({ fault: { kind: 'rate_limited', retryAfter: '120' }, path: '/validate', times: 1 });
    const s = service({ backoff: { baseMs: 10, capMs: 600_000, maxAttempts: 5 } });
    const before = Date.now();
    await s.runOnce();
    const due = t.db.prepare(`SELECT next_attempt_at FROM outbox WHERE kind = 'report'`).pluck().get() as number;
    expect(outbox(inv!.irn).status).toBe('retrying');
    expect(due - before).toBeGreaterThanOrEqual(120_000);
    expect(s.attempts(inv!.irn)[0]).toMatchObject({ outcome: 'retrying', http_status: 429 });
  });

  it('a platform failing every request is rested (circuit breaker), not hammered by every job', async () => {
    const invs = issue(t.ledger, 50);
    fake.fault({ fault: { kind: 'status500' }, path: '/validate' });
    const s = service({ concurrency: 4, backoff: { baseMs: 40, capMs: 200, maxAttempts: 1_000 } });
    s.start();
    await waitFor(() => fake.requests.filter((r) => r.path.endsWith('/validate')).length >= 6, 'a few failures');
    await new Promise((r) => setTimeout(r, 600));
    // Without the breaker each of the 50 jobs would retry every ≤ 200 ms (hundreds of requests).
    const failed = fake.requests.filter((r) => r.path.endsWith('/validate')).length;
    expect(failed).toBeLessThan(30);
    fake.clearFaults();
    await waitFor(() => s.status().queueDepth === 0, 'drained once the platform recovered');
    expect(invs.every((i) => fake.signed.get(i.irn)?.count === 1)).toBe(true);
  });

  it('stop() is not held by a long Retry-After, and no job is left in sending while waiting', async () => {
    issue(t.ledger, 10);
    fake.fault({ fault: { kind: 'rate_limited', retryAfter: '600' }, path: '/validate', times: 1 });
    const s = service({ backoff: { baseMs: 10, capMs: 3_600_000, maxAttempts: 5 } });
    s.start();
    await waitFor(() => fake.requests.some((r) => r.status === 429), 'rate limited');
    // The batch is answered (on a loaded machine this takes a while); the worker then waits out the
    // 600 s Retry-After holding no job in 'sending'.
    const sending = () => t.db.prepare(`SELECT COUNT(*) FROM outbox WHERE kind = 'report' AND status = 'sending'`).pluck().get();
    await waitFor(() => sending() === 0, 'the batch answered, nothing left in sending', 15_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(sending()).toBe(0);
    const stopped = await Promise.race([s.stop().then(() => 'stopped'), new Promise((r) => setTimeout(() => r('still waiting'), 20_000))]);
    expect(stopped).toBe('stopped'); // long before the 600 s Retry-After
    expect(fake.requests.filter((r) => r.path.endsWith('/sign')).length).toBeLessThan(10); // it did wait
  });

  it('repeated failures make a dead letter, which can be requeued', async () => {
    const [inv] = issue(t.ledger, 1);
    fake.fault({ fault: { kind: 'status500' }, path: '/validate', times: FAST_BACKOFF.maxAttempts });
    const s = service();
    s.start();
    await waitFor(() => s.status().deadLetters === 1, 'dead letter');
    await s.stop();
    expect(s.listProblems()[0]).toMatchObject({ irn: inv!.irn, status: 'dead', attempts: FAST_BACKOFF.maxAttempts });
    expect(s.status().queueDepth).toBe(0);
    expect(t.ledger.findByIrn(inv!.irn)?.status).toBe('failed');
    expect(s.requeue(inv!.irn)).toBe(true);
    await s.runOnce();
    expect(outbox(inv!.irn).status).toBe('done');
    expect(fake.signed.get(inv!.irn)?.count).toBe(1);
  });

  it('expired credentials: a clear message, sending paused, no retry storm; resumes after renewal', async () => {
    const invs = issue(t.ledger, 40);
    fake.expireCredentials();
    const s = service({ concurrency: 4, authPauseMs: 60_000 });
    s.start();
    await waitFor(() => s.status().authPaused, 'auth pause');
    await new Promise((r) => setTimeout(r, 300)); // plenty of poll cycles (20 ms) to storm, if it would
    const requests = fake.requests.filter((r) => r.path !== '/api').length;
    expect(requests).toBeLessThanOrEqual(4 + 5); // one batch plus the code lists, then nothing
    const st = s.status();
    expect(st.lastError).toMatch(/refused the API credentials.*renew the API key and secret/);
    expect(st.queueDepth).toBe(40);
    expect(invs.every((i) => outbox(i.irn).attempts === 0)).toBe(true); // auth does not count against jobs
    fake.renewCredentials();
    s.retryNow();
    await waitFor(() => s.status().queueDepth === 0, 'drained after renewal');
    expect(invs.every((i) => fake.signed.get(i.irn)?.count === 1)).toBe(true);
  });

  it('an answer lost after the sign took effect: confirmed on retry, never signed twice', async () => {
    const [inv] = issue(t.ledger, 1);
    fake.fault({ fault: { kind: 'drop_after_processing' }, path: '/sign', times: 1 });
    const s = service();
    s.start();
    await waitFor(() => s.status().queueDepth === 0, 'drained');
    expect(fake.signRequests.get(inv!.irn)).toBe(1);
    expect(s.attempts(inv!.irn).map((a) => a.outcome)).toEqual(['retrying', 'confirmed']);
  });

  it('an IRN the platform already has with our content (validate refused it) is confirmed and done', async () => {
    const [inv] = issue(t.ledger, 1);
    // As if a previous install signed it and the ledger was restored from a backup without attempts.
    fake.signed.set(inv!.irn, { irn: inv!.irn, count: 1, at: Date.now(), body: inv!.invoice });
    const s = service();
    await s.runOnce();
    expect(outbox(inv!.irn).status).toBe('done');
    expect(fake.signed.get(inv!.irn)?.count).toBe(1);
    expect(s.attempts(inv!.irn)).toMatchObject([{ outcome: 'confirmed', http_status: 200 }]);
    expect(s.attempts(inv!.irn)[0]!.message).toContain('with our content');
  });

  it('two workers on one ledger file never send the same job', async () => {
    const invs = issue(t.ledger, 200);
    const db2 = openDatabase(t.file);
    try {
      const a = service({ workerId: 'A', concurrency: 3 });
      const b = service({ workerId: 'B', concurrency: 3 }, db2, new Ledger(db2));
      fake.latencyMs = () => Math.floor(Math.random() * 3);
      a.start();
      b.start();
      await waitFor(() => a.status().queueDepth === 0, 'drained by two workers');
      await Promise.all([a.stop(), b.stop()]);
      for (const inv of invs) expect(fake.signRequests.get(inv.irn)).toBe(1);
      const workers = t.db.prepare('SELECT worker, COUNT(*) AS n FROM report_attempts GROUP BY worker').all() as {
        worker: string;
        n: number;
      }[];
      expect(workers.map((w) => w.worker).sort()).toEqual(['A', 'B']); // both really worked
    } finally {
      db2.close();
    }
  });
});

describe('the 24-hour clock', () => {
  it('is ok, then warning from 12 h, alarm from 20 h (and logged); B2B does not count', async () => {
    let now = new Date('2026-11-24T10:00:00+01:00');
    const c = newLedger(() => now);
    try {
      c.ledger.issue(simpleSale('old', '100.00', { occurred_at: '2026-11-24T08:00:00+01:00' }));
      c.ledger.issue(sampleSale({ external_id: 'b2b-old', occurred_at: '2026-11-23T08:00:00+01:00' }));
      const logs: string[] = [];
      const s = new SyncService({
        db: c.db,
        ledger: c.ledger,
        firs: { baseUrl: fake.url, apiKey: 'x', apiSecret: 'y' },
        now: () => now,
        log: (level, m) => logs.push(`${level}: ${m}`),
      });
      expect(s.status()).toMatchObject({ oldestUnreportedAgeS: 2 * 3600, level: 'ok' });
      now = new Date('2026-11-24T20:00:00+01:00');
      expect(s.status()).toMatchObject({ oldestUnreportedAgeS: 12 * 3600, level: 'warning' });
      now = new Date('2026-11-25T04:00:00+01:00');
      expect(s.status()).toMatchObject({ oldestUnreportedAgeS: 20 * 3600, level: 'alarm' });
      // The running service writes the level to the log (FIRS refuses these credentials: nothing is sent).
      s.start();
      await waitFor(() => logs.some((l) => l.includes('ALARM')), 'alarm logged');
      await s.stop();
      expect(logs.find((l) => l.includes('ALARM'))).toMatch(
        /^error: 24-hour clock ALARM: the oldest unreported B2C receipt is 20\.0 h old/,
      );
    } finally {
      c.db.close();
    }
  });
});
