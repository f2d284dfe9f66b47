// Rows checked at the boundary: a row that does not match its schema is an error naming the query
// and the column, never a value of the wrong type passed on.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { join } from 'node:path';
import { z } from 'zod';
import { openDatabase, type Db } from '../../main/ledger/database';
import { col, many, one, RowError } from '../../main/ledger/rows';
import { tempDir } from '../support/fixture';

let db: Db;
beforeEach(() => {
  db = openDatabase(join(tempDir(), 'ledger.db'));
});
afterEach(() => db.close());

it('parses rows with their schema and names the query and column when one is off', () => {
  const st = db.prepare("SELECT 1 AS n, 'x' AS s, NULL AS maybe, 1 AS flag, '{\"a\":1}' AS j");
  expect(one(z.object({ n: col.int, s: col.text, maybe: col.text.nullable(), flag: col.flag, j: col.json }), 'probe', st)).toEqual({
    n: 1,
    s: 'x',
    maybe: null,
    flag: true,
    j: { a: 1 },
  });
  expect(() => one(z.object({ n: col.text }), 'probe', st)).toThrow(RowError);
  expect(() => one(z.object({ maybe: col.text }), 'probe', st)).toThrow(/ledger row \(probe\) is not as expected: maybe: /);
  expect(() => one(z.object({ j: col.json }), 'bad json', db.prepare("SELECT '{' AS j"))).toThrow(/j: invalid JSON/);
  expect(one(z.object({ n: col.int }), 'none', db.prepare('SELECT 1 AS n WHERE 0'))).toBeUndefined();
  expect(many(z.object({ n: col.int }), 'series', db.prepare('SELECT value AS n FROM json_each(?)'), '[1,2,3]')).toEqual([
    { n: 1 },
    { n: 2 },
    { n: 3 },
  ]);
});
