// Lightspeed R-Series payloads that are not a Sale we can invoice as they stand: each becomes a
// review (or a skip) whose reason names the field at fault, never an invoice with guessed amounts.
import { describe, expect, it } from 'vitest';
import { mapLightspeedR } from '../../../shared/capture/lightspeed-r/map-lightspeed-r';
import { asReview, asSale, asSkip, load, only } from './support';

const sale = () => load('lightspeed-r/sale-mixed.json').Sale;
const ret = () => load('lightspeed-r/sale-return.json').Sale;
const opts = {
  tipProductIds: ['902'],
  serviceChargeProductIds: ['901'],
  taxMap: { '1/tax1': { category: 'STANDARD_VAT' as const, rate: '7.5' } },
};

describe('mapLightspeedR: SaleLine and SalePayment responses are not Sales', () => {
  it('a SaleLine response names the Sale to fetch with its relations', () => {
    const r = asReview(only(mapLightspeedR({ SaleLine: { saleLineID: '1001', saleID: '5001' } }, opts)));
    expect(r.vendorId).toBe('5001');
    expect(r.reason).toBe(
      'this is a Lightspeed R-Series SaleLine response, not a Sale — fetch Sale 5001 (GET /API/V3/Account/{accountID}/Sale/5001.json?load_relations=["SaleLines","SalePayments","Customer"]) and ingest that',
    );
    // A bare SaleLine (its fields at the top) and a list of them.
    expect(asReview(only(mapLightspeedR({ saleLineID: '1001', saleID: '5001', unitQuantity: '1' }, opts))).vendorId).toBe('5001');
    expect(asReview(only(mapLightspeedR({ SaleLine: [{ saleLineID: '1', saleID: '77' }] }, opts))).vendorId).toBe('77');
  });

  it('a SalePayment response without its saleID still says what to do', () => {
    const r = asReview(only(mapLightspeedR({ SalePayment: { salePaymentID: '7001' } }, opts)));
    expect(r.vendorId).toBe('(no id)');
    expect(r.reason).toMatch(/SalePayment response, not a Sale — fetch Sale \(its saleID\) \(GET .*\/Sale\/\{saleID\}\.json/);
  });
});

describe('mapLightspeedR: sales that need a person', () => {
  it('a completed sale loaded without its SaleLines', () => {
    const { SaleLines: _l, ...s } = sale();
    expect(asReview(only(mapLightspeedR(s, opts))).reason).toBe(
      'Sale.SaleLines: a completed sale with no lines (load_relations must include SaleLines)',
    );
  });

  it('a taxed tip item', () => {
    const s = sale();
    s.SaleLines.SaleLine[3].tax = 'true';
    s.SaleLines.SaleLine[3].tax1Rate = '0.075';
    expect(asReview(only(mapLightspeedR(s, opts))).reason).toBe('Sale.SaleLines.SaleLine[3]: the tip item is taxed; tips are not taxable');
  });

  it('a sale of only tip and service items', () => {
    const s = sale();
    s.SaleLines.SaleLine = s.SaleLines.SaleLine.slice(2);
    expect(asReview(only(mapLightspeedR(s, opts))).reason).toBe('Sale.SaleLines: only tip/service-charge lines');
  });

  it('a returned line that names no original line', () => {
    const r = ret();
    r.SaleLines.SaleLine.parentSaleLineID = '0';
    expect(asReview(only(mapLightspeedR(r, { ...opts, saleLineSales: { 1001: '5001' } }))).reason).toMatch(
      /SaleLine\[0\]\.parentSaleLineID: a returned line that does not name its original line cannot reference an invoice/,
    );
  });

  it('returns from two different sales in one', () => {
    const r = ret();
    r.SaleLines.SaleLine = [r.SaleLines.SaleLine, { ...r.SaleLines.SaleLine, saleLineID: '1102', parentSaleLineID: '2001' }];
    expect(asReview(only(mapLightspeedR(r, { ...opts, saleLineSales: { 1001: '5001', 2001: '6001' } }))).reason).toBe(
      'Sale: returns from 2 different sales in one; needs a person to split',
    );
  });

  it('a second tax (tax2) not in the mapping is a review naming its tax category', () => {
    const s = sale();
    s.SaleLines.SaleLine[0].tax2Rate = '0.02';
    expect(asReview(only(mapLightspeedR(s, opts))).reason).toMatch(
      /"tax2 of tax category 1" .*at 2%.*not in this connection's tax mapping/,
    );
  });

  it("a line without a tax category id uses the sale's; the TaxCategory relation names the tax", () => {
    const s = sale();
    s.SaleLines.SaleLine[0].taxCategoryID = '0';
    s.TaxCategory = { taxCategoryID: '1', tax1Name: ' Lagos VAT ', tax2Name: '' };
    expect(asSale(only(mapLightspeedR(s, opts))).sale.lines[0]!.tax).toMatchObject({ category: 'STANDARD_VAT', rate: '7.5' });
  });
});

describe('mapLightspeedR: what is left over', () => {
  it('zero-quantity lines charge nothing and are left out; archived payments do not count', () => {
    const s = sale();
    s.SaleLines.SaleLine.push({ ...s.SaleLines.SaleLine[1], saleLineID: '1009', unitQuantity: '0' });
    s.SalePayments.SalePayment.push({ ...s.SalePayments.SalePayment[0], salePaymentID: '7009', archived: 'true' });
    const m = asSale(only(mapLightspeedR(s, opts)));
    expect(m.sale).toEqual(asSale(only(mapLightspeedR(sale(), opts))).sale);
  });

  it('a zero sale without payments is skipped', () => {
    const s = sale();
    s.SaleLines.SaleLine = [{ ...s.SaleLines.SaleLine[1], unitPrice: '0', calcTransactionDiscount: '0' }];
    s.calcTotal = '0';
    delete s.SalePayments;
    expect(asSkip(only(mapLightspeedR(s, opts))).reason).toBe('sale has a zero total and no payments');
  });

  it('a line without an Item description is named by its note, else its item id', () => {
    const s = sale();
    delete s.SaleLines.SaleLine[0].Item;
    s.SaleLines.SaleLine[0].Note = { note: 'Custom tailoring' };
    delete s.SaleLines.SaleLine[1].Item;
    expect(asSale(only(mapLightspeedR(s, opts))).sale.lines.map((l) => l.name)).toEqual(['Custom tailoring', 'Item 211']);
  });

  it('without completeTime the sale is dated by its timeStamp', () => {
    const s = sale();
    delete s.completeTime;
    expect(asSale(only(mapLightspeedR(s, opts))).sale.occurred_at).toBe('2026-11-23T10:25:41.000Z');
  });
});
