// Lightspeed R-Series V3 sales with relations → canonical sales, in the API's own shapes (decimal strings).
import { describe, expect, it } from 'vitest';
import { mapLightspeedR } from '../../../shared/capture/lightspeed-r/map-lightspeed-r';
import { asReview, asSale, asSkip, load, only } from './support';

const sale = () => load('lightspeed-r/sale-mixed.json').Sale;
const ret = () => load('lightspeed-r/sale-return.json').Sale;
// Tax category 1's first tax is Lagos VAT (the fixture's sales do not load the TaxCategory relation, so by id).
const opts = {
  tipProductIds: ['902'],
  serviceChargeProductIds: ['901'],
  taxMap: { '1/tax1': { category: 'STANDARD_VAT' as const, rate: '7.5' } },
};

describe('mapLightspeedR', () => {
  it('maps a completed sale: line and sale-level discounts, taxed and untaxed lines, a service item, a tip item, B2B customer from vatNumber', () => {
    const s = asSale(only(mapLightspeedR(load('lightspeed-r/sale-mixed.json'), opts)));
    expect(s).toMatchObject({ vendor: 'lightspeed-r', vendorId: '5001', version: '2026-11-23T10:25:41+00:00' });
    expect(s.sale.lines).toEqual([
      {
        name: "Men's Ankara shirt",
        sku: 'SHIRT-ANK-M',
        quantity: '2',
        unit_price: '12000',
        discount: '3480.00',
        tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: false },
      },
      {
        name: 'Baby formula 400g',
        quantity: '1',
        unit_price: '8500.00',
        discount: '425.00',
        tax: { category: 'EXEMPTED', rate: '0', inclusive: false },
      },
    ]);
    expect(s.sale.charges).toEqual([
      { name: 'Alteration service', amount: '2000.00', tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: false } },
    ]);
    expect(s.sale).toMatchObject({ tip: '1000.00', customer: { name: 'Adebayo Textiles Ltd', tin: '23456789-0001' }, currency: 'NGN' });
    expect(s.sale.payments).toEqual([
      { method: 'cash', amount: '10000.00' },
      { method: 'card', amount: '23284.00' },
    ]);
    expect(s.totals.taxInclusive).toBe(3328400 - 100000); // calcTotal less the tip item
    expect(s.totals.taxTotal).toBe(168900); // calcTax1
  });

  it('the TIN field is configurable; without a value the sale is B2C', () => {
    expect(asSale(only(mapLightspeedR(sale(), { ...opts, tinField: 'companyRegistrationNumber' }))).sale.customer!.tin).toBe('RC1234567');
    const b2c = sale();
    b2c.Customer.vatNumber = '';
    expect(asSale(only(mapLightspeedR(b2c, opts))).sale.customer).toBeNull();
  });

  it('tax-inclusive shops (isTaxInclusive) map lines as VAT-inclusive', () => {
    const s = sale();
    s.isTaxInclusive = 'true';
    s.calcTotal = '31595'; // 20520 + 8075 + 2000 + 1000 (tax already inside the prices)
    s.SalePayments.SalePayment[1].amount = '21595';
    const m = asSale(only(mapLightspeedR(s, opts)));
    expect(m.sale.lines[0]!.tax.inclusive).toBe(true);
    expect(m.totals.taxInclusive).toBe(3059500);
  });

  it('voided and incomplete sales are skipped', () => {
    expect(asSkip(only(mapLightspeedR({ ...sale(), voided: 'true' }, opts))).reason).toMatch(/voided/);
    expect(asSkip(only(mapLightspeedR({ ...sale(), completed: 'false' }, opts))).reason).toMatch(/not completed/);
  });

  it('a return is a credit note against the sale of its parent line: found in the same payload or in saleLineSales', () => {
    const together = mapLightspeedR({ Sale: [sale(), ret()] }, opts);
    const c = asSale(together[1]);
    expect(c.sale).toMatchObject({ external_id: '5002', refund_of: '5001', payments: [{ method: 'cash', amount: '11029.50' }] });
    expect(c.totals.taxInclusive).toBe(1102950);
    expect(asSale(only(mapLightspeedR(ret(), { ...opts, saleLineSales: { 1001: '5001' } }))).sale.refund_of).toBe('5001');
    expect(asReview(only(mapLightspeedR(ret(), opts))).reason).toMatch(/parentSaleLineID: original line 1001 is not in this payload/);
  });

  it('reviews: mismatched calcTotal, an exchange, a non-decimal amount, missing relations', () => {
    expect(asReview(only(mapLightspeedR({ ...sale(), calcTotal: '33284.01' }, opts))).reason).toMatch(/POS charged 32284\.01/);
    const exchange = sale();
    exchange.SaleLines.SaleLine[1].unitQuantity = '-1';
    expect(asReview(only(mapLightspeedR(exchange, opts))).reason).toMatch(/exchange/);
    const bad = sale();
    bad.SaleLines.SaleLine[0].unitPrice = '12,000';
    expect(asReview(only(mapLightspeedR(bad, opts))).reason).toMatch(/unitPrice: "12,000" is not a decimal/);
    const { SalePayments: _p, ...noPayments } = sale();
    expect(asReview(only(mapLightspeedR(noPayments, opts))).reason).toMatch(/load_relations must include SalePayments/);
  });
});
