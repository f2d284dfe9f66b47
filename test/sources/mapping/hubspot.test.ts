// HubSpot deal + line items + company, in HubSpot's own shapes (every property a string), from the published examples.
import { describe, expect, it } from 'vitest';
import { mapHubspot } from '../../../shared/sources/hubspot/map-hubspot';
import { defaultWonStages, hubspotStages } from '../../../shared/sources/hubspot/won-stages';
import { asInvoice, asNotWon, asReview, HAVE_FIXTURES, NG_BUYER, real } from './support';

const PIPELINES = {
  results: [
    {
      id: 'default',
      label: 'Sales Pipeline',
      stages: [
        { id: 'presentationscheduled', label: 'Presentation Scheduled', metadata: { isClosed: 'false', probability: '0.6' } },
        { id: 'closedwon', label: 'Closed Won', metadata: { isClosed: 'true', probability: '1.0' } },
        { id: 'closedlost', label: 'Closed Lost', metadata: { isClosed: 'true', probability: '0.0' } },
      ],
    },
    // A custom pipeline: numeric stage ids, metadata as numbers (HubSpot's prose), a label that says "Won" but is not closed.
    {
      id: '812723471',
      label: 'Enterprise',
      stages: [
        { id: '1234912', label: 'Won (verbal)', metadata: { isClosed: false, probability: 0.9 } },
        { id: '1234914', label: 'Signed', metadata: { isClosed: true, probability: 1 } },
      ],
    },
  ],
};

function wonDeal() {
  const deal = real('hubspot/01-deal-object.json');
  deal.properties.dealstage = '1234914';
  deal.properties.amount = '15850.00';
  const a = real('hubspot/02-line-item-object.json');
  Object.assign(a.properties, { discount: '100', hs_tax_rate_group_id: '2148420997', amount: '11800.00', hs_sku: 'IMPL-1Y' });
  const b = {
    id: '513',
    properties: {
      name: 'Support hours',
      price: '1500.00',
      quantity: '3',
      hs_discount_percentage: '10',
      amount: '4050.00',
      hs_tax_amount: '303.75',
    },
  };
  const company = real('hubspot/03-company-object.json');
  Object.assign(company.properties, {
    tin: NG_BUYER.tin,
    email: NG_BUYER.email,
    address: NG_BUYER.street,
    city: NG_BUYER.city,
    zip: NG_BUYER.postalZone,
    state: NG_BUYER.state,
    lga: NG_BUYER.lga,
    country: NG_BUYER.country,
  });
  return { deal, line_items: { results: [a, b] }, company, tax_rates: [real('hubspot/08-tax-rate.json')], pipelines: PIPELINES };
}

describe.skipIf(!HAVE_FIXTURES)('mapHubspot', () => {
  it('won is the configured stage id from the pipelines (strings or numbers), never the label', () => {
    expect(defaultWonStages(PIPELINES)).toEqual(['closedwon', '1234914']);
    expect(hubspotStages(PIPELINES).find((s) => s.id === 'closedlost')).toMatchObject({ lost: true, won: false });
    // HubSpot's only published pipeline (a ticket pipeline) has no closed-won stage.
    expect(defaultWonStages(real('hubspot/05-ticket-pipeline.json'))).toEqual([]);
    const published = { deal: real('hubspot/01-deal-object.json'), pipelines: PIPELINES };
    const n = asNotWon(mapHubspot(published)[0]);
    expect(n).toMatchObject({ dealId: '512', status: 'open', amountKobo: 150000, version: '2019-12-07T16:50:06.678Z' });
    expect(n.reason).toMatch(/stage presentationscheduled "Presentation Scheduled" is not a stage that issues an invoice/);
    const verbal = wonDeal();
    verbal.deal.properties.dealstage = '1234912'; // labelled "Won (verbal)", but not closed-won
    expect(mapHubspot(verbal)[0]!.kind).toBe('not_won');
    expect(mapHubspot(verbal, { wonStages: ['1234912'] })[0]!.kind).toBe('invoice'); // the business chose it
    expect(asReview(mapHubspot({ deal: real('hubspot/01-deal-object.json') })[0]).reason).toMatch(/won stages are not configured/);
  });

  it('two line items with a unit discount and a percent discount, a tax-rate group (percent) and hs_tax_amount: B2B, PENDING, total = deal amount', () => {
    const inv = asInvoice(mapHubspot(wonDeal())[0]);
    expect(inv).toMatchObject({ source: 'hubspot', dealId: '512', amountKobo: 1585000, currency: 'NGN' });
    expect(inv.sale.lines).toEqual([
      {
        name: '1 year implementation consultation',
        sku: 'IMPL-1Y',
        quantity: '2',
        unit_price: '6000',
        discount: '200.00',
        tax: { category: 'REDUCED_VAT', rate: '6.25', inclusive: false },
      },
      {
        name: 'Support hours',
        quantity: '3',
        unit_price: '1500',
        discount: '450.00',
        tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: false },
      },
    ]);
    expect(inv.sale).toMatchObject({
      on_credit: true,
      external_id: '512',
      occurred_at: '2019-12-07T16:50:06.678Z',
    });
    expect(inv.sale.customer).toEqual({
      name: 'Biglytics',
      tin: '12345678-0001',
      email: 'ap@buyer.ng',
      address: { street: '12 Marina', city: 'Lagos', postal_zone: '101233', state: 'NG-LA', lga: 'NG-LA-IKJ', country: 'NG' },
    });
    expect(inv.totals.taxExclusive).toBe(1585000); // = the deal amount (net of VAT), to the kobo
    expect(inv.totals.taxTotal).toBe(73750 + 30375); // 6.25 % of 11800 + 7.5 % of 4050
    expect(inv.sale.payments).toEqual([]); // a credit sale: the FIRS invoice says PENDING
  });

  it('the published company has no TIN, email, address, postal code or LGA: review naming each field', () => {
    const b = wonDeal();
    b.company = real('hubspot/03-company-object.json');
    const r = asReview(mapHubspot(b)[0]);
    expect(r.missing).toEqual(['tin', 'email', 'street', 'postalZone', 'lga']);
    expect(r.reason).toMatch(
      /tin \(company\.tin\) is empty; email \(company\.email\) is empty; street \(company\.address\) is empty; postalZone \(company\.zip\) is empty; lga \(company\.lga\) is empty/,
    );
    const none = wonDeal();
    none.company = null as never;
    expect(asReview(mapHubspot(none)[0]).reason).toMatch(/no buyer/);
    // The TIN property is configurable.
    const custom = wonDeal();
    custom.company.properties.vat_id = custom.company.properties.tin;
    delete custom.company.properties.tin;
    expect(mapHubspot(custom, { buyerFields: { tin: 'vat_id' } })[0]!.kind).toBe('invoice');
  });

  it('a total that differs from the deal amount is a review stating the difference; a line amount HubSpot computed differently too', () => {
    const b = wonDeal();
    b.deal.properties.amount = '1500.00'; // the published deal's amount
    expect(asReview(mapHubspot(b)[0]).reason).toMatch(
      /invoice would total 15850\.00 before VAT .* deal amount is 1500\.00: difference 14350\.00 NGN/,
    );
    const c = wonDeal();
    c.line_items.results[1]!.properties.amount = '4000.00';
    expect(asReview(mapHubspot(c)[0]).reason).toMatch(/less discount 450\.00 is 4050\.00 but HubSpot's amount is 4000\.00/);
    const t = wonDeal();
    t.line_items.results[1]!.properties.hs_tax_amount = '300.00';
    expect(asReview(mapHubspot(t)[0]).reason).toMatch(/hs_tax_amount 300\.00 on 4050\.00 is not any configured VAT rate/);
    const u = wonDeal();
    u.tax_rates = [];
    expect(asReview(mapHubspot(u)[0]).reason).toMatch(/tax rate 2148420997 is unknown .*tax_rates\.read/);
  });

  it('currency from deal_currency_code, else the portal default; epoch-ms dates; no line items only when allowed', () => {
    const b = wonDeal();
    b.deal.properties.deal_currency_code = 'USD';
    b.deal.properties.closedate = real('hubspot/04-generic-object-property-encodings.json').properties.property_date;
    const inv = asInvoice(mapHubspot(b)[0]);
    expect(inv.sale.currency).toBe('USD');
    expect(inv.sale.occurred_at).toBe('2019-10-31T00:00:00.000Z');
    expect(asInvoice(mapHubspot(wonDeal(), { currency: 'GHS' })[0]).currency).toBe('GHS');
    const empty = { ...wonDeal(), line_items: { results: [] } };
    expect(asReview(mapHubspot(empty)[0]).reason).toMatch(/no line items .*turned off/);
    const one = asInvoice(mapHubspot(empty, { allowNoLineItems: true, defaultVatRate: '7.5' })[0]);
    expect(one.sale.lines).toEqual([
      {
        name: 'Custom data integrations',
        quantity: '1',
        unit_price: '15850',
        tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: false },
      },
    ]);
    expect(one.totals.taxExclusive).toBe(1585000);
  });

  it("a malformed payload is a review, not a crash; bad options are the caller's error", () => {
    expect(asReview(mapHubspot({ deal: { nope: 1 } })[0]).reason).toMatch(/not a HubSpot deal object/);
    const b = wonDeal();
    b.line_items.results[0]!.properties.price = '12,00';
    expect(asReview(mapHubspot(b)[0]).reason).toMatch(/price: "12,00" is not a decimal/);
    expect(() => mapHubspot(wonDeal(), { currency: 'naira' } as never)).toThrow(/crm options: currency/);
  });

  it('the paid property: a checkbox "true" marks the invoice paid, other values do not; no paidField, no flag', () => {
    const b = wonDeal();
    expect(asInvoice(mapHubspot(b)[0]).paid).toBeUndefined();
    b.deal.properties.taxpoynt_paid = 'true'; // HubSpot: every property a string
    expect(asInvoice(mapHubspot(b, { paidField: 'taxpoynt_paid' })[0]).paid).toBe(true);
    b.deal.properties.taxpoynt_paid = 'false';
    expect(asInvoice(mapHubspot(b, { paidField: 'taxpoynt_paid' })[0]).paid).toBe(false);
    b.deal.properties.payment_state = 'Settled';
    expect(asInvoice(mapHubspot(b, { paidField: 'payment_state', paidValues: ['settled'] })[0]).paid).toBe(true);
  });
});
