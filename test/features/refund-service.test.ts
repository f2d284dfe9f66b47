// Refund eligibility on a real ledger file: credit notes cannot be refunded, a refund id already
// used returns its credit note without issuing another, a refund never exceeds what remains.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../main/ledger/database';
import { openData, type Data } from '../../main/ledger/data';
import { refund } from '../../main/features/sales/refund-service';
import { invoiceDetail } from '../../main/features/invoices/service';
import { InvalidInput } from '../../shared/domain/sale';
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
