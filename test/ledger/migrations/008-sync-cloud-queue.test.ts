import { afterEach, expect, it } from 'vitest';
import { applyStep, insertInvoice, insertOutbox, ledgerBefore, objects } from './helpers';
import type { Db } from '../../../main/ledger/database';

let db: Db;
afterEach(() => db.close());

it('008-sync-cloud-queue queues what the cloud has not got yet, then keeps the queue by triggers', () => {
  db = ledgerBefore('004-sync-cloud-queue'); // id kept from its first release; file 008-sync-cloud-queue.ts
  insertInvoice(db, 1, { day: '2026-11-23' });
  insertInvoice(db, 2, { day: '2026-11-24' });
  insertInvoice(db, 3, { day: '2026-11-24' });
  insertOutbox(db, 3, 'report', 'sending');
  // Invoice 1 and its day were uploaded by the previous release.
  db.prepare(
    "INSERT INTO cloud_invoice_uploads (invoice_counter, state_sent, outcome, batch_key, uploaded_at) VALUES (1, 's', 'accepted', 'b', 1)",
  ).run();
  db.prepare("INSERT INTO cloud_day_uploads (day, digest, outcome, uploaded_at) VALUES ('2026-11-23', 'd', 'accepted', 1)").run();
  applyStep(db, '004-sync-cloud-queue');
  expect(objects(db, 'trigger')).toEqual(expect.arrayContaining(['cloud_queue_on_issue', 'cloud_queue_on_report_state']));
  expect(db.prepare('SELECT invoice_counter FROM cloud_queue ORDER BY 1').pluck().all()).toEqual([2, 3]);
  expect(db.prepare('SELECT day FROM cloud_days_dirty ORDER BY 1').pluck().all()).toEqual(['2026-11-24']);

  insertInvoice(db, 4, { day: '2026-11-25' });
  expect(db.prepare('SELECT invoice_counter FROM cloud_queue ORDER BY 1').pluck().all()).toEqual([2, 3, 4]);
  expect(db.prepare('SELECT day FROM cloud_days_dirty ORDER BY 1').pluck().all()).toEqual(['2026-11-24', '2026-11-25']);
  db.prepare('DELETE FROM cloud_queue').run();
  db.prepare("UPDATE outbox SET status = 'done' WHERE invoice_counter = 3 AND kind = 'report'").run();
  expect(db.prepare('SELECT invoice_counter FROM cloud_queue').pluck().all()).toEqual([3]);
});
