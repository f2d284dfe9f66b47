// Lightspeed X-Series API 2.0 sales → canonical sales, in the API's own field shapes.
import { describe, expect, it } from 'vitest';
import { mapLightspeedX } from '../../../shared/capture/lightspeed-x/map-lightspeed-x';
import { asReview, asSale, asSkip, load, only } from './support';

const sale = () => load('lightspeed-x/sale-mixed.json').data;
const options = () => load('lightspeed-x/options.json');

describe('mapLightspeedX', () => {
  it('maps a closed sale: line discount, 5-decimal prices, exempt line, service-charge and tip products, named payments', () => {
    const s = asSale(only(mapLightspeedX({ data: sale() }, options())));
    expect(s).toMatchObject({ vendor: 'lightspeed-x', vendorId: sale().id, version: '30648429001' });
    expect(s.sale).toMatchObject({
      source: 'lightspeed-x',
      currency: 'NGN',
      tip: '1000.00',
      refund_of: null,
      occurred_at: '2026-11-23T11:14:40.000Z',
    });
    expect(s.sale.lines.map((l) => [l.name, l.quantity, l.discount ?? null, l.tax.category])).toEqual([
      ['Ankara fabric 6 yards', '2', '2000.00', 'STANDARD_VAT'],
      ['Sliced bread', '1', null, 'EXEMPTED'],
      ['Shea butter hair cream', '3', null, 'STANDARD_VAT'],
    ]);
    expect(s.sale.charges).toEqual([
      { name: 'Service charge', amount: '500.00', tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: false } },
    ]);
    expect(s.sale.payments).toEqual([
      { method: 'cash', amount: '10000.00' },
      { method: 'card', amount: '15387.50' },
    ]);
    // total_price + total_tax = 25387.50 charged, of which 1000.00 was the tip.
    expect(s.totals.taxInclusive).toBe(2538750 - 100000);
  });

  it('taxes are classified by the tax mapping (tax ids), never by a rate inferred from the amounts', () => {
    const { taxRates, ...rest } = options();
    expect(asReview(only(mapLightspeedX(sale(), rest))).reason).toMatch(
      /line_items\[0\]: tax a tax \(id .*\) is not in this connection's tax mapping/,
    );
    const vatId = Object.keys(taxRates as Record<string, string>).find((k) => taxRates[k] === '7.5')!;
    const noTaxId = Object.keys(taxRates as Record<string, string>).find((k) => taxRates[k] === '0')!;
    const taxMap = { [vatId]: { category: 'STANDARD_VAT', rate: '7.5' }, [noTaxId]: { category: 'EXEMPTED', rate: '0' } } as const;
    expect(asSale(only(mapLightspeedX(sale(), { ...rest, taxMap }))).totals.taxInclusive).toBe(2438750);
    const odd = sale();
    odd.line_items[0].tax = 900;
    odd.line_items[0].tax_total = 1800;
    odd.total_tax += 450; // 10 %: the mapping says 7.5 %
    expect(asReview(only(mapLightspeedX(odd, { ...rest, taxMap }))).reason).toMatch(/totals mismatch/);
  });

  it('a tax-inclusive store: only the inclusive reading reproduces the charged total, and it is chosen', () => {
    // Shelf price ₦250.14 incl. 7.5 % VAT, three sold: the API reports 232.68837 + 17.45163 per unit.
    const s = {
      id: 'incl-1',
      status: 'CLOSED',
      created_at: '2026-11-23T10:00:00+00:00',
      sale_date: '2026-11-23T10:00:00+00:00',
      version: 7,
      line_items: [
        {
          product_id: 'p',
          tax_id: 't-vat',
          quantity: 3,
          price: 232.68837,
          tax: 17.45163,
          discount: 0,
          price_total: 698.06511,
          tax_total: 52.35489,
        },
      ],
      payments: [{ name: 'Cash', amount: 750.42 }],
      total_price: 698.06511,
      total_tax: 52.35489,
    };
    const m = asSale(only(mapLightspeedX(s, { taxMap: { 't-vat': { category: 'STANDARD_VAT', rate: '7.5' } } })));
    expect(m.sale.lines[0]).toMatchObject({ name: 'Item p', quantity: '3', unit_price: '250.14', tax: { inclusive: true, rate: '7.5' } });
    expect(m.totals.taxInclusive).toBe(75042);
  });

  it('only completed statuses are sales', () => {
    for (const status of ['SAVED', 'LAYBY', 'ONACCOUNT', 'AWAITING_PICKUP']) {
      expect(asSkip(only(mapLightspeedX({ ...sale(), status }, options()))).reason).toMatch(new RegExp(`status ${status}`));
    }
    expect(only(mapLightspeedX({ ...sale(), status: 'ONACCOUNT_CLOSED' }, options())).kind).toBe('sale');
  });

  it('a return (negative quantities, return_for) is a credit note; without return_for or mixed with sales it is a review', () => {
    const r = load('lightspeed-x/sale-return.json');
    const c = asSale(only(mapLightspeedX(r, options())));
    expect(c.sale).toMatchObject({ refund_of: sale().id, payments: [{ method: 'cash', amount: '1000.00' }] });
    expect(c.totals.taxInclusive).toBe(100000);
    expect(asReview(only(mapLightspeedX({ ...r, return_for: null }, options()))).reason).toMatch(/return_for/);
    const exchange = sale();
    exchange.line_items[1].quantity = -1;
    expect(asReview(only(mapLightspeedX(exchange, options()))).reason).toMatch(/exchange/);
  });

  it('customer TIN from custom_field_1 (default) or the configured field; payment names can be mapped explicitly', () => {
    const cust = {
      id: sale().customer_id,
      first_name: 'Bola',
      last_name: 'Ade',
      company_name: 'Ade Fabrics Ltd',
      email: 'bola@adefabrics.ng',
      custom_field_1: '45678901-0001',
      custom_field_2: '56789012-0001',
    };
    const customers = { [sale().customer_id]: cust };
    expect(asSale(only(mapLightspeedX(sale(), { ...options(), customers }))).sale.customer).toEqual({
      name: 'Ade Fabrics Ltd',
      tin: '45678901-0001',
      email: 'bola@adefabrics.ng',
    });
    expect(asSale(only(mapLightspeedX(sale(), { ...options(), customers, tinField: 'custom_field_2' }))).sale.customer!.tin).toBe(
      '56789012-0001',
    );
    const pm = asSale(only(mapLightspeedX(sale(), { ...options(), paymentMethods: { 'moniepoint pos card': 'transfer' } })));
    expect(pm.sale.payments[1]).toEqual({ method: 'transfer', amount: '15387.50' });
  });

  it('reviews: surcharges, taxed tip product, mismatched total, missing payments, malformed sale', () => {
    expect(asReview(only(mapLightspeedX({ ...sale(), total_surcharge: 50 }, options()))).reason).toMatch(/surcharge/);
    const taxedTip = sale();
    taxedTip.line_items[4].tax = 75;
    taxedTip.line_items[4].tax_total = 75;
    expect(asReview(only(mapLightspeedX(taxedTip, options()))).reason).toMatch(/tip product carries tax/);
    expect(asReview(only(mapLightspeedX({ ...sale(), total_tax: 1596.81232 }, options()))).reason).toMatch(/POS charged/);
    expect(asReview(only(mapLightspeedX({ ...sale(), payments: [] }, options()))).reason).toMatch(/no payments/);
    expect(asReview(only(mapLightspeedX({ ...sale(), line_items: 'none' }, options()))).reason).toMatch(/^sale\.line_items: /);
  });
});
