import { afterEach, expect, it } from 'vitest';
import { applyStep, columns, insertInvoice, insertOutbox, ledgerBefore, objects } from './helpers';
import type { Db } from '../../../main/ledger/database';

let db: Db;
afterEach(() => db.close());

it('001-foundation creates settings, series, the immutable invoices table and the outbox on an empty file', () => {
  db = ledgerBefore('001-foundation');
  expect(objects(db, 'table')).toEqual(['schema_migrations']);
  applyStep(db, '001-foundation');
  expect(objects(db, 'table')).toEqual(['invoices', 'outbox', 'schema_migrations', 'series', 'settings']);
  expect(objects(db, 'trigger')).toEqual(['invoices_no_delete', 'invoices_no_update']);
  insertInvoice(db, 1);
  insertOutbox(db, 1, 'report');
  expect(() => db.prepare('UPDATE invoices SET payable_kobo = 1 WHERE counter = 1').run()).toThrow(/immutable/);
  expect(() => db.prepare('DELETE FROM invoices').run()).toThrow(/immutable/);
  expect(() => insertOutbox(db, 1, 'report')).toThrow(/UNIQUE|PRIMARY KEY/);
  expect(columns(db, 'series')).toEqual(['terminal', 'next_counter', 'head_counter', 'head_hash']);
});
