import { afterEach, expect, it } from 'vitest';
import { applyStep, insertInvoice, insertOutbox, ledgerBefore, objects } from './helpers';
import type { Db } from '../../../main/ledger/database';

let db: Db;
afterEach(() => db.close());

it('006-print-jobs adds reprint/test-page requests and the attempt journal beside the outbox print jobs', () => {
  db = ledgerBefore('003-print-jobs'); // id kept from its first release; file 006-print-jobs.ts
  insertInvoice(db, 1);
  insertOutbox(db, 1, 'print', 'done');
  applyStep(db, '003-print-jobs');
  expect(objects(db, 'table')).toEqual(expect.arrayContaining(['print_requests', 'print_attempts']));
  expect(db.prepare("SELECT status FROM outbox WHERE kind = 'print'").get()).toEqual({ status: 'done' });
  db.prepare(
    "INSERT INTO print_requests (invoice_counter, kind, next_attempt_at, created_at, updated_at) VALUES (1, 'copy', 1, 1, 1)",
  ).run();
  db.prepare(
    "INSERT INTO print_requests (invoice_counter, kind, next_attempt_at, created_at, updated_at) VALUES (NULL, 'test', 1, 1, 1)",
  ).run();
  expect(() =>
    db
      .prepare("INSERT INTO print_requests (invoice_counter, kind, next_attempt_at, created_at, updated_at) VALUES (NULL, 'copy', 1, 1, 1)")
      .run(),
  ).toThrow(/CHECK/);
  expect(() =>
    db
      .prepare("INSERT INTO print_requests (invoice_counter, kind, next_attempt_at, created_at, updated_at) VALUES (42, 'copy', 1, 1, 1)")
      .run(),
  ).toThrow(/FOREIGN KEY/);
});
