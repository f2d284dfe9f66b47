// The code lists are parsed (and their code sets built) once per fetched version, not once per
// report: a newer fetch — by this process or another one sharing the ledger — is still seen.
import { afterEach, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../main/ledger/database';
import { CodeListStore } from '../../main/ledger/code-list-store';
import { CodeLists } from '../../main/firs/code-lists';
import { tempDir } from '../support/fixture';

let db: Db;
let other: Db;
afterEach(() => {
  other?.close();
  db?.close();
});

it('a list fetched again (even through another connection) replaces the memoised one', () => {
  const file = join(tempDir('tpos-codes-'), 'ledger.db');
  db = openDatabase(file);
  other = openDatabase(file, { migrate: false, fileMustExist: true });
  const lists = new CodeLists(db);
  const shipped = lists.codes('currencies');
  expect(shipped.has('NGN')).toBe(true);
  expect(lists.codes('currencies')).toBe(shipped); // the same set: built once
  new CodeListStore(other).save('currencies', 1_000, JSON.stringify([{ code: 'NGN' }, { code: 'XOF' }]));
  const v1 = lists.codes('currencies');
  expect([...v1].sort()).toEqual(['NGN', 'XOF']);
  expect(lists.codes('currencies')).toBe(v1);
  expect(lists.check({ invoice_type_code: 'X', document_currency_code: 'XOF', tax_currency_code: 'XOF' })).not.toContainEqual(
    expect.stringMatching(/currency/),
  );
  new CodeListStore(other).save('currencies', 2_000, JSON.stringify([{ code: 'NGN' }]));
  expect([...lists.codes('currencies')]).toEqual(['NGN']);
  expect(lists.check({ document_currency_code: 'XOF' })).toContainEqual(expect.stringMatching(/document_currency_code/));
});
