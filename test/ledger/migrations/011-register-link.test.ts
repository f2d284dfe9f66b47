import { afterEach, expect, it } from 'vitest';
import { applyStep, columns, insertInvoice, ledgerBefore, objects } from './helpers';
import type { Db } from '../../../main/ledger/database';
import { RegisterLinkStore } from '../../../main/ledger/register-link-store';

let db: Db;
afterEach(() => db.close());

it('011-register-link adds the byte journal, the cursor and the captures beside existing invoices', () => {
  db = ledgerBefore('011-register-link');
  insertInvoice(db, 1, { day: '2026-11-23', recordedAt: Date.parse('2026-11-23T10:00:00Z') });
  applyStep(db, '011-register-link');
  expect(columns(db, 'register_link_chunks')).toEqual(['id', 'link', 'pos', 'kind', 'bytes', 'received_at']);
  expect(columns(db, 'register_link_cursor')).toEqual(['link', 'pos', 'codepage', 'updated_at']);
  expect(objects(db, 'index')).toEqual(expect.arrayContaining(['register_link_chunks_link', 'register_link_captures_status']));
  expect(db.prepare('SELECT COUNT(*) FROM invoices').pluck().get()).toBe(1);
  // The store works on the upgraded file: offsets continue, a piece is recorded once.
  const store = new RegisterLinkStore(db, () => 5);
  expect(store.append('till', 'data', Buffer.from('abc'))).toEqual({ id: 1, offset: 0 });
  expect(store.append('till', 'idle', new Uint8Array(0)).offset).toBe(3);
  expect(store.append('till', 'data', Buffer.from('de')).offset).toBe(3);
  const c = {
    link: 'till',
    mode: 'print' as const,
    start: 0,
    end: 3,
    raw: Buffer.from('abc'),
    text: 'abc',
    status: 'rejected' as const,
    receivedAt: 5,
  };
  expect(store.addCapture(c).inserted).toBe(true);
  expect(store.addCapture(c).inserted).toBe(false);
  expect(() =>
    db.prepare("INSERT INTO register_link_chunks (link, pos, kind, bytes, received_at) VALUES ('x', 0, 'bogus', x'', 0)").run(),
  ).toThrow(/CHECK/);
});
