// Toast payloads that are not a sale we can invoice as they stand: each becomes a review (or a
// skip) whose reason names the field at fault, never an invoice with guessed amounts.
import { describe, expect, it } from 'vitest';
import { mapToast } from '../../../shared/capture/toast/map-toast';
import { asReview, asSale, asSkip, load, only } from './support';

const order = () => load('toast/order-mixed.json');
const refunded = () => load('toast/order-mixed-refunded.json');

describe('mapToast: webhook events that carry no order', () => {
  it('names the order to fetch (details.orderGuid, details.order.guid or the orders event guid)', () => {
    const byOrderGuid = asReview(
      only(mapToast({ eventCategory: 'orders', eventType: 'order_updated', guid: 'evt-1', details: { orderGuid: 'o-9' } })),
    );
    expect(byOrderGuid.vendorId).toBe('o-9');
    expect(byOrderGuid.reason).toBe(
      'this is a Toast webhook event (order_updated) without the order — fetch order o-9 (GET /orders/v2/orders/o-9) and ingest that',
    );
    // An orders event whose details are empty: its own guid is the order's.
    const byEventGuid = asReview(only(mapToast({ eventCategory: 'orders', eventType: 'order_updated', guid: 'o-10', details: {} })));
    expect(byEventGuid.vendorId).toBe('o-10');
    expect(byEventGuid.reason).toMatch(/fetch order o-10/);
  });

  it('an event that names no order is a review with no id, and nothing to invoice', () => {
    const menu = asReview(only(mapToast({ eventCategory: 'menus', eventType: 'menus_updated', guid: 'm-1', details: {} })));
    expect(menu.vendorId).toBe('(no id)');
    expect(menu.reason).toBe('this is a Toast webhook event (menus_updated) that names no order; nothing to invoice from it');
    // eventType present but not text: still recognised as an event, called "event".
    expect(asReview(only(mapToast({ eventType: null, details: null }))).reason).toMatch(
      /Toast webhook event \(event\) that names no order/,
    );
  });
});

describe('mapToast: taxes it cannot read', () => {
  it('a non-percentage tax needs a person', () => {
    const o = order();
    o.checks[0].selections[0].appliedTaxes[0].type = 'FIXED';
    expect(asReview(only(mapToast(o))).reason).toMatch(
      /order\.checks\[0\]\.selections\[0\]\.appliedTaxes\[0\]\.type: FIXED tax "VAT" is not a percentage; needs a person/,
    );
  });

  it('a charged tax without a rate is a review naming the rate', () => {
    const o = order();
    o.checks[0].selections[0].appliedTaxes[0].rate = null;
    expect(asReview(only(mapToast(o))).reason).toMatch(/selections\[0\]\.appliedTaxes\[0\]\.rate: missing/);
  });

  it('a rate above 1 is read as a percentage already (7.5 = 0.075): the same sale', () => {
    const o = order();
    for (const s of o.checks[0].selections) for (const t of s.appliedTaxes) t.rate = t.rate * 100;
    o.checks[0].appliedServiceCharges[0].appliedTaxes[0].rate = 7.5;
    expect(asSale(only(mapToast(o))).sale).toEqual(asSale(only(mapToast(order()))).sale);
  });

  it('a non-taxable service charge is charged without VAT', () => {
    const o = order();
    const sc = o.checks[0].appliedServiceCharges[0];
    sc.taxable = false;
    sc.appliedTaxes = [];
    sc.name = '';
    o.checks[0].totalAmount = 12171.88 - 39.38;
    const s = asSale(only(mapToast(o)));
    expect(s.sale.charges).toEqual([{ name: 'Service charge', amount: '525.00', tax: expect.objectContaining({ rate: '0' }) }]);
    expect(s.totals.taxInclusive).toBe(1217188 - 3938 - 50000);
  });
});

describe('mapToast: amounts and structure that do not hold together', () => {
  it('a price above its preDiscountPrice is a review, not a negative discount', () => {
    const o = order();
    o.checks[0].selections[2].preDiscountPrice = 200;
    expect(asReview(only(mapToast(o))).reason).toMatch(/selections\[2\]: price 300\.00 is more than preDiscountPrice 200\.00/);
  });

  it('an order whose every selection is voided', () => {
    const o = order();
    for (const s of o.checks[0].selections) s.voided = true;
    const r = asReview(only(mapToast(o)));
    expect(r.vendorId).toBe(o.guid);
    expect(r.reason).toBe('order.checks: no unvoided selections');
  });

  it('a paid order with a total but only voided/denied payments', () => {
    const o = order();
    o.checks[0].payments[0].paymentStatus = 'VOIDED';
    o.checks[0].payments[1].paymentStatus = 'DENIED';
    expect(asReview(only(mapToast(o))).reason).toMatch(/a paid order with a non-zero total has no live payments/);
  });

  it('a zero-total order with no payments is skipped (nothing to invoice)', () => {
    const o = order();
    const c = o.checks[0];
    c.selections = [{ displayName: '', quantity: 1, price: 0, preDiscountPrice: 0, appliedTaxes: [], voided: false }];
    c.appliedServiceCharges = [];
    c.payments = [];
    c.totalAmount = 0;
    expect(asSkip(only(mapToast(o))).reason).toBe('order has a zero total and no payments');
  });

  it('an order without any date is a review naming paidDate', () => {
    const o = order();
    delete o.paidDate;
    delete o.closedDate;
    delete o.openedDate;
    expect(asReview(only(mapToast(o))).reason).toMatch(/order\.paidDate: the order has no date/);
  });

  it('falls back to closedDate, then openedDate, then createdDate for the moment of supply', () => {
    const o = order();
    delete o.paidDate;
    expect(asSale(only(mapToast(o))).sale.occurred_at).toBe('2026-11-23T19:41:55.000Z');
    delete o.closedDate;
    expect(asSale(only(mapToast(o))).sale.occurred_at).toBe('2026-11-23T18:02:11.000Z');
    delete o.openedDate;
    o.createdDate = '2026-11-23T18:00:00.000+0000';
    expect(asSale(only(mapToast(o))).sale.occurred_at).toBe('2026-11-23T18:00:00.000Z');
    o.createdDate = 'yesterday evening';
    expect(asReview(only(mapToast(o))).reason).toMatch(/order\.createdDate/);
  });

  it('a missing guid or a non-array checks is a review naming the field', () => {
    const noGuid = order();
    delete noGuid.guid;
    expect(asReview(only(mapToast(noGuid))).reason).toMatch(/guid/);
    expect(asReview(only(mapToast({ ...order(), checks: 'none' }))).reason).toMatch(/checks/);
  });
});

describe('mapToast: refunds that cannot become a clean credit note', () => {
  it('a credit note that does not add up goes to review; the sale itself is still issued', () => {
    const o = refunded();
    o.checks[0].payments[1].refund.refundAmount = 2000; // the refunded selection says 2100.00
    const [sale, credit] = mapToast(o);
    expect(asSale(sale).sale.external_id).toBe(o.guid);
    const r = asReview(credit);
    expect(r.vendorId).toBe(`${o.guid}:refund`);
    expect(r.reason).toMatch(/refund of order/);
  });

  it('without a refund date the credit note is dated at the last modification', () => {
    const o = refunded();
    delete o.checks[0].payments[1].refund.refundDate;
    const [, credit] = mapToast(o);
    expect(asSale(credit).sale.occurred_at).toBe(new Date(o.modifiedDate).toISOString());
  });

  it('a refunded tip is part of the credit note', () => {
    const o = refunded();
    o.checks[0].payments[1].refund.tipRefundAmount = 100;
    const [, credit] = mapToast(o);
    const c = asSale(credit);
    expect(c.sale.tip).toBe('100.00');
    expect(c.sale.payments).toEqual([{ method: 'cash', amount: '2200.00' }]);
  });
});
