import { afterEach, expect, it } from 'vitest';
import { applyStep, columns, ledgerBefore } from './helpers';
import type { Db } from '../../../main/ledger/database';
import { Customers } from '../../../main/ledger/catalogue';

let db: Db;
afterEach(() => db.close());

it('024-customer-archive: existing buyers stay (not archived); archive hides, saving the TIN again restores', () => {
  db = ledgerBefore('024-customer-archive');
  db.prepare("INSERT INTO customers (tin, name, party_json, updated_at) VALUES ('12345678-0001', 'Okafor', ?, 1)").run(
    JSON.stringify({ name: 'Okafor', tin: '12345678-0001' }),
  );
  applyStep(db, '024-customer-archive');
  expect(columns(db, 'customers')).toEqual(['id', 'tin', 'name', 'party_json', 'updated_at', 'archived_at']);
  const c = new Customers(db, () => 7);
  const [okafor] = c.search('okafor');
  expect(okafor?.party.name).toBe('Okafor');
  expect(c.archive(okafor!.id)).toBe(true);
  expect(c.archive(okafor!.id)).toBe(false); // already archived
  expect(c.archive(999)).toBe(false);
  expect(c.search('okafor')).toEqual([]);
  expect(db.prepare('SELECT archived_at FROM customers WHERE id = ?').get(okafor!.id)).toEqual({ archived_at: 7 });
  expect(c.save({ name: 'Okafor Trading', tin: '12345678-0001' }).id).toBe(okafor!.id);
  expect(c.search('okafor').map((x) => x.party.name)).toEqual(['Okafor Trading']);
});
