import { afterEach, expect, it } from 'vitest';
import { applyStep, columns, ledgerBefore, objects } from './helpers';
import type { Db } from '../../../main/ledger/database';
import { Customers } from '../../../main/ledger/catalogue';
import { migrate } from '../../../main/ledger/database';
import { MIGRATIONS } from '../../../main/ledger/migrations/index';

let db: Db;
afterEach(() => db.close());

it('020-customers adds the buyers table: one row per TIN, the party kept as the sale carries it', () => {
  db = ledgerBefore('020-customers');
  expect(objects(db, 'table')).not.toContain('customers');
  applyStep(db, '020-customers');
  expect(columns(db, 'customers')).toEqual(['id', 'tin', 'name', 'party_json', 'updated_at']);
  migrate(db, MIGRATIONS); // the later steps too: today's Customers also reads 024's archive column
  const c = new Customers(db, () => 5);
  const party = { name: 'Okafor Trading Ltd', tin: '12345678-0001', email: 'accounts@okafor.ng' };
  const a = c.save(party);
  expect(a.party).toEqual(party);
  const b = c.save({ ...party, name: 'Okafor Trading Limited' });
  expect(b.id).toBe(a.id);
  expect(c.search('okafor').map((x) => x.party.name)).toEqual(['Okafor Trading Limited']);
  expect(c.search('12345678').length).toBe(1);
  expect(() => db.prepare("INSERT INTO customers (tin, name, party_json, updated_at) VALUES ('x', 'y', 'nope', 0)").run()).toThrow(/CHECK/);
});
