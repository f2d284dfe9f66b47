import { afterEach, expect, it } from 'vitest';
import { applyStep, insertInvoice, ledgerBefore, objects } from './helpers';
import type { Db } from '../../../main/ledger/database';

let db: Db;
afterEach(() => db.close());

it('003-capture-review adds the review queue and leaves the invoices alone', () => {
  db = ledgerBefore('006-capture-review'); // id kept from its first release; file 003-capture-review.ts
  insertInvoice(db, 1);
  applyStep(db, '006-capture-review');
  expect(objects(db, 'table')).toContain('capture_review');
  expect(objects(db, 'index')).toContain('capture_review_open');
  expect(db.prepare('SELECT COUNT(*) AS n FROM invoices').get()).toEqual({ n: 1 });
  db.prepare(
    "INSERT INTO capture_review (vendor, vendor_id, reason, payload, payload_hash, received_at, last_seen_at) VALUES ('square', 'o1', 'r', '{}', 'h', 1, 1)",
  ).run();
  expect(db.prepare('SELECT status, seen_count FROM capture_review').get()).toEqual({ status: 'open', seen_count: 1 });
  expect(() => db.prepare("UPDATE capture_review SET status = 'gone'").run()).toThrow(/CHECK/);
});
