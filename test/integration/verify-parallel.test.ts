// `verify --full` across worker threads (main/ledger/verify-parallel.ts) on real ledger files:
// 12 invoices cut into three ranges (1–4, 5–8, 9–12; seams after 4 and 8). Every tamper must be
// named exactly as the one-thread walk names it, and a worker that dies is an error, never a pass.
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../main/ledger/database';
import { Ledger, type VerifyResult } from '../../main/ledger/ledger';
import { defaultThreads, verifyFullParallel, verifyThreadScript } from '../../main/ledger/verify-parallel';
import { BUSINESS, editStoredJson, keyPair, simpleSale, sqlite, tempDir } from '../support/fixture';

const NOW = () => new Date('2026-11-25T12:00:00Z');
const DROP = 'DROP TRIGGER invoices_no_update; DROP TRIGGER invoices_no_delete;';
const script = verifyThreadScript()!;
let pristine: string;

beforeAll(() => {
  pristine = join(tempDir(), 'ledger.db');
  const db = openDatabase(pristine);
  const ledger = new Ledger(db, NOW);
  ledger.configure(BUSINESS, keyPair().keysFileJson);
  for (let i = 1; i <= 12; i++) ledger.issue(simpleSale(`s${i}`, `${i}00.00`));
  db.close();
});

/** A copy of the 12-invoice ledger, edited behind the app's back by `tamper`. */
function tampered(tamper: (file: string) => void = () => undefined): string {
  const file = join(tempDir(), 'ledger.db');
  copyFileSync(pristine, file);
  tamper(file);
  return file;
}

interface Shared {
  threads: number;
  rewalkedAfter: number | null;
}

async function both(file: string): Promise<{ serial: VerifyResult; parallel: VerifyResult; shared: Shared | undefined }> {
  const db = openDatabase(file);
  try {
    const ledger = new Ledger(db, NOW);
    const serial = ledger.verify({ from: 'start' });
    let shared: Shared | undefined;
    const parallel = await verifyFullParallel(ledger, { script, threads: 3, minPerThread: 1, onShared: (s) => (shared = s) });
    return { serial, parallel, shared };
  } finally {
    db.close();
  }
}

describe('verify --full across worker threads', () => {
  it('the worker is built (dist/main/verify-thread.cjs)', () => {
    expect(script).toMatch(/verify-thread\.cjs$/);
  });

  it('an intact chain holds, with the head and count of the one-thread walk, and records a full checkpoint', async () => {
    const file = tampered();
    const { serial, parallel, shared } = await both(file);
    expect(parallel).toEqual(serial);
    expect(parallel).toMatchObject({ ok: true, count: 12, from: 0 });
    expect(shared).toEqual({ threads: 3, rewalkedAfter: null }); // the workers' ranges and seams held: nothing walked here
    const db = openDatabase(file);
    const ledger = new Ledger(db, NOW);
    const r = await verifyFullParallel(ledger, { script, threads: 3, minPerThread: 1, record: true });
    expect(ledger.lastCheckpoint()).toMatchObject({ counter: 12, hash: r.head, full: true });
    db.close();
  });

  // [name, tamper, the break, where this thread re-walked from (after counter …; null: the ranges held)]
  const cases: [string, (file: string) => void, Partial<NonNullable<VerifyResult['broken']>>, number | null][] = [
    [
      'an amount edited in the middle of the 2nd range',
      (f) => sqlite(f, `${DROP} UPDATE invoices SET payable_kobo = 1 WHERE counter = 6;`),
      { counter: 6 },
      4,
    ],
    [
      'the invoice JSON edited in the last row of the 1st range (at the seam)',
      (f) => editStoredJson(f, 4, 'invoice_json', 'Soap', 'Soup'),
      { counter: 4 },
      0,
    ],
    [
      'the sale JSON edited in the first row of the 2nd range',
      (f) => editStoredJson(f, 5, 'sale_json', '500.00', '50.00'),
      { counter: 5 },
      4,
    ],
    [
      'the stored hash of the row at the seam rewritten',
      (f) => sqlite(f, `${DROP} UPDATE invoices SET hash = 'f' || substr(hash, 2) WHERE counter = 8;`),
      { counter: 8 },
      4,
    ],
    [
      'the previous-hash of the row after the seam rewritten',
      (f) => sqlite(f, `${DROP} UPDATE invoices SET prev_hash = 'f' || substr(prev_hash, 2) WHERE counter = 9;`),
      { counter: 9 },
      8,
    ],
    [
      'the row at the seam deleted',
      (f) => sqlite(f, `${DROP} DELETE FROM outbox WHERE invoice_counter = 4; DELETE FROM invoices WHERE counter = 4;`),
      { counter: 5 },
      0,
    ],
    [
      'two rows swapped across the seam',
      (f) =>
        sqlite(
          f,
          `${DROP} PRAGMA foreign_keys=OFF; UPDATE invoices SET counter = -4 WHERE counter = 4; UPDATE invoices SET counter = 4 WHERE counter = 5; UPDATE invoices SET counter = 5 WHERE counter = -4;`,
        ),
      { counter: 4 },
      0,
    ],
    [
      'the QR of the last row edited',
      (f) => sqlite(f, `${DROP} UPDATE invoices SET qr = 'forged' WHERE counter = 12;`),
      { counter: 12 },
      8,
    ],
    [
      'the body of the last row damaged',
      (f) => sqlite(f, `${DROP} UPDATE invoices SET body = zeroblob(40) WHERE counter = 12;`),
      { counter: 12 },
      8,
    ],
    [
      'the newest row deleted',
      (f) => sqlite(f, `${DROP} DELETE FROM outbox WHERE invoice_counter = 12; DELETE FROM invoices WHERE counter = 12;`),
      { counter: 12 },
      null,
    ],
    ['the first row edited', (f) => sqlite(f, `${DROP} UPDATE invoices SET irn = 'X' || irn WHERE counter = 1;`), { counter: 1 }, 0],
  ];

  it.each(cases)('%s: named exactly as the one-thread walk names it', async (_name, tamper, broken, rewalkedAfter) => {
    const { serial, parallel, shared } = await both(tampered(tamper));
    expect(serial.ok).toBe(false);
    expect(serial.broken).toMatchObject(broken);
    expect(parallel).toEqual(serial);
    // The worker of that range (or the seam into the next) found it; this thread only re-walked from there.
    expect(shared).toEqual({ threads: 3, rewalkedAfter });
  });

  it('a worker that dies is an error naming its range, not a pass', async () => {
    const dir = tempDir();
    const exits = join(dir, 'exits.cjs');
    // The first range's worker answers; the others exit without a word.
    writeFileSync(exits, `if (require('node:worker_threads').workerData.after > 0) process.exit(3); require(${JSON.stringify(script)});`);
    const throws = join(dir, 'throws.cjs');
    writeFileSync(throws, "throw new Error('disk read failed');");
    const db = openDatabase(tampered());
    const ledger = new Ledger(db, NOW);
    await expect(verifyFullParallel(ledger, { script: exits, threads: 3, minPerThread: 1, record: true })).rejects.toThrow(
      /verify: the verify worker for invoices (5–8|9–12) stopped before it answered \(exit code 3\): the chain was not verified/,
    );
    await expect(verifyFullParallel(ledger, { script: throws, threads: 3, minPerThread: 1, record: true })).rejects.toThrow(
      /verify: the verify worker for invoices \d+–\d+ failed \(disk read failed\): the chain was not verified/,
    );
    expect(ledger.lastCheckpoint()).toBeUndefined(); // nothing recorded as verified
    expect(db.inTransaction).toBe(false);
    db.close();
  });

  it('a chain shorter than a worker’s share is walked on this thread (same answer)', async () => {
    const db = openDatabase(tampered());
    const ledger = new Ledger(db, NOW);
    await expect(verifyFullParallel(ledger, { script: '/nonexistent/worker.cjs' })).resolves.toMatchObject({ ok: true, count: 12 });
    db.close();
  });

  it('by default, one worker a core (at most 4); one thread on a saturated machine (load ≥ cores)', () => {
    expect(defaultThreads(2, 0.1)).toBe(2);
    expect(defaultThreads(2, 1.2)).toBe(2);
    expect(defaultThreads(2, 2)).toBe(1);
    expect(defaultThreads(2, 10)).toBe(1);
    expect(defaultThreads(8, 0)).toBe(4);
    expect(defaultThreads(8, 5.5)).toBe(4);
    expect(defaultThreads(1, 0)).toBe(1);
  });
});
