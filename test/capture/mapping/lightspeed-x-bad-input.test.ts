// Lightspeed X payloads that are not a sale we can invoice as they stand: each becomes a review (or
// a skip) whose reason names the field at fault, never an invoice with guessed amounts.
import { describe, expect, it } from 'vitest';
import { mapLightspeedX } from '../../../shared/capture/lightspeed-x/map-lightspeed-x';
import { asReview, asSale, asSkip, load, only } from './support';

const sale = () => load('lightspeed-x/sale-mixed.json').data;
const options = () => load('lightspeed-x/options.json');

describe('mapLightspeedX: payloads that are not API 2.0 sales', () => {
  it('a webhook delivery names the sale to fetch from its payload', () => {
    const r = asReview(only(mapLightspeedX({ type: 'sale.update', payload: JSON.stringify({ id: 's-77', status: 'CLOSED' }) })));
    expect(r.vendorId).toBe('s-77');
    expect(r.reason).toBe(
      'this is a Lightspeed X webhook event (sale.update), not a sale — fetch sale s-77 from API 2.0 (GET /api/2.0/sales/s-77) and ingest that',
    );
  });

  it('a webhook delivery whose payload is not JSON still says what it is', () => {
    const r = asReview(only(mapLightspeedX({ type: 'sale.update', payload: '{not json' })));
    expect(r.vendorId).toBe('(no id)');
    expect(r.reason).toMatch(/fetch sale \(id in its payload\) from API 2\.0 \(GET \/api\/2\.0\/sales\/\{id\}\)/);
  });

  it('an API 0.9 register sale, with or without its id', () => {
    expect(asReview(only(mapLightspeedX({ id: 'old-1', register_sale_products: [] }))).reason).toMatch(
      /API 0\.9 payload \(register_sale\) — fetch sale old-1 from API 2\.0/,
    );
    expect(asReview(only(mapLightspeedX({ register_sale_payments: [] }))).reason).toMatch(/fetch sale \(no id\) .*\/sales\/\{id\}/);
  });

  it('a {"data": [...]} page maps each sale', () => {
    expect(mapLightspeedX({ data: [sale(), { ...sale(), id: 'second' }] }, options()).map((o) => o.vendorId)).toEqual([
      sale().id,
      'second',
    ]);
  });
});

describe('mapLightspeedX: sales that need a person', () => {
  it('a deleted sale is withdrawn, a voided one is withdrawn, an open one is skipped', () => {
    expect(asSkip(only(mapLightspeedX({ ...sale(), deleted_at: '2026-11-24T08:00:00+00:00' }, options())))).toMatchObject({
      reason: 'sale was deleted in Lightspeed (deleted_at 2026-11-24T08:00:00+00:00)',
      withdrawn: true,
    });
    expect(asSkip(only(mapLightspeedX({ ...sale(), status: 'VOIDED' }, options())))).toMatchObject({ withdrawn: true });
  });

  it('e-commerce custom charges are not mapped', () => {
    const s = sale();
    s.ecom_custom_charges.total = 250;
    expect(asReview(only(mapLightspeedX(s, options()))).reason).toBe(
      'sale.ecom_custom_charges: e-commerce custom charges are not mapped; needs a person',
    );
  });

  it('every line voided, or a zero quantity', () => {
    const voided = sale();
    for (const l of voided.line_items) l.status = 'VOIDED';
    expect(asReview(only(mapLightspeedX(voided, options()))).reason).toBe('sale.line_items: a completed sale with no (unvoided) lines');
    const zero = sale();
    zero.line_items[1].quantity = 0;
    expect(asReview(only(mapLightspeedX(zero, options()))).reason).toBe('sale.line_items[1].quantity: 0');
  });

  it('a total that is not a whole number of kobo', () => {
    expect(asReview(only(mapLightspeedX({ ...sale(), total_tax: 1596.80532 }, options()))).reason).toMatch(
      /sale: total 25387\.503 is not a whole number of kobo/,
    );
  });

  it('a sale of nothing but tip and service charge lines', () => {
    const s = sale();
    s.line_items = s.line_items.filter((l: { product_id: string }) => l.product_id === 'prod-tip' || l.product_id === 'prod-service');
    s.total_price = 1500;
    s.total_tax = 37.5;
    s.payments = [{ name: 'Cash', amount: 1537.5 }];
    expect(asReview(only(mapLightspeedX(s, options()))).reason).toMatch(/sale\.line_items: only tip\/service-charge lines/);
  });

  it('a line that came to more than its price (negative discount) under either reading', () => {
    const s = sale();
    s.line_items[1].price_total = 1600; // price 1500 × 1
    s.total_price += 100;
    s.payments[0].amount += 100;
    expect(asReview(only(mapLightspeedX(s, options()))).reason).toMatch(
      /^sale\.line_items\[1\]: the line came to more than its price \(negative discount -100\.00\)/,
    );
  });

  it('tax charged on a line naming no tax id', () => {
    const s = sale();
    delete s.line_items[0].tax_id;
    s.line_items[0].tax_components = [];
    expect(asReview(only(mapLightspeedX(s, options()))).reason).toMatch(
      /sale\.line_items\[0\]: tax 1350 charged but the line names no tax_id/,
    );
  });

  it('a zero total with no payments is skipped; a non-zero one is a review', () => {
    const s = sale();
    s.line_items = [{ ...s.line_items[1], price: 0, price_total: 0 }];
    s.total_price = 0;
    s.total_tax = 0;
    s.payments = [];
    expect(asSkip(only(mapLightspeedX(s, options()))).reason).toBe('sale has a zero total and no payments');
  });
});

describe('mapLightspeedX: names, rates and totals from the sale itself', () => {
  it('without product names a line is named by its product id; a missing sale_date falls back to created_at', () => {
    const { productNames: _ignored, ...rest } = options();
    const s = sale();
    delete s.sale_date;
    const m = asSale(only(mapLightspeedX(s, rest)));
    expect(m.sale.lines.map((l) => l.name)).toEqual(['Item prod-ankara', 'Item prod-bread', 'Item prod-cream']);
    expect(m.sale.occurred_at).toBe('2026-11-23T11:14:52.000Z');
  });

  it('line totals worked out from unit price × quantity and unit tax × quantity when totals are absent', () => {
    const s = sale();
    delete s.line_items[0].price_total;
    delete s.line_items[0].tax_total;
    expect(asSale(only(mapLightspeedX(s, options()))).sale).toEqual(asSale(only(mapLightspeedX(sale(), options()))).sale);
  });

  it("rates from the sale's taxes summary (percent or fraction) classify the VAT without a taxRates option", () => {
    const { taxRates: _ignored, ...rest } = options();
    for (const rate of [7.5, 0.075]) {
      const s = sale();
      s.taxes = [{ id: '786b7567-0bc5-11ee-afde-06f2e29c25cb', name: 'VAT', rate, amount: 1596.80232 }];
      const m = asSale(only(mapLightspeedX(s, rest)));
      expect(m.sale.lines[0]!.tax).toMatchObject({ category: 'STANDARD_VAT', rate: '7.5' });
    }
  });

  it('a line with two tax components is two taxes, each by its rate id: unmapped, a review naming both', () => {
    const s = sale();
    s.line_items[0].tax_components = [
      { rate_id: '786b7567-0bc5-11ee-afde-06f2e29c25cb', total_tax: 1000 },
      { rate_id: 'levy-1', total_tax: 350 },
    ];
    s.taxes.push({ id: 'levy-1', name: 'State levy', rate: 2.5 });
    expect(asReview(only(mapLightspeedX(s, options()))).reason).toMatch(
      /^sale\.line_items\[0\]: taxes a tax \(id 786b7567-0bc5-11ee-afde-06f2e29c25cb\) and "State levy" \(id levy-1\) at 2\.5% are not in this connection's tax mapping/,
    );
  });
});
