import { afterEach, expect, it } from 'vitest';
import { applyStep, columns, insertInvoice, ledgerBefore, objects } from './helpers';
import type { Db } from '../../../main/ledger/database';
import { SHIFT_QUERIES, Shifts } from '../../../main/ledger/shifts';

let db: Db;
afterEach(() => db.close());

it('023-shifts adds shifts, cash moves and closes: append-only, one open shift per cashier, sums over the chain range', () => {
  db = ledgerBefore('023-shifts');
  insertInvoice(db, 1); // issued before the upgrade: before any shift
  applyStep(db, '023-shifts');
  expect(objects(db, 'table')).toEqual(expect.arrayContaining(['shifts', 'shift_cash_moves', 'shift_closes']));
  expect(columns(db, 'shifts')).toEqual(['id', 'terminal', 'cashier', 'day', 'opened_at', 'open_head', 'float_kobo']);
  expect(objects(db, 'index')).toEqual(expect.arrayContaining(['shifts_by_day', 'shifts_by_cashier', 'shift_cash_moves_by_shift']));

  const shifts = new Shifts(db);
  const s = shifts.open({ terminal: 'T01', cashier: null, day: '2026-11-24', at: 1, float_kobo: 10_000 });
  expect(s).toMatchObject({ open_head: 1, closed_at: null });
  // A second open shift for the same cashier is refused by the ledger itself; another cashier may open one.
  expect(() => shifts.open({ terminal: 'T01', cashier: null, day: '2026-11-24', at: 2, float_kobo: 0 })).toThrow(
    /already has an open shift/,
  );
  shifts.open({ terminal: 'T01', cashier: 'Ada', day: '2026-11-24', at: 2, float_kobo: 0 });

  // Invoices after the open are the shift's (old rows store '{"payments":[]}' and no cashier).
  insertInvoice(db, 2);
  expect(shifts.takings(null, s.open_head, shifts.head())).toMatchObject({ sales_count: 1, sales_kobo: 100_000, change: 0 });
  expect(shifts.takings('Ada', s.open_head, shifts.head())).toMatchObject({ sales_count: 0 });

  shifts.addMove(s.id, { kind: 'in', amount_kobo: 500, reason: 'coins', by: null, at: 3 });
  expect(() => shifts.addMove(s.id, { kind: 'out', amount_kobo: 0, reason: 'x', by: null, at: 3 })).toThrow(/CHECK/);
  expect(() => db.prepare('UPDATE shifts SET float_kobo = 0').run()).toThrow(/append-only/);
  expect(() => db.prepare('DELETE FROM shifts').run()).toThrow(/append-only/);
  expect(() =>
    db
      .prepare("INSERT INTO shift_closes (shift_id, closed_at, close_head, counted_json, report_json) VALUES (?, 4, 2, 'nope', '{}')")
      .run(s.id),
  ).toThrow(/CHECK/);

  // The sums read the shift's chain range on the invoices' primary key: never a scan of the ledger.
  for (const sql of Object.values(SHIFT_QUERIES)) {
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ from: 0, to: 9 }) as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(plan).toMatch(/SEARCH invoices USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/);
    expect(plan).not.toMatch(/SCAN invoices/);
  }
});
