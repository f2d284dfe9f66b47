import { afterEach, expect, it } from 'vitest';
import { applyStep, columns, insertInvoice, insertOutbox, ledgerBefore } from './helpers';
import type { Db } from '../../../main/ledger/database';

let db: Db;
afterEach(() => db.close());

it('002-outbox-lease adds an empty lease to every existing outbox job', () => {
  db = ledgerBefore('002-outbox-lease');
  insertInvoice(db, 1);
  insertOutbox(db, 1, 'print', 'done');
  insertOutbox(db, 1, 'report', 'retrying');
  applyStep(db, '002-outbox-lease');
  expect(columns(db, 'outbox')).toContain('lease_owner');
  expect(columns(db, 'outbox')).toContain('lease_until');
  expect(db.prepare('SELECT kind, status, lease_owner, lease_until FROM outbox ORDER BY kind').all()).toEqual([
    { kind: 'print', status: 'done', lease_owner: null, lease_until: null },
    { kind: 'report', status: 'retrying', lease_owner: null, lease_until: null },
  ]);
});
