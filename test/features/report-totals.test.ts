// The running report totals (main/ledger/report-totals.ts) against the invoice-by-invoice reading
// they replace, on a real ledger file: refunds (credit notes), several VAT categories, split
// payments with change, B2B, demo, tips, sales dated after a day being closed and late sales
// dated a closed day. Every day summary, X reading and Z report must be the same JSON, byte for byte.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../main/ledger/database';
import { openData, type Data } from '../../main/ledger/data';
import { closeDay, zReport, type ZContext } from '../../main/features/reports/z-service';
import { refund } from '../../main/features/sales/refund-service';
import { buildZReport, summariseDay, summaryFromTotals, type ZReportContext } from '../../shared/reports/day-summary';
import { BUSINESS, keyPair, sampleSale, simpleSale, tempDir } from '../support/fixture';

let now = new Date('2026-11-24T12:00:00Z');
let db: Db;
let data: Data;
const DAYS = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26'];
const ctx = (): ZContext => ({ business: data.ledger.getBusiness()!, now, demo: false, today: '2026-11-26' });
const zctx = (closed: ZReportContext['closed'], generatedAt: number): ZReportContext => ({
  business: { name: BUSINESS.name, tin: BUSINESS.tin, terminal: BUSINESS.terminal },
  generatedAt,
  closed,
  demo: false,
});

beforeEach(() => {
  now = new Date('2026-11-24T12:00:00Z');
  db = openDatabase(join(tempDir(), 'ledger.db'));
  data = openData(db, () => now);
  data.ledger.configure(BUSINESS, keyPair().keysFileJson);
});
afterEach(() => db.close());

const at = (iso: string) => ({ occurred_at: iso });
const mixed = (id: string, iso: string) =>
  simpleSale(id, '0', {
    ...at(iso),
    lines: [
      { name: 'Bread', quantity: '2', unit_price: '1075.00', tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true } },
      { name: 'Milk', quantity: '1', unit_price: '900.00', tax: { category: 'ZERO_VAT', rate: '0', inclusive: true } },
      { name: 'Textbook', quantity: '1', unit_price: '5000.00', tax: { category: 'EXEMPTED', rate: '0', inclusive: true } },
    ],
    tip: '100.00',
    // Split tender: card first, cash over the rest (change given back from the cash).
    payments: [
      { method: 'card', amount: '3000.00' },
      { method: 'cash', amount: '6000.00' },
    ],
  });

/** The old reading (every invoice parsed) next to the running totals, for every day and the open period. */
function expectSameAsInvoiceByInvoice(): void {
  for (const day of DAYS) {
    const totals = data.reportTotals.day(day);
    expect(totals, day).toBeDefined();
    for (const options of [{ demo: false }, {}]) {
      expect(JSON.stringify(summaryFromTotals(day, totals!, options)), day).toBe(
        JSON.stringify(summariseDay(day, data.reports.dayInvoices(day), options)),
      );
    }
    if (data.zReports.get(day)) continue;
    // The X reading: the open period as the next Z would be.
    const next = (data.zReports.latest()?.z_number ?? 0) + 1;
    const old = buildZReport(day, data.zReports.periodInvoices(day, Number.MAX_SAFE_INTEGER, next), zctx(null, now.getTime()));
    expect(JSON.stringify(zReport(data, day, ctx())), `X ${day}`).toBe(JSON.stringify(old));
  }
  for (let n = 1; n <= (data.zReports.latest()?.z_number ?? 0); n++) {
    const close = data.zReports.byNumber(n)!;
    const invoices = data.zReports.periodInvoices(close.day, close.head_counter, n);
    const old = buildZReport(close.day, invoices, zctx({ z_number: n, closed_at: close.closed_at }, close.closed_at));
    expect(close.report_json, `Z ${n}`).toBe(JSON.stringify(old));
    expect([close.first_counter, close.last_counter]).toEqual([invoices[0]?.counter ?? null, invoices.at(-1)?.counter ?? null]);
  }
}

it('day summaries, X readings and Z reports from the running totals equal the invoice-by-invoice reading, byte for byte', () => {
  // 2026-11-24: plain, mixed VAT with split tender and a tip, B2B, demo, a refund.
  const a = data.ledger.issue(simpleSale('a', '1075.00', at('2026-11-24T08:15:00+01:00'))).invoice;
  data.ledger.issue(mixed('m1', '2026-11-24T09:40:00+01:00'));
  const b2b = data.ledger.issue(sampleSale({ external_id: 'b2b-1', occurred_at: '2026-11-24T11:05:00+01:00' })).invoice;
  expect(b2b.b2b).toBe(true);
  data.ledger.issue(simpleSale('demo-1', '500.00', { ...at('2026-11-24T12:30:00+01:00'), source: 'demo' }));
  now = new Date('2026-11-24T18:00:00Z');
  refund(data, a, { irn: a.irn, refundId: 'r-a', lines: [{ index: 0, quantity: '1' }] }, { demo: false, now });
  // Reported to FIRS: some done, one rejected (the Z counts what is reported).
  db.prepare("UPDATE outbox SET status = 'done' WHERE kind = 'report' AND invoice_counter IN (1, 2)").run();
  db.prepare("UPDATE outbox SET status = 'rejected' WHERE kind = 'report' AND invoice_counter = 3").run();
  expectSameAsInvoiceByInvoice();

  // Past midnight, before the 24th is closed: a sale dated the 25th (it belongs to the 25th's period).
  now = new Date('2026-11-24T23:40:00Z');
  data.ledger.issue(mixed('early', '2026-11-25T00:35:00+01:00'));
  expectSameAsInvoiceByInvoice();
  now = new Date('2026-11-24T23:50:00Z');
  expect(closeDay(data, '2026-11-24', ctx()).closed?.z_number).toBe(1);

  // A late POS sale dated the closed day, and a refund of the 24th's B2B sale on the 25th.
  now = new Date('2026-11-25T09:00:00Z');
  data.ledger.issue(simpleSale('late', '2150.00', at('2026-11-24T21:00:00+01:00')));
  data.ledger.issue(
    simpleSale('c', '3225.00', { ...at('2026-11-25T09:30:00+01:00'), payments: [{ method: 'transfer', amount: '3225.00' }] }),
  );
  refund(data, b2b, { irn: b2b.irn, refundId: 'r-b2b', lines: [{ index: 0, quantity: '1' }] }, { demo: false, now });
  expectSameAsInvoiceByInvoice();
  now = new Date('2026-11-25T21:00:00Z');
  expect(closeDay(data, '2026-11-25', ctx()).closed?.z_number).toBe(2);
  now = new Date('2026-11-26T08:00:00Z');
  data.ledger.issue(mixed('m2', '2026-11-26T08:55:00+01:00'));
  expectSameAsInvoiceByInvoice();

  // The scenario holds what it claims to.
  const d24 = summaryFromTotals('2026-11-24', data.reportTotals.day('2026-11-24')!);
  expect(d24.demo).toBe(true);
  expect(d24.credits.count).toBe(1);
  expect(d24.vat.map((v) => v.category)).toEqual(['EXEMPTED', 'STANDARD_VAT', 'ZERO_VAT']);
  expect(d24.payments.map((p) => p.method)).toEqual(['card', 'cash']);
  expect(d24.total.tip_kobo).toBe(10_000);
  const z2 = zReport(data, '2026-11-25', ctx());
  expect(z2.total.count).toBe(4); // early (dated 25th, before Z 1), late (dated 24th, after Z 1), c, the B2B refund
  expect(z2.credits.count).toBe(1);
});

it('a day whose invoices cannot be added up keeps the invoice-by-invoice reading', () => {
  data.ledger.issue(simpleSale('a', '1075.00', at('2026-11-24T08:15:00+01:00')));
  db.prepare("INSERT INTO report_totals_gaps (issue_date) VALUES ('2026-11-24')").run();
  expect(data.reportTotals.day('2026-11-24')).toBeUndefined();
  expect(data.reportTotals.period('2026-11-24', Number.MAX_SAFE_INTEGER, { z_number: 0, head_counter: 0, day: '' })).toBeUndefined();
  // The Z service then reads the invoices: same report.
  expect(zReport(data, '2026-11-24', ctx()).total.count).toBe(1);
});
