import { afterEach, expect, it } from 'vitest';
import { applyStep, insertInvoice, insertOutbox, ledgerBefore, objects } from './helpers';
import type { Db } from '../../../main/ledger/database';

let db: Db;
afterEach(() => db.close());

it('004-sync-report adds the report journal, results, code lists and cloud uploads tied to existing invoices', () => {
  db = ledgerBefore('004-sync-report');
  insertInvoice(db, 1);
  insertOutbox(db, 1, 'report', 'sending');
  applyStep(db, '004-sync-report');
  for (const t of ['report_attempts', 'report_results', 'firs_code_lists', 'cloud_invoice_uploads', 'cloud_day_uploads'])
    expect(objects(db, 'table')).toContain(t);
  db.prepare(
    "INSERT INTO report_attempts (invoice_counter, irn, worker, idempotency_key, started_at, outcome) VALUES (1, 'IRN1', 'w', 'k', 1, 'in_flight')",
  ).run();
  expect(() =>
    db
      .prepare(
        "INSERT INTO report_attempts (invoice_counter, irn, worker, idempotency_key, started_at, outcome) VALUES (99, 'x', 'w', 'k', 1, 'in_flight')",
      )
      .run(),
  ).toThrow(/FOREIGN KEY/);
  expect(() =>
    db.prepare("INSERT INTO report_results (invoice_counter, irn, outcome, reported_at) VALUES (1, 'IRN1', 'maybe', 1)").run(),
  ).toThrow(/CHECK/);
  expect(db.prepare('SELECT status FROM outbox').get()).toEqual({ status: 'sending' });
});
