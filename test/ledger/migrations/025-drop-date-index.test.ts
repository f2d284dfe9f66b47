import { afterEach, expect, it } from 'vitest';
import { applyStep, ledgerBefore } from './helpers';
import type { Db } from '../../../main/ledger/database';

let db: Db;
afterEach(() => db.close());

const indexes = () =>
  (
    db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'invoices' AND sql IS NOT NULL").all() as {
      name: string;
    }[]
  )
    .map((r) => r.name)
    .sort();

it('025-drop-date-index: the date-only index goes, the covering day index stays and serves a day', () => {
  db = ledgerBefore('025-drop-date-index');
  expect(indexes()).toContain('invoices_by_date');
  applyStep(db, '025-drop-date-index');
  expect(indexes()).not.toContain('invoices_by_date');
  expect(indexes()).toContain('invoices_day');
  const plan = db.prepare("EXPLAIN QUERY PLAN SELECT counter FROM invoices WHERE issue_date = '2026-11-30'").all() as { detail: string }[];
  expect(plan.map((p) => p.detail).join('\n')).toMatch(/USING COVERING INDEX invoices_day/);
});
