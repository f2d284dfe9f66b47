// Z reports on a real ledger file: numbers consecutive and allocated in the close, a closed
// period stays closed (a late sale dated that day does not change Z 1 by a byte), closes carried
// over from the old settings blob are sealed once.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../main/ledger/database';
import { openData, type Data } from '../../main/ledger/data';
import { closeDay, zReport, type ZContext } from '../../main/features/reports/z-service';
import { BUSINESS, keyPair, simpleSale, tempDir } from '../support/fixture';

const DAY = '2026-11-24';
let now = new Date('2026-11-24T20:00:00Z');
let db: Db;
let data: Data;
const ctx = (): ZContext => ({ business: data.ledger.getBusiness()!, now, demo: false, today: '2026-11-25' });

beforeEach(() => {
  now = new Date('2026-11-24T20:00:00Z');
  db = openDatabase(join(tempDir(), 'ledger.db'));
  data = openData(db, () => now);
  data.ledger.configure(BUSINESS, keyPair().keysFileJson);
});
afterEach(() => db.close());

it('closing a day allocates Z 1 over the chain as it stands; a late sale dated that day leaves Z 1 byte-identical', () => {
  data.ledger.issue(simpleSale('a', '1075.00'));
  data.ledger.issue(simpleSale('b', '2150.00'));
  const x = zReport(data, DAY, ctx());
  expect(x.closed).toBeNull();

  now = new Date('2026-11-24T22:00:00Z');
  const z1 = closeDay(data, DAY, ctx());
  expect(z1.closed).toEqual({ z_number: 1, closed_at: now.getTime() });
  expect(z1.total.count).toBe(2);
  expect(z1.gross_kobo).toBe(107_500 + 215_000);
  const before = JSON.stringify(zReport(data, DAY, ctx()));
  expect(JSON.stringify(z1)).toBe(before);

  // A POS catch-up the next morning, dated the closed day: it belongs to the next period.
  now = new Date('2026-11-25T09:00:00Z');
  const late = data.ledger.issue(simpleSale('late', '5000.00'));
  expect(late.invoice.issue_date).toBe(DAY);
  expect(JSON.stringify(zReport(data, DAY, ctx()))).toBe(before);
  expect(JSON.stringify(closeDay(data, DAY, ctx()))).toBe(before); // closing again: same Z 1

  const row = data.zReports.get(DAY)!;
  expect(row).toMatchObject({ z_number: 1, first_counter: 1, last_counter: 2, head_counter: 2 });
  expect(late.invoice.counter).toBeGreaterThan(row.head_counter);

  // The open period (the X reading of the next day) already holds the late sale: Z 2 to be.
  const x2 = zReport(data, '2026-11-25', ctx());
  expect(x2.closed).toBeNull();
  expect(x2.total.count).toBe(1);
  expect(x2.first_invoice).toBe(late.invoice.invoice_number);
  const today = data.ledger.issue(simpleSale('today', '100.00'));

  // The next close gets the next number and the late sale, whatever its sale date.
  const z2 = closeDay(data, '2026-11-25', ctx());
  expect(z2.closed?.z_number).toBe(2);
  expect(z2.total.count).toBe(2);
  expect(z2.gross_kobo).toBe(500_000 + 10_000);
  expect([z2.first_invoice, z2.last_invoice]).toEqual([late.invoice.invoice_number, today.invoice.invoice_number]);
  expect(data.zReports.get('2026-11-25')).toMatchObject({ first_counter: late.invoice.counter, last_counter: today.invoice.counter });
  expect(JSON.stringify(zReport(data, DAY, ctx()))).toBe(before);
});

it('closes go forward: a day before the latest close cannot be closed afterwards', () => {
  closeDay(data, '2026-11-24', ctx());
  expect(() => closeDay(data, '2026-11-23', ctx())).toThrow(/2026-11-23 is before 2026-11-24, already closed as Z 1/);
  expect(closeDay(data, '2026-11-24', ctx()).closed?.z_number).toBe(1);
});

it('a sale dated after the day being closed waits for its own period', () => {
  now = new Date('2026-11-25T08:00:00Z'); // the morning after: yesterday not closed yet
  const early = data.ledger.issue(simpleSale('early', '300.00', { occurred_at: '2026-11-25T08:30:00+01:00' }));
  expect(early.invoice.issue_date).toBe('2026-11-25');
  const z1 = closeDay(data, DAY, ctx());
  expect(z1.total.count).toBe(0);
  const z2 = closeDay(data, '2026-11-25', ctx());
  expect(z2.total.count).toBe(1);
  expect(z2.first_invoice).toBe(early.invoice.invoice_number);
});

it('refuses a day that has not started, and never reuses or edits a number', () => {
  expect(() => closeDay(data, '2026-11-26', ctx())).toThrow(/has not started yet/);
  closeDay(data, '2026-11-20', ctx());
  closeDay(data, '2026-11-21', ctx());
  expect([data.zReports.get('2026-11-20')!.z_number, data.zReports.get('2026-11-21')!.z_number]).toEqual([1, 2]);
  expect(() => db.prepare('UPDATE z_reports SET closed_at = 0 WHERE z_number = 1').run()).toThrow(/immutable/);
  expect(() => db.prepare('DELETE FROM z_reports WHERE z_number = 2').run()).toThrow(/immutable/);
});

it('a close carried over from the settings blob is computed over its range and sealed once', () => {
  data.ledger.issue(simpleSale('a', '1075.00'));
  data.ledger.issue(simpleSale('b', '2150.00'));
  // What 009-z-reports leaves for an old close: range fixed, no stored report (test SQL on purpose).
  db.prepare(
    "INSERT INTO z_reports (z_number, day, first_counter, last_counter, head_counter, head_hash, closed_at) VALUES (1, ?, 1, 1, 1, 'h', 5)",
  ).run(DAY);
  const sealed = zReport(data, DAY, ctx());
  expect(sealed.closed).toEqual({ z_number: 1, closed_at: 5 });
  expect(sealed.total.count).toBe(1); // only invoice 1 was issued by the close
  expect(data.zReports.get(DAY)!.report_json).toBe(JSON.stringify(sealed));
  data.ledger.issue(simpleSale('c', '9.99'));
  expect(JSON.stringify(zReport(data, DAY, ctx()))).toBe(JSON.stringify(sealed));
});

it('a stored Z report that no longer parses is an error naming the Z number', () => {
  db.prepare(
    "INSERT INTO z_reports (z_number, day, head_counter, head_hash, closed_at, report_json) VALUES (1, ?, 0, 'h', 5, '{\"date\":1}')",
  ).run(DAY);
  expect(() => zReport(data, DAY, ctx())).toThrow(/stored Z report 1 is unreadable \(.*date/);
});

it("the first Z covers everything issued before it, and each Z reads only its own period's invoices", () => {
  const old = data.ledger.issue(simpleSale('old', '100.00', { occurred_at: '2026-11-23T10:00:00+01:00' }));
  const a = data.ledger.issue(simpleSale('a', '200.00'));
  const z1 = closeDay(data, DAY, ctx());
  expect([z1.total.count, z1.first_invoice, z1.last_invoice]).toEqual([2, old.invoice.invoice_number, a.invoice.invoice_number]);
  now = new Date('2026-11-25T09:00:00Z');
  const b = data.ledger.issue(simpleSale('b', '300.00', { occurred_at: '2026-11-25T09:30:00+01:00' }));
  expect(data.zReports.periodInvoices('2026-11-25', b.invoice.counter, 2).map((i) => i.counter)).toEqual([b.invoice.counter]);
});
