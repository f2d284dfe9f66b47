import { afterEach, expect, it } from 'vitest';
import { applyStep, insertInvoice, insertOutbox, ledgerBefore, objects } from './helpers';
import type { Db } from '../../../main/ledger/database';

let db: Db;
afterEach(() => db.close());

it('007-app-indexes indexes the outbox by update time, which the app watch query then uses', () => {
  db = ledgerBefore('009-app-indexes'); // id kept from its first release; file 007-app-indexes.ts
  insertInvoice(db, 1);
  insertOutbox(db, 1, 'report', 'done', 5);
  applyStep(db, '009-app-indexes');
  expect(objects(db, 'index')).toContain('app_outbox_by_updated');
  const plan = db.prepare('EXPLAIN QUERY PLAN SELECT invoice_counter FROM outbox WHERE updated_at > ? ORDER BY updated_at').all(0) as {
    detail: string;
  }[];
  expect(plan.map((p) => p.detail).join(' ')).toContain('app_outbox_by_updated');
  expect(db.prepare('SELECT COUNT(*) AS n FROM outbox').get()).toEqual({ n: 1 });
});
