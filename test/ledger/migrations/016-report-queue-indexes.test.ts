import { afterEach, expect, it } from 'vitest';
import { applyStep, columns, insertInvoice, insertOutbox, ledgerBefore, objects } from './helpers';
import type { Db } from '../../../main/ledger/database';

let db: Db;
afterEach(() => db.close());

const b2bOf = (counter: number, kind: string) =>
  (db.prepare('SELECT b2b FROM outbox WHERE invoice_counter = ? AND kind = ?').get(counter, kind) as { b2b: number }).b2b;

it('016-report-queue-indexes marks the report jobs of B2B invoices, keeps every job, and indexes the open queue', () => {
  db = ledgerBefore('016-report-queue-indexes');
  insertInvoice(db, 1);
  insertInvoice(db, 2, { b2b: true });
  insertInvoice(db, 3);
  for (const c of [1, 2, 3]) insertOutbox(db, c, 'print', 'done');
  insertOutbox(db, 1, 'report', 'done');
  insertOutbox(db, 2, 'report', 'pending');
  insertOutbox(db, 3, 'report', 'retrying');
  const before = db.prepare('SELECT * FROM outbox ORDER BY invoice_counter, kind').all();
  const queuedBefore = db.prepare('SELECT invoice_counter FROM cloud_queue ORDER BY 1').all();

  applyStep(db, '016-report-queue-indexes');

  expect(columns(db, 'outbox')).toContain('b2b');
  expect(objects(db, 'index')).toEqual(expect.arrayContaining(['outbox_report_due', 'outbox_report_open']));
  expect(objects(db, 'trigger')).toContain('outbox_report_b2b');
  // Every job is kept as it was, with the invoice's B2B flag on the report job only.
  const after = db.prepare('SELECT * FROM outbox ORDER BY invoice_counter, kind').all() as Record<string, unknown>[];
  expect(after.map(({ b2b: _b, ...rest }) => rest)).toEqual(before);
  expect([b2bOf(1, 'report'), b2bOf(2, 'report'), b2bOf(3, 'report'), b2bOf(2, 'print')]).toEqual([0, 1, 0, 0]);
  // The flag changed no report state: the cloud queue (filled by a status trigger) is untouched.
  expect(db.prepare('SELECT invoice_counter FROM cloud_queue ORDER BY 1').all()).toEqual(queuedBefore);

  // New jobs take the flag from their invoice as they are written (the invoice comes first in the sale's transaction).
  insertInvoice(db, 4, { b2b: true });
  insertInvoice(db, 5);
  for (const c of [4, 5]) {
    insertOutbox(db, c, 'report', 'pending');
    insertOutbox(db, c, 'print', 'pending');
  }
  expect([b2bOf(4, 'report'), b2bOf(4, 'print'), b2bOf(5, 'report')]).toEqual([1, 0, 0]);
  expect(() => db.exec(`UPDATE outbox SET b2b = 2 WHERE invoice_counter = 5 AND kind = 'report'`)).toThrow(/CHECK/);
});
