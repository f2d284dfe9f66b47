// Salesforce Opportunity records that cannot be invoiced as they stand (records in the SOQL query
// result shape, built here): each becomes a review whose reason names the field at fault, or a
// not-won outcome — never an invoice with guessed amounts.
import { describe, expect, it } from 'vitest';
import { mapSalesforce } from '../../../shared/sources/salesforce/map-salesforce';
import { asInvoice, asNotWon, asReview, NG_BUYER } from './support';

const account = () => ({
  attributes: { type: 'Account' },
  Name: 'Adebayo Textiles Ltd',
  TIN__c: NG_BUYER.tin,
  Email__c: NG_BUYER.email,
  BillingStreet: NG_BUYER.street,
  BillingCity: NG_BUYER.city,
  BillingPostalCode: NG_BUYER.postalZone,
  BillingState: NG_BUYER.state,
  LGA__c: NG_BUYER.lga,
  BillingCountry: 'Nigeria',
});
const line = (over: Record<string, unknown> = {}) => ({
  attributes: { type: 'OpportunityLineItem' },
  Id: '00k1',
  Name: 'Ankara 6 yards',
  ProductCode: 'ANK-6',
  Quantity: 2,
  UnitPrice: 500,
  Discount: null,
  TotalPrice: 1000,
  ...over,
});
const opp = (over: Record<string, unknown> = {}) => ({
  attributes: { type: 'Opportunity' },
  Id: '0065g00000XyZ01',
  Name: 'Fabric order',
  Amount: 1000,
  CloseDate: '2026-11-20',
  IsWon: true,
  IsClosed: true,
  StageName: 'Closed Won',
  SystemModstamp: '2026-11-20T09:00:05.000+0000',
  Account: account(),
  OpportunityLineItems: { totalSize: 1, done: true, records: [line()] },
  ...over,
});
const one = (r: unknown, options?: Parameters<typeof mapSalesforce>[1]) => mapSalesforce(r, options)[0];

describe('mapSalesforce: the baseline', () => {
  it('a won opportunity is one invoice with the default 7.5 % VAT added; a query result maps each record', () => {
    const inv = asInvoice(one(opp()));
    expect(inv.totals).toMatchObject({ taxExclusive: 100000, taxInclusive: 107500 });
    expect(inv.sale.lines[0]).toMatchObject({ sku: 'ANK-6' });
    expect(mapSalesforce({ totalSize: 2, done: true, records: [opp(), opp({ Id: 'B' })] }).map((o) => o.dealId)).toEqual([
      '0065g00000XyZ01',
      'B',
    ]);
    expect(mapSalesforce({ records: 'x' })).toEqual([]);
  });
});

describe('mapSalesforce: records that are not usable Opportunities', () => {
  it('no Id, or a field of the wrong type, is a review naming it', () => {
    const r = asReview(one({ Name: 'x' }));
    expect(r.dealId).toBe('(no id)');
    expect(r.reason).toMatch(/^Opportunity\.Id: /);
    const typed = asReview(one(opp({ IsWon: 'yes' })));
    expect(typed.dealId).toBe('0065g00000XyZ01');
    expect(typed.reason).toMatch(/^Opportunity\.IsWon: /);
  });

  it('deleted, lost and open opportunities are not won', () => {
    expect(asNotWon(one(opp({ IsDeleted: true })))).toMatchObject({ status: 'deleted', reason: 'the opportunity is deleted' });
    expect(asNotWon(one(opp({ IsWon: false, StageName: null, IsClosed: false })))).toMatchObject({
      status: 'open',
      reason: 'IsWon is false (stage "?")',
    });
  });

  it('only part of the line items (a nextRecordsUrl to follow) is a review, never a partial invoice', () => {
    const partial = opp({
      OpportunityLineItems: { totalSize: 300, done: false, nextRecordsUrl: '/services/data/v60.0/query/01g-200', records: [line()] },
    });
    expect(asReview(one(partial)).reason).toBe(
      'Opportunity.OpportunityLineItems: only part of the line items is here (follow nextRecordsUrl /services/data/v60.0/query/01g-200)',
    );
    expect(asReview(one(opp({ OpportunityLineItems: { done: false, records: [] } }))).reason).toMatch(/follow nextRecordsUrl \?\)$/);
  });

  it('no products: a review unless invoicing from Amount is allowed; then Amount is needed', () => {
    expect(asReview(one(opp({ OpportunityLineItems: null }))).reason).toBe(
      'the opportunity has no products (invoicing from its amount alone is turned off in settings)',
    );
    expect(asReview(one(opp({ OpportunityLineItems: null, Amount: null }), { allowNoLineItems: true })).reason).toBe(
      'the opportunity has no products and no Amount',
    );
    const inv = asInvoice(one(opp({ OpportunityLineItems: null, Name: null }), { allowNoLineItems: true }));
    expect(inv.sale.lines[0]).toMatchObject({ name: 'Opportunity 0065g00000XyZ01', unit_price: '1000' });
    expect(inv.sale.note).toBe('Salesforce opportunity 0065g00000XyZ01');
  });

  it('a won opportunity without CloseDate names it', () => {
    expect(asReview(one(opp({ CloseDate: null }))).reason).toBe('Opportunity.CloseDate: not selected');
  });

  it('no Account: the buyer is missing', () => {
    expect(asReview(one(opp({ Account: null }))).reason).toMatch(/^buyer: no buyer: the deal has no Account with a name/);
  });
});

describe('mapSalesforce: line items that cannot be invoiced', () => {
  it('not a line item, no Quantity, no UnitPrice', () => {
    const withLines = (...records: unknown[]) => opp({ OpportunityLineItems: { done: true, records } });
    expect(asReview(one(withLines('junk'))).reason).toBe('OpportunityLineItems[0]: not an OpportunityLineItem record');
    expect(asReview(one(withLines(line({ Quantity: null })))).reason).toBe('OpportunityLineItems[0].Quantity: not selected');
    expect(asReview(one(withLines(line({ UnitPrice: undefined })))).reason).toBe(
      'OpportunityLineItems[0].UnitPrice: not selected (the sales price; PricebookEntry.UnitPrice is the list price)',
    );
  });

  it('names come from the product or the price book entry; without TotalPrice the Discount percent is applied', () => {
    const records = [
      line({ Name: null, Product2: { Name: 'From product', ProductCode: 'P2' }, ProductCode: null }),
      line({ Id: '00k2', Name: null, PricebookEntry: { Name: 'From price book' }, TotalPrice: null, Discount: 10, ProductCode: null }),
      line({ Id: undefined, Name: null, TotalPrice: null, ProductCode: null }),
    ];
    const inv = asInvoice(one(opp({ Amount: 2900, OpportunityLineItems: { done: true, records } })));
    expect(inv.sale.lines.map((l) => [l.name, l.sku ?? null, l.discount ?? null])).toEqual([
      ['From product', 'P2', null],
      ['From price book', null, '100.00'],
      ['Product 3', null, null],
    ]);
  });
});

describe('mapSalesforce: paid and currency', () => {
  it("the currency is the record's (multi-currency orgs) or the options'; the paid field is read from the record", () => {
    expect(asInvoice(one(opp({ CurrencyIsoCode: 'USD' }))).sale.currency).toBe('USD');
    expect(asInvoice(one(opp(), { currency: 'GHS' })).sale.currency).toBe('GHS');
    expect(one(opp({ Paid__c: true }), { paidField: 'Paid__c' })).toMatchObject({ kind: 'invoice', paid: true });
  });
});
