import { afterEach, expect, it } from 'vitest';
import { applyStep, columns, insertInvoice, ledgerBefore, objects } from './helpers';
import type { Db } from '../../../main/ledger/database';
import { PinThrottle } from '../../../main/ledger/pin-throttle';

let db: Db;
afterEach(() => db.close());

it('015-pin-throttle adds the shared wrong-PIN table, leaving invoices alone', () => {
  db = ledgerBefore('015-pin-throttle');
  insertInvoice(db, 1);
  expect(objects(db, 'table')).not.toContain('pin_throttle');
  applyStep(db, '015-pin-throttle');
  expect(columns(db, 'pin_throttle')).toEqual(['scope', 'failures', 'blocked_until', 'updated_at']);
  expect(db.prepare('SELECT COUNT(*) AS n FROM invoices').get()).toEqual({ n: 1 });
  const t = new PinThrottle(db);
  for (let i = 0; i < 4; i++) expect(t.fail('pin', 1000)).toBeUndefined();
  expect(t.fail('pin', 1000)).toBe(30);
  expect(t.waitS('pin', 1000)).toBe(30);
  expect(() => db.prepare("INSERT INTO pin_throttle VALUES ('x', -1, 0, 0)").run()).toThrow(/CHECK/);
});
