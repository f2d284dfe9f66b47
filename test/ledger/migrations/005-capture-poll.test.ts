import { afterEach, expect, it } from 'vitest';
import { applyStep, insertInvoice, ledgerBefore, objects } from './helpers';
import type { Db } from '../../../main/ledger/database';

let db: Db;
afterEach(() => db.close());

it('005-capture-poll adds connector settings, watermarks, seen orders and webhook event ids', () => {
  db = ledgerBefore('007-capture-poll'); // id kept from its first release; file 005-capture-poll.ts
  insertInvoice(db, 1);
  db.prepare(
    "INSERT INTO capture_review (vendor, vendor_id, reason, payload, payload_hash, received_at, last_seen_at) VALUES ('toast', 'g1', 'r', '{}', 'h', 1, 1)",
  ).run();
  applyStep(db, '007-capture-poll');
  for (const t of ['capture_connector', 'capture_watermark', 'capture_seen', 'capture_webhook_event'])
    expect(objects(db, 'table')).toContain(t);
  expect(db.prepare('SELECT vendor, vendor_id FROM capture_review').all()).toEqual([{ vendor: 'toast', vendor_id: 'g1' }]);
  db.prepare("INSERT INTO capture_seen (connector, vendor_id, version, outcome, seen_at) VALUES ('square', 'o', 'v1', 'issued', 1)").run();
  expect(() =>
    db
      .prepare("INSERT INTO capture_seen (connector, vendor_id, version, outcome, seen_at) VALUES ('square', 'o', 'v1', 'issued', 2)")
      .run(),
  ).toThrow(/UNIQUE|PRIMARY KEY/);
  expect(() =>
    db.prepare("INSERT INTO capture_connector (vendor, config, enabled, updated_at) VALUES ('square', '{}', 2, 1)").run(),
  ).toThrow(/CHECK/);
});
