import { afterEach, expect, it } from 'vitest';
import { applyStep, columns, insertInvoice, ledgerBefore, objects } from './helpers';
import type { Db } from '../../../main/ledger/database';

let db: Db;
afterEach(() => db.close());

it('012-crm-deals adds the deal memory, the CRM watermarks and connections, leaving invoices alone', () => {
  db = ledgerBefore('012-crm-deals');
  insertInvoice(db, 1, { day: '2026-11-23', recordedAt: Date.parse('2026-11-23T10:00:00Z') });
  applyStep(db, '012-crm-deals');
  expect(objects(db, 'table')).toEqual(expect.arrayContaining(['crm_deal', 'crm_watermark', 'crm_connection']));
  expect(columns(db, 'crm_deal')).toEqual(
    expect.arrayContaining([
      'source',
      'deal_id',
      'state',
      'generation',
      'irn',
      'invoiced_amount_kobo',
      'credit_irn',
      'trigger',
      'ack',
      'writeback',
    ]),
  );
  expect(db.prepare('SELECT COUNT(*) AS n FROM invoices').get()).toEqual({ n: 1 });
  // Only the three CRMs and the known states are accepted.
  const insert = db.prepare('INSERT INTO crm_deal (source, deal_id, state, created_at, updated_at) VALUES (?, ?, ?, 1, 1)');
  expect(() => insert.run('hubspot', '512', 'invoiced')).not.toThrow();
  expect(() => insert.run('square', '1', 'invoiced')).toThrow(/CHECK/);
  expect(() => insert.run('pipedrive', '1', 'paid')).toThrow(/CHECK/);
  expect(() => insert.run('hubspot', '512', 'review')).toThrow(/UNIQUE|PRIMARY/);
});
