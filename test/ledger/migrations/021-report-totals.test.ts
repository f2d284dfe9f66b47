import { afterEach, expect, it } from 'vitest';
import { join } from 'node:path';
import { applyStep, columns, insertInvoice, ledgerBefore, objects } from './helpers';
import { migrate, openDatabase, type Db } from '../../../main/ledger/database';
import { MIGRATIONS } from '../../../main/ledger/migrations/index';
import { openData } from '../../../main/ledger/data';
import { decodeBody } from '../../../main/ledger/invoice-body';
import { closeDay } from '../../../main/features/reports/z-service';
import { refund } from '../../../main/features/sales/refund-service';
import { buildZReport, summariseDay, summaryFromTotals } from '../../../shared/reports/day-summary';
import { zReport } from '../../../main/features/reports/z-service';
import { BUSINESS, keyPair, sampleSale, simpleSale, tempDir } from '../../support/fixture';

let db: Db;
let src: Db;
afterEach(() => {
  db.close();
  src.close();
});

const DAYS = ['2026-11-24', '2026-11-25'];

/** Invoices issued by the app (today's schema, totals kept live), to copy into a ledger of the previous release. */
function issuedLedger(): Db {
  let now = new Date('2026-11-24T12:00:00Z');
  const file = join(tempDir('tpos-mig-src-'), 'ledger.db');
  const s = openDatabase(file);
  const data = openData(s, () => now);
  data.ledger.configure(BUSINESS, keyPair().keysFileJson);
  const a = data.ledger.issue(simpleSale('a', '1075.00', { occurred_at: '2026-11-24T08:15:00+01:00' })).invoice;
  data.ledger.issue(
    simpleSale('m', '0', {
      occurred_at: '2026-11-24T09:40:00+01:00',
      lines: [
        { name: 'Bread', quantity: '2', unit_price: '1075.00', tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true } },
        { name: 'Milk', quantity: '1', unit_price: '900.00', tax: { category: 'ZERO_VAT', rate: '0', inclusive: true } },
      ],
      tip: '50.00',
      payments: [
        { method: 'card', amount: '1000.00' },
        { method: 'cash', amount: '3500.00' },
      ],
    }),
  );
  data.ledger.issue(sampleSale({ external_id: 'b2b', occurred_at: '2026-11-24T11:05:00+01:00' }));
  data.ledger.issue(simpleSale('demo', '500.00', { occurred_at: '2026-11-24T11:30:00+01:00', source: 'demo' }));
  now = new Date('2026-11-24T23:40:00Z');
  data.ledger.issue(simpleSale('early', '430.00', { occurred_at: '2026-11-25T00:35:00+01:00' }));
  closeDay(data, '2026-11-24', { business: data.ledger.getBusiness()!, now, demo: false, today: '2026-11-25' });
  now = new Date('2026-11-25T09:00:00Z');
  data.ledger.issue(simpleSale('late', '2150.00', { occurred_at: '2026-11-24T21:00:00+01:00' }));
  refund(data, a, { irn: a.irn, refundId: 'r-a', lines: [{ index: 0, quantity: '1' }] }, { demo: false, now });
  s.prepare("UPDATE outbox SET status = 'done' WHERE kind = 'report' AND invoice_counter IN (1, 3)").run();
  return s;
}

it('021-report-totals adds up the invoices already issued: the same totals as issuing keeps, the same reports as reading every invoice', () => {
  src = issuedLedger();
  db = ledgerBefore('021-report-totals');
  expect(objects(db, 'table')).not.toContain('report_totals');
  // The previous release's ledger: the same invoices, outbox, chain head and closes (those tables are unchanged by 021).
  // Invoices first (the outbox refers to them), as that release stored them: the JSON texts in
  // their columns (022 compresses them later).
  const cols = columns(db, 'invoices');
  const insert = db.prepare(`INSERT INTO invoices (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`);
  for (const r of src.prepare('SELECT * FROM invoices ORDER BY counter').all() as Record<string, unknown>[]) {
    const row: Record<string, unknown> = { ...r, ...decodeBody(src, r.dictionary_id as number, r.body as Buffer) };
    insert.run(Object.fromEntries(cols.map((c) => [c, row[c]])));
  }
  db.prepare('ATTACH DATABASE ? AS src').run(src.name);
  for (const t of ['settings', 'series', 'outbox', 'z_reports'])
    db.exec(`DELETE FROM main.${t}; INSERT INTO main.${t} SELECT * FROM src.${t}`);
  db.exec('DETACH DATABASE src');
  // An invoice whose stored totals do not match its sale (edited behind the app's back) on a day of its own.
  insertInvoice(db, 8, { day: '2026-11-26' });

  applyStep(db, '021-report-totals');
  expect(columns(db, 'report_totals')).toEqual([
    'issue_date',
    'after_z',
    'demo',
    'dim',
    'key',
    'n',
    'a',
    'b',
    'c',
    'd',
    'first_counter',
    'last_counter',
  ]);
  // Backfilled rows are exactly what issuing wrote as it went (the app's ledger keeps them live).
  const rows = (d: Db, where = '') => d.prepare(`SELECT * FROM report_totals ${where} ORDER BY issue_date, after_z, demo, dim, key`).all();
  expect(rows(db, "WHERE issue_date != '2026-11-26'")).toEqual(rows(src));
  expect(rows(db).length).toBeGreaterThan(10);

  // The reports are read by today's code, on today's schema (022 compresses the texts; totals untouched).
  migrate(db, MIGRATIONS);
  expect(rows(db, "WHERE issue_date != '2026-11-26'")).toEqual(rows(src));
  const data = openData(db, () => new Date('2026-11-25T12:00:00Z'));
  for (const day of DAYS) {
    const totals = data.reportTotals.day(day)!;
    expect(JSON.stringify(summaryFromTotals(day, totals, { demo: false })), day).toBe(
      JSON.stringify(summariseDay(day, data.reports.dayInvoices(day), { demo: false })),
    );
  }
  const ctx = { business: data.ledger.getBusiness()!, now: new Date('2026-11-25T12:00:00Z'), demo: false, today: '2026-11-25' };
  const old = buildZReport('2026-11-25', data.zReports.periodInvoices('2026-11-25', Number.MAX_SAFE_INTEGER, 2), {
    business: { name: BUSINESS.name, tin: BUSINESS.tin, terminal: BUSINESS.terminal },
    generatedAt: ctx.now.getTime(),
    closed: null,
    demo: false,
  });
  expect(JSON.stringify(zReport(data, '2026-11-25', ctx))).toBe(JSON.stringify(old));
  expect(old.total.count).toBe(3); // early, late, the refund

  // The day that does not add up is a gap: its reports keep reading the invoices (and say what is wrong).
  expect(db.prepare('SELECT issue_date FROM report_totals_gaps').pluck().all()).toEqual(['2026-11-26']);
  expect(data.reportTotals.day('2026-11-26')).toBeUndefined();
});
