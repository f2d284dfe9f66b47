import { afterEach, expect, it } from 'vitest';
import { applyStep, columns, insertInvoice, ledgerBefore, objects } from './helpers';
import type { Db } from '../../../main/ledger/database';

let db: Db;
afterEach(() => db.close());

it('010-clearance adds the IRN collision table; issued invoices and report jobs are untouched', () => {
  db = ledgerBefore('010-clearance');
  insertInvoice(db, 1);
  db.prepare(
    "INSERT INTO outbox (kind, invoice_counter, status, next_attempt_at, created_at, updated_at) VALUES ('report', 1, 'rejected', 0, 0, 0)",
  ).run();
  const before = db.prepare('SELECT * FROM invoices').all();
  applyStep(db, '010-clearance');

  expect(objects(db, 'table')).toContain('report_collisions');
  expect(columns(db, 'report_collisions')).toEqual(['invoice_counter', 'irn', 'differences', 'platform_record', 'detected_at']);
  expect(db.prepare('SELECT * FROM invoices').all()).toEqual(before);
  db.prepare(
    "INSERT INTO report_collisions VALUES (1, 'T01-000001-94ND90NR-20261124', 'payable_amount: ours 1, the platform''s 2', '{}', 5)",
  ).run();
  // One collision per invoice, and only for an invoice that exists.
  expect(() => db.prepare("INSERT INTO report_collisions VALUES (1, 'x', '', '{}', 6)").run()).toThrow(/UNIQUE|PRIMARY KEY/);
  expect(() => db.prepare("INSERT INTO report_collisions VALUES (99, 'x', '', '{}', 6)").run()).toThrow(/FOREIGN KEY/);
});
