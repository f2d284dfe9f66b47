// Square Orders → canonical sales, from payloads in Square's own field shapes.
import { describe, expect, it } from 'vitest';
import { mapSquare } from '../../../shared/capture/square/map-square';
import { asReview, asSale, asSkip, load, only } from './support';

const order = () => load('square/order-mixed.json').order;

describe('mapSquare', () => {
  it('maps a completed order: additive and inclusive VAT, exempt line, apportioned order discount, taxable service charge, tip, two tenders', () => {
    const o = order();
    const s = asSale(only(mapSquare({ order: o })));
    expect(s).toMatchObject({ vendor: 'square', vendorId: o.id, version: '4' });
    expect(s.sale).toMatchObject({
      source: 'square',
      external_id: o.id,
      currency: 'NGN',
      occurred_at: '2026-11-23T13:05:41.000Z',
      tip: '1000.00',
      refund_of: null,
      customer: null,
    });
    expect(s.sale.lines).toEqual([
      {
        name: 'Jollof rice platter',
        quantity: '2',
        unit_price: '2500',
        discount: '1096.03',
        tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: false },
      },
      {
        name: 'Bottled water 75cl',
        quantity: '3',
        unit_price: '300',
        discount: '119.21',
        tax: { category: 'EXEMPTED', rate: '0', inclusive: false },
      },
      {
        name: 'Chapman',
        quantity: '1',
        unit_price: '2150.00',
        discount: '284.76',
        tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true },
      },
    ]);
    expect(s.sale.charges).toEqual([
      { name: 'Service charge', amount: '500.00', tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: false } },
    ]);
    expect(s.sale.payments).toEqual([
      { method: 'card', amount: '6000.00' },
      { method: 'cash', amount: '2380.30' },
    ]);
    // Invoice = what Square charged minus the tip, and the tax equals Square's, to the kobo.
    expect(s.totals.taxInclusive).toBe(o.total_money.amount - o.total_tip_money.amount);
    expect(s.totals.taxTotal).toBe(o.total_tax_money.amount);
    expect(s.totals.tip).toBe(100000);
    expect(s.payload).toEqual(o);
  });

  it('accepts an Order, a RetrieveOrder response, a search response and an array', () => {
    const o = order();
    expect(mapSquare(o)[0]!.kind).toBe('sale');
    expect(mapSquare({ orders: [o, { ...o, id: 'second' }] }).map((x) => x.vendorId)).toEqual([o.id, 'second']);
    expect(mapSquare([o]).map((x) => x.kind)).toEqual(['sale']);
  });

  it('open, draft and cancelled orders are skipped, not invoiced', () => {
    for (const state of ['OPEN', 'DRAFT', 'CANCELED']) {
      const skip = asSkip(only(mapSquare({ ...order(), state })));
      expect(skip.reason).toMatch(/not a sale/);
    }
  });

  it('a customer whose reference_id (or configured field) holds a TIN makes it B2B', () => {
    const o = order();
    const customers = {
      [o.customer_id]: {
        id: o.customer_id,
        given_name: 'Ngozi',
        family_name: 'Eze',
        company_name: 'Eze Foods Ltd',
        email_address: 'ap@ezefoods.ng',
        phone_number: '+2348031234567',
        reference_id: '12345678-0001',
      },
    };
    expect(asSale(only(mapSquare(o, { customers }))).sale.customer).toEqual({
      name: 'Eze Foods Ltd',
      tin: '12345678-0001',
      email: 'ap@ezefoods.ng',
      phone: '+2348031234567',
    });
    const noteField = { [o.customer_id]: { given_name: 'Ngozi', family_name: 'Eze', note: '98765432-0001', reference_id: 'loyalty-7' } };
    expect(asSale(only(mapSquare(o, { customers: noteField, tinField: 'note' }))).sale.customer).toEqual({
      name: 'Ngozi Eze',
      tin: '98765432-0001',
    });
    // A known customer without a TIN stays B2C; a junk TIN is a review, never guessed.
    expect(asSale(only(mapSquare(o, { customers: { [o.customer_id]: { given_name: 'Ngozi' } } }))).sale.customer).toBeNull();
    expect(asReview(only(mapSquare(o, { customers: { [o.customer_id]: { given_name: 'N', reference_id: 'n/a' } } }))).reason).toMatch(
      /customer\.reference_id: "n\/a" is not a TIN/,
    );
  });

  it('any difference from what Square charged is a review with the reason, never adjusted', () => {
    const o = order();
    o.total_money.amount += 1;
    const r = asReview(only(mapSquare(o)));
    expect(r.reason).toMatch(/invoice would total 7380\.30 .* POS charged 7380\.31 excluding tips/);
    expect(r.payload).toEqual(o);
    const tax = order();
    tax.taxes[0].percentage = '5'; // Square computed 7.5 %
    expect(asReview(only(mapSquare(tax, { taxMap: { ZXCV1: { category: 'REDUCED_VAT', rate: '5' } } }))).reason).toMatch(
      /totals mismatch: .*difference/,
    );
  });

  it('what a single VAT line cannot carry is a review: two taxes on a line, unknown tax uid, cash rounding, mixed currency, an exchange', () => {
    const two = order();
    two.line_items[0].applied_taxes.push({ uid: 'x', tax_uid: 'vat-incl', applied_money: { amount: 1, currency: 'NGN' } });
    expect(asReview(only(mapSquare(two))).reason).toMatch(/line_items\[0\]\.applied_taxes: an inclusive and an additive tax/);
    const unknown = order();
    unknown.line_items[0].applied_taxes[0].tax_uid = 'nope';
    expect(asReview(only(mapSquare(unknown))).reason).toMatch(/tax_uid: "nope" is not one of the order's taxes/);
    const rounding = order();
    rounding.rounding_adjustment = { uid: 'r', name: 'Cash rounding', amount_money: { amount: -30, currency: 'NGN' } };
    expect(asReview(only(mapSquare(rounding))).reason).toMatch(/rounding_adjustment/);
    const currency = order();
    currency.tenders[1].amount_money.currency = 'USD';
    expect(asReview(only(mapSquare(currency))).reason).toMatch(/tenders\[1\]\.amount_money\.currency: USD differs from the order's NGN/);
    const exchange = order();
    exchange.returns = load('square/order-return.json').returns;
    expect(asReview(only(mapSquare(exchange))).reason).toMatch(/exchange/);
  });

  it('a malformed order is a review naming the field; the other orders still map', () => {
    const bad = order();
    delete bad.state;
    const out = mapSquare([bad, { ...order(), id: 'good' }]);
    expect(asReview(out[0]).reason).toMatch(/^order\.state: /);
    expect(out[1]).toMatchObject({ kind: 'sale', vendorId: 'good' });
    expect(asReview(only(mapSquare({ ...order(), total_money: { amount: 12.5, currency: 'NGN' } }))).reason).toMatch(
      /order\.total_money\.amount/,
    );
  });

  it('a return order becomes a credit note against the source order', () => {
    const r = load('square/order-return.json');
    const s = asSale(only(mapSquare(r)));
    expect(s.sale).toMatchObject({
      external_id: r.id,
      refund_of: 'CAISENgvlJ6jLWAzERDzjyHVybY',
      payments: [{ method: 'card', amount: '1865.24' }],
    });
    expect(s.totals.taxInclusive).toBe(r.return_amounts.total_money.amount);
    expect(s.totals.taxTotal).toBe(r.return_amounts.tax_money.amount);
    const unlinked = load('square/order-return.json');
    delete unlinked.returns[0].source_order_id;
    expect(asReview(only(mapSquare(unlinked))).reason).toMatch(/source_order_id/);
  });

  it('a refund recorded on the sale without an itemised return order is flagged for review beside the sale', () => {
    const o = order();
    o.refunds = [{ id: 'rf', tender_id: 'tender-card', amount_money: { amount: 50000, currency: 'NGN' }, status: 'APPROVED' }];
    const [sale, review] = mapSquare(o);
    expect(sale!.kind).toBe('sale');
    expect(asReview(review)).toMatchObject({
      vendorId: `${o.id}:refund`,
      reason: expect.stringMatching(/refunds of 500\.00 without an itemised return/),
    });
    o.refunds[0].status = 'REJECTED';
    expect(mapSquare(o).map((x) => x.kind)).toEqual(['sale']);
  });

  it('fractional quantities, non-taxable service charges (ZERO_VAT when configured) and zero orders', () => {
    const o = order();
    o.line_items = [
      {
        uid: 'w',
        name: 'Rice (kg)',
        quantity: '1.5',
        gross_sales_money: { amount: 187500, currency: 'NGN' },
        total_money: { amount: 187500, currency: 'NGN' },
      },
    ];
    o.service_charges = [{ uid: 'd', name: 'Delivery', applied_money: { amount: 50000, currency: 'NGN' }, taxable: false }];
    o.total_money.amount = 237500 + 100000;
    o.tenders = [{ id: 't', type: 'CASH', amount_money: { amount: 337500, currency: 'NGN' } }];
    const s = asSale(only(mapSquare(o, { untaxedCategory: 'ZERO_VAT' })));
    expect(s.sale.lines[0]).toMatchObject({ quantity: '1.5', unit_price: '1250' });
    expect(s.sale.charges![0]!.tax).toEqual({ category: 'ZERO_VAT', rate: '0', inclusive: false });
    expect(s.totals.taxInclusive).toBe(237500);
    const zero = {
      ...order(),
      line_items: [{ uid: 'f', name: 'Free sample', quantity: '1', gross_sales_money: { amount: 0, currency: 'NGN' } }],
      service_charges: [],
      tenders: [],
      total_money: { amount: 0, currency: 'NGN' },
      total_tip_money: { amount: 0, currency: 'NGN' },
    };
    expect(asSkip(only(mapSquare(zero))).reason).toMatch(/total is zero/);
    expect(
      asSkip(only(mapSquare({ ...zero, tenders: [{ id: 'n', type: 'NO_SALE', amount_money: { amount: 0, currency: 'NGN' } }] }))).reason,
    ).toMatch(/total is zero/);
  });

  it("bad options are the caller's error, not a review", () => {
    expect(() => mapSquare(order(), { currency: 'naira' })).toThrow(/capture options: currency/);
  });
});
