// Clock steps. The wall clock set back a day must not stall queued receipts and reports for a
// day (their due times and leases are wall-clock values in the ledger), nor freeze the 24-hour
// age at 0; set forward it must not empty the rate limiter into a storm. Also: a dead worker's
// leases on this machine end at once instead of after the lease.
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../main/ledger/database';
import { Ledger } from '../../main/ledger/ledger';
import { ReportJobs } from '../../main/ledger/report-jobs';
import { PrintJobs } from '../../main/ledger/print-jobs';
import { MAX_SCHEDULE_AHEAD_MS, releaseDeadOwners, repairFutureSchedules } from '../../main/ledger/schedule-repair';
import { AppServices } from '../../main/app/services';
import { ClockStepWatch, SteadyClock } from '../../main/sync/report-clock';
import { TokenBucket } from '../../main/sync/token-bucket';
import { PrinterConfigSchema } from '../../shared/receipt/printer-config';
import { FakePrinter, freePort } from '../print/fake-printer';
import { BUSINESS, keyPair, simpleSale, tempDir } from '../support/fixture';
import { waitFor } from '../sync/helpers';

const DAY = 86_400_000;
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

function ledgerAt(now: () => number): { db: Db; ledger: Ledger } {
  const db = openDatabase(join(tempDir(), 'ledger.db'));
  const ledger = new Ledger(db, () => new Date(now()));
  ledger.configure(BUSINESS, keyPair().keysFileJson);
  cleanup.push(() => {
    db.close();
  });
  return { db, ledger };
}

describe('clock set back', () => {
  it('due times and leases left a day ahead become due at once; claims work again; nothing near "now" is touched', () => {
    let clock = Date.now();
    const { db, ledger } = ledgerAt(() => clock);
    for (let i = 0; i < 3; i++) ledger.issue(simpleSale(`step-${i}`));
    const reports = new ReportJobs(db, () => clock);
    // One report is in flight (leased), the others wait out a backoff: all in "the future" after the step.
    const claimed = reports.claim('other-host:1:x', 1, 120_000);
    expect(claimed).toHaveLength(1);
    db.prepare(`UPDATE outbox SET status = 'retrying', next_attempt_at = ? WHERE kind = 'report' AND status = 'pending'`).run(
      clock + 60_000,
    );
    clock -= DAY;
    expect(reports.claim('me:2:y', 10, 120_000)).toHaveLength(0); // stalled: everything is "a day ahead"
    const moved = repairFutureSchedules(db, clock);
    expect(moved).toBeGreaterThanOrEqual(3 + 3); // 2 report backoffs + 1 report lease + 3 print jobs
    expect(reports.claim('me:2:y', 10, 120_000)).toHaveLength(3);
    expect(new PrintJobs(db).claim('me:2:y', clock, 60_000)).toBeDefined();
    // A schedule inside the horizon is left alone.
    db.prepare(
      `UPDATE outbox SET status = 'retrying', lease_owner = NULL, lease_until = NULL, next_attempt_at = ? WHERE kind = 'report'`,
    ).run(clock + MAX_SCHEDULE_AHEAD_MS - 1000);
    expect(repairFutureSchedules(db, clock)).toBe(0);
  });

  it('the running till notices a step back of a day and prints the queued receipt as soon as the printer is back', async () => {
    let offset = 0;
    const now = () => new Date(Date.now() + offset);
    const port = await freePort(); // nothing listens yet: the printer is off
    const dataDir = tempDir();
    const services = new AppServices({
      dataDir,
      mode: 'browser',
      now,
      demoFeedMs: 0,
      watchMs: 100,
      lateCaptureMs: 10 * DAY,
      log: () => undefined,
    });
    await services.configure(BUSINESS, keyPair().keysFileJson, '246810');
    services.settings.set(
      'printer',
      PrinterConfigSchema.parse({ interface: `tcp://127.0.0.1:${port}`, timeout_ms: 300, status_timeout_ms: 300 }),
    );
    services.start();
    await services.restartBackground();
    cleanup.push(() => services.stop());
    const inv = services.ledger.issue(simpleSale('step-print', '1075.00', { occurred_at: now().toISOString() })).invoice;
    const reader = new Database(join(dataDir, 'ledger.db'), { readonly: true });
    cleanup.push(() => {
      reader.close();
    });
    const state = reader.prepare(`SELECT status, next_attempt_at AS due FROM outbox WHERE kind = 'print' AND invoice_counter = ?`);
    await waitFor(
      () => (state.get(inv.counter) as { status: string }).status === 'retrying',
      'the print job waits for the printer',
      15_000,
    );
    offset = -DAY; // the clock is set back a day
    await waitFor(
      () => (state.get(inv.counter) as { due: number }).due <= now().getTime() + 60_000,
      'the queued receipt is due again within a minute, not a day',
      10_000,
    );
    const printer = new FakePrinter();
    await printer.listen(port);
    cleanup.push(() => printer.close());
    await waitFor(() => printer.jobs.length === 1, 'the receipt prints once the printer is back', 90_000);
    // The job is settled after the printer has the bytes (and its status is read back): wait for it.
    await waitFor(() => (state.get(inv.counter) as { status: string }).status === 'done', 'the print job is recorded done', 10_000);
    expect(printer.jobs).toHaveLength(1); // printed once
  }, 120_000);

  it('the 24-hour age keeps counting across a step back (not 0), and follows a step forward', async () => {
    let offset = 0;
    const services = new AppServices({
      dataDir: tempDir(),
      mode: 'browser',
      now: () => new Date(Date.now() + offset),
      demoFeedMs: 0,
      log: () => undefined,
    });
    await services.configure(BUSINESS, keyPair().keysFileJson, '246810');
    cleanup.push(() => services.stop());
    services.ledger.issue(simpleSale('age-1', '1075.00', { occurred_at: new Date().toISOString() }));
    expect(services.syncStatus().oldestUnreportedAgeS).toBeLessThan(5);
    offset = 2 * 3600_000; // forward two hours: believed
    expect(services.syncStatus().oldestUnreportedAgeS).toBeGreaterThanOrEqual(7200);
    offset = 2 * 3600_000 - DAY; // then back a day
    const age = services.syncStatus().oldestUnreportedAgeS!;
    expect(age).toBeGreaterThanOrEqual(7200);
    expect(age).toBeLessThan(7200 + 60);
  });

  it('ClockStepWatch and SteadyClock: steps either way are seen; drift is not', () => {
    let wall = 1_000_000;
    let mono = 0;
    const watch = new ClockStepWatch(
      () => wall,
      () => mono,
    );
    wall += 1000;
    mono += 1000;
    expect(watch.check()).toBe(0);
    wall -= DAY;
    mono += 1000;
    expect(watch.check()).toBe(-DAY - 1000); // the wall clock went back a day while a second passed
    wall += 3600_000;
    mono += 10;
    expect(watch.check()).toBe(3600_000 - 10);
    wall += 1003;
    mono += 1000; // 3 ms of drift
    expect(watch.check()).toBe(0);
    const steady = new SteadyClock(
      () => wall,
      () => mono,
    );
    const t0 = steady.now();
    wall -= DAY;
    mono += 500;
    expect(steady.now()).toBe(t0 + 500);
  });
});

describe('clock set forward: no storm', () => {
  it('the rate limiter runs on the monotonic clock: a wall clock a day off neither stalls it nor refills it past its burst', async () => {
    const bucket = new TokenBucket(2, 3);
    const realNow = Date.now;
    try {
      Date.now = () => realNow() - DAY; // set back: a wall-clock bucket would wait a day for a token
      const started = performance.now();
      for (let i = 0; i < 3; i++) expect(await bucket.take()).toBe(true);
      Date.now = () => realNow() + DAY; // set forward: a wall-clock bucket would refill to the burst at once
      let taken = 0;
      const deadline = performance.now() + 1000;
      while (performance.now() < deadline) {
        if (!(await bucket.take(() => performance.now() < deadline))) break;
        taken++;
      }
      expect(taken).toBeLessThanOrEqual(3); // ≈ 2/s for one second, never a burst of a day's worth
      expect(performance.now() - started).toBeLessThan(5000);
    } finally {
      Date.now = realNow;
    }
  });
});

describe("a dead worker's leases", () => {
  it("end at once when the owner process on this machine is gone; a live owner's are kept", () => {
    const clock = Date.now();
    const { db, ledger } = ledgerAt(() => clock);
    ledger.issue(simpleSale('lease-1'));
    ledger.issue(simpleSale('lease-2'));
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    const reports = new ReportJobs(db, () => clock);
    expect(reports.claim(`${hostname()}:${deadPid}:abcd`, 1, 120_000)).toHaveLength(1);
    expect(reports.claim(`${hostname()}:${process.ppid}:efgh`, 1, 120_000)).toHaveLength(1); // our parent: alive
    expect(releaseDeadOwners(db, clock)).toBe(1);
    const claimedAgain = reports.claim('me:3:z', 10, 120_000);
    expect(claimedAgain).toHaveLength(1);
  });
});
