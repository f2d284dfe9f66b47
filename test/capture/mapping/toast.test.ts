// Toast Orders → canonical sales, from payloads in Toast's own field shapes (JSON numbers, no currency).
import { describe, expect, it } from 'vitest';
import { mapToast } from '../../../shared/capture/toast/map-toast';
import { asReview, asSale, asSkip, load, only } from './support';

const order = () => load('toast/order-mixed.json');

describe('mapToast', () => {
  it('maps a closed order exactly: JSON-number amounts, discount, included and added VAT, exempt item, voided item left out, taxable service charge, gratuity and card tip as the tip', () => {
    const o = order();
    const s = asSale(only(mapToast(o, { currency: 'NGN' })));
    expect(s).toMatchObject({ vendor: 'toast', vendorId: o.guid, version: o.modifiedDate });
    expect(s.sale).toMatchObject({
      source: 'toast',
      external_id: o.guid,
      currency: 'NGN',
      occurred_at: '2026-11-23T19:41:50.000Z',
      tip: '1500.00',
    });
    expect(s.sale.lines.map((l) => [l.name, l.quantity, l.unit_price, l.discount ?? null, l.tax.inclusive, l.tax.category])).toEqual([
      ['Suya platter', '2', '4500', '900.00', false, 'STANDARD_VAT'],
      ['Zobo drink', '3', '700', null, true, 'STANDARD_VAT'],
      ['Bottled water', '1', '300.00', null, false, 'EXEMPTED'],
    ]);
    expect(s.sale.charges).toEqual([
      { name: 'Service charge 5%', amount: '525.00', tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: false } },
    ]);
    expect(s.sale.payments).toEqual([
      { method: 'card', amount: '9000.00' },
      { method: 'cash', amount: '4171.88' },
    ]);
    // totalAmount 12171.88 less the 500.00 gratuity; Toast's own tax total, to the kobo.
    expect(s.totals.taxInclusive).toBe(1217188 - 50000);
    expect(s.totals.taxTotal).toBe(79339);
  });

  it("the currency is the restaurant's (options), default NGN", () => {
    expect(asSale(only(mapToast(order()))).sale.currency).toBe('NGN');
    expect(asReview(only(mapToast(order(), { currency: 'GHS' }))).reason).toMatch(
      /the sale is in GHS, not the business's NGN; foreign-currency invoicing is off/,
    );
    const fx = { enabled: true, rates: { GHS: { rate: '98.5', source: 'CBN official rate', date: '2026-11-23' } } };
    expect(asSale(only(mapToast(order(), { currency: 'GHS', foreignCurrency: fx }))).sale).toMatchObject({
      currency: 'GHS',
      exchange_rate: fx.rates.GHS,
    });
  });

  it('accepts an Order, an ordersBulk array and an order_updated webhook body', () => {
    const o = order();
    expect(mapToast([o, { ...o, guid: 'other' }]).map((x) => x.vendorId)).toEqual([o.guid, 'other']);
    const hook = {
      timestamp: '2026-11-23T19:42:10.120+0000',
      eventCategory: 'orders',
      eventType: 'order_updated',
      guid: 'evt-1',
      details: { restaurantGuid: 'r-1', order: o },
    };
    expect(only(mapToast(hook)).kind).toBe('sale');
  });

  it('voided, deleted and not-yet-paid orders are skipped', () => {
    expect(asSkip(only(mapToast({ ...order(), voided: true }))).reason).toMatch(/voided/);
    expect(asSkip(only(mapToast({ ...order(), deleted: true }))).reason).toMatch(/deleted/);
    const open = order();
    open.checks[0].paymentStatus = 'OPEN';
    expect(asSkip(only(mapToast(open))).reason).toMatch(/is OPEN: the order is not closed yet/);
    const gone = order();
    gone.checks[0].voided = true;
    expect(asSkip(only(mapToast(gone))).reason).toMatch(/no live checks/);
  });

  it('a refund on the order becomes a credit note "<guid>:refund" against it, alongside the unchanged sale', () => {
    const o = load('toast/order-mixed-refunded.json');
    const [sale, credit] = mapToast(o);
    expect(asSale(sale).sale).toEqual(asSale(only(mapToast(order()))).sale); // same content: a duplicate for the ledger
    const c = asSale(credit);
    expect(c.vendorId).toBe(`${o.guid}:refund`);
    expect(c.sale).toMatchObject({ external_id: `${o.guid}:refund`, refund_of: o.guid, payments: [{ method: 'cash', amount: '2100.00' }] });
    expect(c.totals.taxInclusive).toBe(210000);
    expect(c.totals.taxTotal).toBe(14651); // Toast's taxRefundAmount
    expect(c.sale.occurred_at).toBe('2026-11-23T20:15:03.000Z'); // the refund's date
    // A later, unrelated modification of the order does not change the credit note (no false review).
    const later = load('toast/order-mixed-refunded.json');
    later.modifiedDate = '2026-11-23T22:00:00.000+0000';
    expect(asSale(mapToast(later)[1]).sale).toEqual(c.sale);
    const unitemised = load('toast/order-mixed-refunded.json');
    delete unitemised.checks[0].selections[1].refundDetails;
    expect(asReview(mapToast(unitemised)[1]).reason).toMatch(/without refunded selections/);
  });

  it('a customer becomes a B2B buyer only through a configured TIN field', () => {
    const o = order();
    o.checks[0].customer.companyTin = '34567890-0001';
    expect(asSale(only(mapToast(o))).sale.customer).toBeNull();
    expect(asSale(only(mapToast(o, { tinField: 'companyTin' }))).sale.customer).toEqual({
      name: 'Chiamaka Obi',
      tin: '34567890-0001',
      email: 'chiamaka@example.ng',
    });
  });

  it('what cannot be mapped faithfully is a review: mismatched total, taxed gratuity, two taxes, fractions of a kobo, bad types', () => {
    const total = order();
    total.checks[0].totalAmount = 12171.89;
    expect(asReview(only(mapToast(total))).reason).toMatch(/POS charged 11671\.89/);
    const gratuity = order();
    gratuity.checks[0].appliedServiceCharges[1].appliedTaxes = [{ rate: 0.075, taxAmount: 37.5, type: 'PERCENT' }];
    expect(asReview(only(mapToast(gratuity))).reason).toMatch(/taxed gratuity/);
    const two = order();
    two.checks[0].selections[0].appliedTaxes.push({ name: 'Consumption tax', rate: 0.05, taxAmount: 405, type: 'PERCENT' });
    expect(asReview(only(mapToast(two))).reason).toMatch(
      /selections\[0\]: tax "Consumption tax" at 5% is not in this connection's tax mapping/,
    );
    const fraction = order();
    fraction.checks[0].selections[2].price = 300.005;
    expect(asReview(only(mapToast(fraction))).reason).toMatch(/selections\[2\]\.price: 300\.005 has more than 2 decimal places/);
    const typed = order();
    typed.checks[0].totalAmount = '12171.88';
    expect(asReview(only(mapToast(typed))).reason).toMatch(/order\.checks\[0\]\.totalAmount/);
    const payment = order();
    payment.checks[0].payments[0].type = 'BITCOIN';
    expect(asReview(only(mapToast(payment))).reason).toMatch(/unknown Toast payment type "BITCOIN"/);
  });

  it("taxInclusion INHERITED: the reading (added or included) that reproduces Toast's totals is kept", () => {
    const o = order();
    o.checks[0].selections[1].taxInclusion = 'INHERITED'; // the Zobo drink's price includes VAT
    expect(asSale(only(mapToast(o))).sale.lines[1]!.tax.inclusive).toBe(true);
    const added = order();
    added.checks[0].selections[0].taxInclusion = 'INHERITED'; // the suya's VAT is added
    expect(asSale(only(mapToast(added))).sale.lines[0]!.tax.inclusive).toBe(false);
    const neither = order();
    neither.checks[0].selections[1].taxInclusion = 'INHERITED';
    neither.checks[0].totalAmount = 12000;
    expect(asReview(only(mapToast(neither))).reason).toMatch(/reading INHERITED as tax-included/);
  });

  it('voided payments do not count as paid', () => {
    const o = order();
    o.checks[0].payments.push({ guid: 'p-x', type: 'CREDIT', amount: 5000.0, tipAmount: 500.0, paymentStatus: 'VOIDED' });
    const s = asSale(only(mapToast(o)));
    expect(s.sale.payments).toHaveLength(2);
    expect(s.sale.tip).toBe('1500.00');
  });
});
