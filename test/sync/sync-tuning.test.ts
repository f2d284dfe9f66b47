// The sync's rate limit and concurrency are settings with bounds (main/sync/sync-tuning.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../main/ledger/database';
import { AppSettings, SettingsError } from '../../main/app/settings';
import { DEFAULT_SYNC_TUNING, syncTuning } from '../../main/sync/sync-tuning';
import { SyncService } from '../../main/sync/sync-service';
import { Ledger } from '../../main/ledger/ledger';
import { tempDir } from '../support/fixture';
import { startFakeFirs } from '../fakes/firs-server';
import { issue, newLedger, waitFor } from './helpers';

let db: Db | undefined;
afterEach(() => db?.close());

describe('sync tuning', () => {
  it('defaults to 10 reports/s, a burst of 20 and 8 in flight; partial values keep the other defaults', () => {
    expect(DEFAULT_SYNC_TUNING).toEqual({ ratePerSec: 10, burst: 20, concurrency: 8 });
    expect(syncTuning({ concurrency: 64 })).toEqual({ ratePerSec: 10, burst: 20, concurrency: 64 });
  });

  it('refuses values outside the bounds, naming them', () => {
    expect(() => syncTuning({ ratePerSec: 0 })).toThrow(/ratePerSec/);
    expect(() => syncTuning({ ratePerSec: 10_001 })).toThrow(/ratePerSec/);
    expect(syncTuning({ ratePerSec: 10_000 }).ratePerSec).toBe(10_000);
    expect(() => syncTuning({ concurrency: 0 })).toThrow(/concurrency/);
    expect(() => syncTuning({ concurrency: 2.5 })).toThrow(/concurrency/);
    expect(() => syncTuning({ burst: 1_001 })).toThrow(/burst/);
  });

  it('is the app.sync setting in the ledger, checked on write', () => {
    db = openDatabase(join(tempDir('tpos-tuning-'), 'ledger.db'));
    const settings = new AppSettings(db);
    expect(settings.get('sync')).toEqual(DEFAULT_SYNC_TUNING);
    settings.set('sync', { ratePerSec: 1_000, burst: 100, concurrency: 64 });
    expect(new AppSettings(db).get('sync')).toEqual({ ratePerSec: 1_000, burst: 100, concurrency: 64 });
    expect(() => settings.set('sync', { ratePerSec: 1_000, burst: 100, concurrency: 500 })).toThrow(SettingsError);
    expect(new AppSettings(db).get('sync')?.concurrency).toBe(64); // the refused value was not written
  });

  it('the sync service refuses tuning out of bounds', () => {
    db = openDatabase(join(tempDir('tpos-tuning-'), 'ledger.db'));
    const make = (concurrency: number) =>
      new SyncService({
        db: db!,
        ledger: new Ledger(db!),
        firs: { baseUrl: 'http://127.0.0.1:9', apiKey: 'k', apiSecret: 's' },
        concurrency,
      });
    expect(() => make(129)).toThrow(/concurrency/);
    expect(() => make(128)).not.toThrow();
  });

  it('at 64 in flight (four sending lanes) every report is signed exactly once and the queue drains', async () => {
    const fake = await startFakeFirs({ latencyMs: 20 });
    const t = newLedger();
    db = t.db;
    const invoices = issue(t.ledger, 300, 'lanes');
    const sync = new SyncService({
      db: t.db,
      ledger: t.ledger,
      firs: { baseUrl: fake.url, apiKey: fake.apiKey, apiSecret: fake.apiSecret },
      ratePerSec: 1_000,
      burst: 100,
      concurrency: 64,
      log: () => {},
    });
    const open = t.db.prepare(`SELECT COUNT(*) FROM outbox WHERE kind = 'report' AND status != 'done'`).pluck();
    try {
      sync.start();
      await waitFor(() => open.get() === 0, 'every report done', 120_000);
    } finally {
      await sync.stop();
      await fake.close();
    }
    expect(fake.signedTwice()).toEqual([]);
    for (const inv of invoices) expect(fake.signRequests.get(inv.irn), inv.irn).toBe(1);
    const attempts = t.db.prepare(`SELECT outcome, COUNT(*) AS n FROM report_attempts GROUP BY outcome`).all();
    expect(attempts).toEqual([{ outcome: 'signed', n: 300 }]); // no attempt lost to a lane claiming another's job
  });
});
