// Square payloads that are not a sale we can invoice as they stand: each becomes a review (or a
// skip) whose reason names the field at fault, never an invoice with guessed amounts.
import { describe, expect, it } from 'vitest';
import { mapSquare } from '../../../shared/capture/square/map-square';
import { asReview, asSale, asSkip, load, only } from './support';

const order = () => load('square/order-mixed.json').order;
const returned = () => load('square/order-return.json');

describe('mapSquare: webhook events are not orders', () => {
  it('names the order to fetch from order, payment and refund events', () => {
    const event = (type: string, object: unknown) => ({ merchant_id: 'M', type, event_id: 'e-1', data: { type: 'x', id: 'd-1', object } });
    for (const [type, object] of [
      ['order.updated', { order_updated: { order_id: 'O-1' } }],
      ['order.created', { order_created: { order_id: 'O-1' } }],
      ['payment.updated', { payment: { order_id: 'O-1' } }],
      ['refund.created', { refund: { order_id: 'O-1' } }],
    ] as const) {
      const r = asReview(only(mapSquare(event(type, object))));
      expect(r.vendorId).toBe('O-1');
      expect(r.reason).toBe(
        `this is a Square webhook event (${type}), not an order — fetch order O-1 (GET /v2/orders/O-1) and ingest that`,
      );
    }
    // An order.* event without an object: data.id is the order's id.
    expect(asReview(only(mapSquare(event('order.fulfillment.updated', {})))).vendorId).toBe('d-1');
  });

  it('an event naming no order is a review with no id', () => {
    const r = asReview(only(mapSquare({ merchant_id: 'M', type: 'customer.created', event_id: 'e-2', data: { id: 'c-1' } })));
    expect(r.vendorId).toBe('(no id)');
    expect(r.reason).toBe('this is a Square webhook event (customer.created) that names no order; nothing to invoice from it');
    expect(asReview(only(mapSquare({ event_id: 'e-3', data: null }))).reason).toMatch(/webhook event \(event\) that names no order/);
  });
});

describe('mapSquare: taxes and tenders it cannot read', () => {
  it('a fixed-amount tax (no percentage) is a review naming the tax', () => {
    const o = order();
    delete o.taxes[0].percentage;
    expect(asReview(only(mapSquare(o))).reason).toMatch(
      /order\.line_items\[0\]: tax "VAT" has no percentage \(fixed-amount taxes are not mapped\)/,
    );
  });

  it('an UNKNOWN_TAX is a review; a nameless one is named by its uid', () => {
    const o = order();
    o.taxes[0].type = 'UNKNOWN_TAX';
    delete o.taxes[0].name;
    expect(asReview(only(mapSquare(o))).reason).toMatch(/order\.line_items\[0\]: tax "vat-add" has type UNKNOWN_TAX/);
  });

  it('an unknown tender type is a review naming it', () => {
    const o = order();
    o.tenders[1].type = 'BARTER';
    expect(asReview(only(mapSquare(o))).reason).toMatch(/tenders\[\]\.type: unknown Square tender type "BARTER"/);
  });

  it('a completed order with a total but only NO_SALE tenders', () => {
    const o = order();
    o.tenders = [{ id: 't', type: 'NO_SALE', amount_money: { amount: 0, currency: 'NGN' } }];
    expect(asReview(only(mapSquare(o))).reason).toMatch(/order\.tenders: a completed order with a non-zero total has no tenders/);
  });

  it('a completed order with neither line items nor returns', () => {
    const o = order();
    o.line_items = [];
    expect(asReview(only(mapSquare(o))).reason).toBe('order.line_items: a completed order with no line items and no returns');
  });

  it('a line without gross_sales_money is a review naming it', () => {
    const o = order();
    delete o.line_items[1].gross_sales_money;
    expect(asReview(only(mapSquare(o))).reason).toMatch(/order\.line_items\[1\]\.gross_sales_money: missing/);
  });

  it('a service charge with no money at all is a review naming it', () => {
    const o = order();
    delete o.service_charges[0].applied_money;
    delete o.service_charges[0].amount_money;
    expect(asReview(only(mapSquare(o))).reason).toMatch(/order\.service_charges\[0\]: no applied_money or amount_money/);
  });

  it('names a line by item and variation; an unnamed line is "Item"', () => {
    const o = order();
    o.line_items[1].variation_name = '75cl';
    delete o.line_items[2].name;
    const s = asSale(only(mapSquare(o)));
    expect(s.sale.lines.map((l) => l.name)).toEqual(['Jollof rice platter', 'Bottled water 75cl (75cl)', 'Item']);
  });

  it('the created time stands in when the order has no closed_at', () => {
    const o = order();
    delete o.closed_at;
    expect(asSale(only(mapSquare(o))).sale.occurred_at).toBe('2026-11-23T13:01:07.511Z');
  });

  it('a customer company name is the buyer name when a TIN is configured', () => {
    const o = order();
    const customers = {
      [o.customer_id]: { company_name: 'Obi Foods Ltd', given_name: 'Ada', reference_id: '12345678-0001' },
    };
    expect(asSale(only(mapSquare(o, { customers }))).sale.customer).toMatchObject({ name: 'Obi Foods Ltd', tin: '12345678-0001' });
  });
});

describe('mapSquare: returns that cannot become a clean credit note', () => {
  it('a return naming no source order (or two) needs a person', () => {
    const none = returned();
    delete none.returns[0].source_order_id;
    expect(asReview(only(mapSquare(none))).reason).toMatch(/order\.returns: a return must name exactly one source_order_id/);
    const two = returned();
    two.returns.push({ ...two.returns[0], uid: 'ret-2', source_order_id: 'OTHER' });
    expect(asReview(only(mapSquare(two))).reason).toMatch(/exactly one source_order_id/);
  });

  it('a return with nothing to credit', () => {
    const o = returned();
    o.returns[0].return_line_items = [];
    expect(asReview(only(mapSquare(o))).reason).toBe('order.returns: no return_line_items to credit');
  });

  it('without return_amounts the credit total is the sum of the returned lines', () => {
    const o = returned();
    delete o.return_amounts;
    const c = asSale(only(mapSquare(o)));
    expect(c.sale.refund_of).toBe('CAISENgvlJ6jLWAzERDzjyHVybY');
    expect(c.totals.taxInclusive).toBe(186524);
  });

  it('without refunds the credit is paid back by card; a rejected refund does not count', () => {
    const o = returned();
    o.refunds[0].status = 'REJECTED';
    expect(asSale(only(mapSquare(o))).sale.payments).toEqual([{ method: 'card', amount: '1865.24' }]);
    const unknownTender = returned();
    unknownTender.refunds[0].tender_id = 'gone';
    expect(asSale(only(mapSquare(unknownTender))).sale.payments).toEqual([{ method: 'card', amount: '1865.24' }]);
  });

  it('a returned service charge and tip are part of the credit note', () => {
    const o = returned();
    o.returns[0].return_service_charges = [
      {
        uid: 'rsc-1',
        name: 'Service charge',
        applied_money: { amount: 10000, currency: 'NGN' },
        taxable: false,
      },
    ];
    o.return_amounts.total_money.amount = 186524 + 10000 + 500;
    o.return_amounts.tip_money.amount = 500;
    o.refunds[0].amount_money.amount = 186524 + 10000 + 500;
    const c = asSale(only(mapSquare(o)));
    expect(c.sale.charges).toEqual([{ name: 'Service charge', amount: '100.00', tax: expect.objectContaining({ rate: '0' }) }]);
    expect(c.sale.tip).toBe('5.00');
  });

  it('a return line in another currency is a review', () => {
    const o = returned();
    o.returns[0].return_line_items[0].gross_return_money.currency = 'USD';
    expect(asReview(only(mapSquare(o))).reason).toMatch(/gross_return_money\.currency: USD differs from the order's NGN/);
  });
});

describe('mapSquare: nothing sold', () => {
  it('a completed order whose total is zero is skipped', () => {
    const o = order();
    o.total_money.amount = 0;
    expect(asSkip(only(mapSquare(o))).reason).toBe('order total is zero: nothing to invoice');
  });
});
