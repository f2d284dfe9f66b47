// HubSpot deal bundles that cannot be invoiced as they stand (objects in HubSpot's CRM v3 shape —
// {id, properties} with every property a string — built here): each becomes a review whose reason
// names the property at fault, or a not-won outcome; never an invoice with guessed amounts.
import { describe, expect, it } from 'vitest';
import { mapHubspot } from '../../../shared/sources/hubspot/map-hubspot';
import { asInvoice, asNotWon, asReview, NG_BUYER } from './support';

const company = () => ({
  id: '901',
  properties: {
    name: 'Adebayo Textiles Ltd',
    tin: NG_BUYER.tin,
    email: NG_BUYER.email,
    address: NG_BUYER.street,
    city: NG_BUYER.city,
    zip: NG_BUYER.postalZone,
    state: NG_BUYER.state,
    lga: NG_BUYER.lga,
    country: 'NG',
  },
});
const deal = (props: Record<string, string | null> = {}, over: Record<string, unknown> = {}) => ({
  id: '77',
  properties: {
    dealname: 'Fabric order',
    amount: '1000',
    dealstage: 'closedwon',
    closedate: '2026-11-20T09:00:00.000Z',
    hs_lastmodifieddate: '2026-11-20T09:00:05.000Z',
    deal_currency_code: 'NGN',
    ...props,
  },
  ...over,
});
const item = (props: Record<string, string> = {}) => ({
  id: '5001',
  properties: { name: 'Ankara 6 yards', quantity: '2', price: '500', amount: '1000', hs_tax_amount: '75', ...props },
});
const bundle = (o: { deal?: unknown; line_items?: unknown; company?: unknown; tax_rates?: unknown } = {}) => ({
  deal: o.deal ?? deal(),
  line_items: 'line_items' in o ? o.line_items : { results: [item()] },
  company: 'company' in o ? o.company : company(),
  ...(o.tax_rates !== undefined ? { tax_rates: o.tax_rates } : {}),
});
const won = { wonStages: ['closedwon'] };
const one = (b: unknown, options: Parameters<typeof mapHubspot>[1] = won) => mapHubspot(b, options)[0];

describe('mapHubspot: the baseline', () => {
  it('a won deal with one line and 7.5 % VAT read from hs_tax_amount is one B2B invoice', () => {
    const inv = asInvoice(one(bundle()));
    expect(inv.totals).toMatchObject({ taxExclusive: 100000, taxInclusive: 107500 });
    expect(inv.sale.customer).toMatchObject({ name: 'Adebayo Textiles Ltd', tin: NG_BUYER.tin });
  });
});

describe('mapHubspot: not a deal, not won', () => {
  it('a bundle without a deal object says what to give', () => {
    const r = asReview(one({ line_items: [] }));
    expect(r.dealId).toBe('(no id)');
    expect(r.reason).toMatch(/^deal: not a HubSpot deal object \(.*\); give \{"deal": GET \/crm\/v3\/objects\/deals\/\{id\}/);
    expect(asReview(one(null)).dealId).toBe('(no id)');
  });

  it('archived deals are withdrawn; a deal without dealstage names the property to ask for', () => {
    expect(asNotWon(one(bundle({ deal: deal({}, { archived: true }) })))).toMatchObject({ status: 'deleted' });
    expect(asReview(one(bundle({ deal: deal({ dealstage: null }) }))).reason).toBe(
      'deal.properties.dealstage: not returned (ask for it with ?properties=dealstage)',
    );
  });

  it('without won stages or pipelines there is no way to tell won: a review saying so', () => {
    expect(asReview(one(bundle(), {})).reason).toBe(
      'won stages are not configured and no pipelines (GET /crm/v3/pipelines/deals) were given to read them from',
    );
  });

  it('a stage that does not issue an invoice is not won, naming the stages that do', () => {
    expect(asNotWon(one(bundle({ deal: deal({ dealstage: 'appointmentscheduled' }) })))).toMatchObject({
      status: 'open',
      reason: 'stage appointmentscheduled is not a stage that issues an invoice (closedwon)',
    });
    expect(asNotWon(one(bundle({ deal: deal({ dealstage: 'x' }) }), { wonStages: [] })).reason).toMatch(/\(none configured\)$/);
  });
});

describe('mapHubspot: line items that cannot be invoiced', () => {
  it('not a line item object, another currency, no price', () => {
    expect(asReview(one(bundle({ line_items: [{ properties: {} }] }))).reason).toBe('line_items[0]: not a HubSpot line item object');
    expect(asReview(one(bundle({ line_items: [item({ hs_line_item_currency_code: 'USD' })] }))).reason).toBe(
      "line_items[0].hs_line_item_currency_code: USD differs from the deal's NGN",
    );
    const { price: _p, ...noPrice } = item().properties;
    expect(asReview(one(bundle({ line_items: [{ id: '1', properties: noPrice }] }))).reason).toMatch(
      /^line_items\[0\]\.price: not returned/,
    );
  });

  it("an amount that is not quantity × price less discount names all three and HubSpot's", () => {
    expect(asReview(one(bundle({ line_items: [item({ amount: '999' })] }))).reason).toBe(
      `line_items[0] "Ankara 6 yards": quantity 2 × price 500 less discount 0.00 is 1000.00 but HubSpot's amount is 999.00`,
    );
  });

  it('discounts per unit or as a percentage', () => {
    const perUnit = asInvoice(
      one(bundle({ deal: deal({ amount: '900' }), line_items: [item({ discount: '50', amount: '900', hs_tax_amount: '67.5' })] })),
    );
    expect(perUnit.sale.lines[0]).toMatchObject({ discount: '100.00' });
    const pct = asInvoice(
      one(
        bundle({
          deal: deal({ amount: '900' }),
          line_items: [item({ hs_discount_percentage: '10', amount: '900', hs_tax_amount: '67.5' })],
        }),
      ),
    );
    expect(pct.sale.lines[0]).toMatchObject({ discount: '100.00' });
  });

  it('tax by rate group: unknown group, a rate that does not give hs_tax_amount; known from the payload or options', () => {
    expect(asReview(one(bundle({ line_items: [item({ hs_tax_rate_group_id: 'g-1' })] }))).reason).toMatch(
      /line_items\[0\] "Ankara 6 yards"\.hs_tax_rate_group_id: tax rate g-1 is unknown \(read it with GET \/tax-rates\/v1\/tax-rates\/g-1/,
    );
    expect(
      asReview(one(bundle({ line_items: [item({ hs_tax_rate_group_id: 'g-1' })], tax_rates: { id: 'g-1', percentageRate: 5 } }))).reason,
    ).toBe('line_items[0] "Ankara 6 yards": tax rate 5% gives 50.00 but hs_tax_amount is 75.00');
    const fromPayload = asInvoice(
      one(
        bundle({
          line_items: [item({ hs_tax_rate_group_id: 'g-1' })],
          tax_rates: { results: [{ id: 'g-1', percentageRate: '7.5' }, { id: 'junk' }] },
        }),
      ),
    );
    expect(fromPayload.sale.lines[0]!.tax).toEqual({ category: 'STANDARD_VAT', rate: '7.5', inclusive: false });
    expect(
      asInvoice(one(bundle({ line_items: [item({ hs_tax_rate_group_id: 'g-2' })] }), { ...won, taxRates: { 'g-2': '7.5' } })).totals
        .taxTotal,
    ).toBe(7500);
  });

  it('a tax amount no configured rate reproduces; a zero tax amount is untaxed', () => {
    expect(asReview(one(bundle({ line_items: [item({ hs_tax_amount: '60' })] }))).reason).toBe(
      'line_items[0] "Ankara 6 yards": hs_tax_amount 60.00 on 1000.00 is not any configured VAT rate (7.5%)',
    );
    const untaxed = asInvoice(one(bundle({ line_items: [item({ hs_tax_amount: '0' })] })));
    expect(untaxed.sale.lines[0]!.tax).toEqual({ category: 'EXEMPTED', rate: '0', inclusive: false });
  });

  it('no line items: a review unless invoicing from the amount is allowed; then an amount is needed', () => {
    expect(asReview(one(bundle({ line_items: undefined }))).reason).toBe(
      'the deal has no line items (invoicing a deal from its amount alone is turned off in settings)',
    );
    expect(asReview(one(bundle({ line_items: [], deal: deal({ amount: null }) }), { ...won, allowNoLineItems: true })).reason).toBe(
      'the deal has no line items and no amount',
    );
    const inv = asInvoice(one(bundle({ line_items: [], deal: deal({ dealname: null }) }), { ...won, allowNoLineItems: true }));
    expect(inv.sale.lines).toEqual([
      { name: 'HubSpot deal 77', quantity: '1', unit_price: '1000', tax: { category: 'EXEMPTED', rate: '0', inclusive: false } },
    ]);
    expect(inv.sale.note).toBe('HubSpot deal 77');
  });
});

describe('mapHubspot: company, dates, paid', () => {
  it('a company that is not a company object is a review; no company is a missing buyer', () => {
    expect(asReview(one(bundle({ company: { name: 'x' } }))).reason).toBe('company: not a HubSpot company object');
    expect(asReview(one(bundle({ company: undefined }))).reason).toMatch(/^buyer: no buyer: the deal has no company with a name/);
  });

  it('without closedate the last modification dates the invoice; an unreadable one is named', () => {
    expect(asInvoice(one(bundle({ deal: deal({ closedate: null }) }))).sale.occurred_at).toBe('2026-11-20T09:00:05.000Z');
    expect(asReview(one(bundle({ deal: deal({ closedate: 'soon' }) }))).reason).toMatch(
      /deal\.properties\.closedate: "soon" is not a date/,
    );
  });

  it('an unreadable amount is a review naming it; the paid property is read when configured', () => {
    expect(asReview(one(bundle({ deal: deal({ amount: '1,000' }) }))).reason).toMatch(/deal\.properties\.amount/);
    expect(one(bundle({ deal: deal({ paid_flag: 'true' }) }), { ...won, paidField: 'paid_flag' })).toMatchObject({
      kind: 'invoice',
      paid: true,
    });
  });
});
