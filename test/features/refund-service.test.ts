// Refund eligibility on a real ledger file: credit notes cannot be refunded, a refund id already
// used returns its credit note without issuing another, a refund never exceeds what remains.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../main/ledger/database';
import { openData, type Data } from '../../main/ledger/data';
import { refund } from '../../main/features/sales/refund-service';
import { invoiceDetail } from '../../main/features/invoices/service';
import { InvalidInput } from '../../shared/domain/sale';
import { refundAmountKobo, refundState } from '../../shared/domain/refund-amount';
import { formatNaira } from '../../shared/domain/money';
import { BUSINESS, keyPair, simpleSale, tempDir } from '../support/fixture';

const now = new Date('2026-11-24T20:00:00Z');
let db: Db;
let data: Data;
beforeEach(() => {
  db = openDatabase(join(tempDir(), 'ledger.db'));
  data = openData(db, () => now);
  data.ledger.configure(BUSINESS, keyPair().keysFileJson);
});
afterEach(() => db.close());

function twoSoaps() {
  return data.ledger.issue(
    simpleSale('s1', '2150.00', {
      lines: [{ name: 'Soap', quantity: '2', unit_price: '1075.00', tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true } }],
    }),
  ).invoice;
}

it('refunds part of an invoice, then the rest; the detail shows what remains', () => {
  const inv = twoSoaps();
  const r1 = refund(data, inv, { irn: inv.irn, refundId: 'refund-0001', lines: [{ index: 0, quantity: '1' }] }, { demo: false, now });
  expect(r1.duplicate).toBe(false);
  expect(r1.invoice.type).toBe('380');
  expect(r1.invoice.original_irn).toBe(inv.irn);
  const d = invoiceDetail(data, data.ledger.findByIrn(inv.irn)!);
  expect(d.refundable).toEqual([expect.objectContaining({ index: 0, refunded: '1', remaining: '1' })]);
  expect(d.remaining_kobo).toBe(215_000 - 107_500);
  expect(d.credit_notes).toEqual([{ irn: r1.invoice.irn, invoice_number: r1.invoice.invoice_number, payable_kobo: 107_500 }]);

  refund(data, inv, { irn: inv.irn, refundId: 'refund-0002', lines: [{ index: 0, quantity: '1' }] }, { demo: false, now });
  expect(invoiceDetail(data, data.ledger.findByIrn(inv.irn)!).remaining_kobo).toBe(0);
  expect(() =>
    refund(data, inv, { irn: inv.irn, refundId: 'refund-0003', lines: [{ index: 0, quantity: '1' }] }, { demo: false, now }),
  ).toThrow(InvalidInput);
});

it('a refund id already used returns its credit note and issues nothing', () => {
  const inv = twoSoaps();
  const first = refund(data, inv, { irn: inv.irn, refundId: 'refund-0001', lines: [{ index: 0, quantity: '1' }] }, { demo: false, now });
  const count = data.ledger.count();
  const again = refund(data, inv, { irn: inv.irn, refundId: 'refund-0001', lines: [{ index: 0, quantity: '2' }] }, { demo: false, now });
  expect(again).toMatchObject({ duplicate: true, invoice: { irn: first.invoice.irn } });
  expect(data.ledger.count()).toBe(count);
});

it('a credit note cannot be refunded', () => {
  const inv = twoSoaps();
  const cn = refund(
    data,
    inv,
    { irn: inv.irn, refundId: 'refund-0001', lines: [{ index: 0, quantity: '1' }] },
    { demo: false, now },
  ).invoice;
  expect(() =>
    refund(data, cn, { irn: cn.irn, refundId: 'refund-0002', lines: [{ index: 0, quantity: '1' }] }, { demo: false, now }),
  ).toThrow(new InvalidInput(`irn: ${cn.irn} is a credit note; refund the original invoice`));
});

it('the amount the till shows before a refund is the credit note it issues; the list row says "partly refunded"', () => {
  const inv = data.ledger.issue(
    simpleSale('s-disc', '3250.00', {
      lines: [
        {
          name: 'Soap',
          quantity: '3',
          unit_price: '1075.00',
          discount: '100.00',
          tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true },
        },
        { name: 'Rice', quantity: '1', unit_price: '125.00', tax: { category: 'ZERO_VAT', rate: '0', inclusive: true } },
      ],
    }),
  ).invoice;
  const picks = [{ index: 0, quantity: '1' }];
  const shown = refundAmountKobo(inv.sale, picks);
  expect(shown).toBe(107_500 - 3_333); // a third of the ₦100 discount, half-up to the kobo
  const r = refund(data, inv, { irn: inv.irn, refundId: 'refund-disc', lines: picks }, { demo: false, now });
  expect(r.invoice.payable_kobo).toBe(shown);
  expect(refundAmountKobo(inv.sale, [])).toBe(0);

  const row = data.dayView.summary(inv.counter)!;
  expect(row.refunded_kobo).toBe(shown);
  expect(refundState(row.payable_kobo, row.refunded_kobo)).toBe(`partly refunded ${formatNaira(shown)}`);
  expect(data.dayView.summary(r.invoice.counter)!.refunded_kobo).toBeUndefined();
  refund(
    data,
    inv,
    {
      irn: inv.irn,
      refundId: 'refund-rest',
      lines: [
        { index: 0, quantity: '2' },
        { index: 1, quantity: '1' },
      ],
    },
    { demo: false, now },
  );
  const after = data.dayView.summary(inv.counter)!;
  expect(after.refunded_kobo).toBe(after.payable_kobo);
  expect(refundState(after.payable_kobo, after.refunded_kobo)).toBe('refunded');
  expect(refundState(1000, 0)).toBeNull();
});
