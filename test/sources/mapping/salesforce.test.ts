// Salesforce query rows (Opportunity + OpportunityLineItems subquery + Account), JSON numbers, from the published exemplars.
import { describe, expect, it } from 'vitest';
import { mapSalesforce } from '../../../shared/sources/salesforce/map-salesforce';
import { asInvoice, asNotWon, asReview, HAVE_FIXTURES, NG_BUYER, real } from './support';

const ACCOUNT = {
  attributes: { type: 'Account' },
  Name: 'Dangote Cement Plc',
  TIN__c: NG_BUYER.tin,
  Email__c: NG_BUYER.email,
  BillingStreet: NG_BUYER.street,
  BillingCity: NG_BUYER.city,
  BillingState: NG_BUYER.state,
  LGA__c: NG_BUYER.lga,
  BillingCountry: 'NG',
  BillingPostalCode: '101001',
};

function wonQuery() {
  const q = real('salesforce/01-opportunity-with-lineitems-subquery.json');
  const opp = q.records[0];
  Object.assign(opp, {
    IsWon: true,
    IsClosed: true,
    StageName: 'Closed Won',
    SystemModstamp: '2022-02-01T10:00:00.000+0000',
    Amount: 2340,
    Account: ACCOUNT,
  });
  Object.assign(opp.OpportunityLineItems.records[0], { Quantity: 1, UnitPrice: 1300, Discount: 10, TotalPrice: 1170, ProductCode: 'MP-1' });
  opp.OpportunityLineItems.records.push({
    attributes: { type: 'OpportunityLineItem' },
    Id: '00k3F000007kBoEQAU',
    Name: 'Installation',
    Quantity: 2,
    UnitPrice: 585,
    TotalPrice: 1170,
  });
  opp.OpportunityLineItems.totalSize = 2;
  return q;
}

describe.skipIf(!HAVE_FIXTURES)('mapSalesforce', () => {
  it('the published rows do not select IsWon: a review saying so (won is IsWon, never StageName)', () => {
    const r = asReview(mapSalesforce(real('salesforce/01-opportunity-with-lineitems-subquery.json'))[0]);
    expect(r).toMatchObject({ dealId: '0063F00000RdvMKQAZ', amountKobo: 130000 });
    expect(r.reason).toMatch(/IsWon: not selected/);
    const zero = real('salesforce/02-opportunity-zero-amount-lineitem.json');
    zero.records[0].IsWon = true;
    zero.records[0].Id = '006Dn000007gWlNIAU';
    expect(asReview(mapSalesforce(zero)[0]).reason).toMatch(/Quantity: not selected/);
  });

  it('a won opportunity with two products and a Discount percent: default VAT 7.5 % exclusive, total = Amount', () => {
    const inv = asInvoice(mapSalesforce(wonQuery())[0]);
    expect(inv).toMatchObject({
      source: 'salesforce',
      dealId: '0063F00000RdvMKQAZ',
      amountKobo: 234000,
      version: '2022-02-01T10:00:00.000+0000',
    });
    expect(inv.sale.lines).toEqual([
      {
        name: 'MyProduct',
        sku: 'MP-1',
        quantity: '1',
        unit_price: '1300',
        discount: '130.00',
        tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: false },
      },
      { name: 'Installation', quantity: '2', unit_price: '585', tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: false } },
    ]);
    expect(inv.totals).toMatchObject({ taxExclusive: 234000, taxTotal: 17550, taxInclusive: 251550 });
    expect(inv.sale).toMatchObject({
      on_credit: true,
      currency: 'NGN',
      occurred_at: '2022-01-31T23:00:00.000Z',
    });
    expect(inv.sale.customer?.address).toEqual({
      street: '12 Marina',
      city: 'Lagos',
      postal_zone: '101001',
      state: 'NG-LA',
      lga: 'NG-LA-IKJ',
      country: 'NG',
    });
    // Multi-currency orgs send CurrencyIsoCode; a configured VAT replaces the default.
    const usd = wonQuery();
    usd.records[0].CurrencyIsoCode = 'USD';
    expect(asInvoice(mapSalesforce(usd, { defaultVatRate: '0' })[0]).sale).toMatchObject({
      currency: 'USD',
      lines: [{ tax: { category: 'EXEMPTED', rate: '0' } }, {}],
    });
  });

  it('lost and open opportunities are not won; null OpportunityLineItems is "no products"', () => {
    const lost = wonQuery();
    Object.assign(lost.records[0], { IsWon: false, IsClosed: true, StageName: 'Closed Lost' });
    expect(asNotWon(mapSalesforce(lost)[0]).status).toBe('lost');
    const open = wonQuery();
    Object.assign(open.records[0], { IsWon: false, IsClosed: false });
    expect(asNotWon(mapSalesforce(open)[0]).status).toBe('open');
    const none = wonQuery();
    none.records[0].OpportunityLineItems = null; // as Salesforce sends it (see 03-account-contacts-subquery-null-children)
    expect(asReview(mapSalesforce(none)[0]).reason).toMatch(/no products/);
    expect(asInvoice(mapSalesforce(none, { allowNoLineItems: true })[0]).totals.taxExclusive).toBe(234000);
    const part = wonQuery();
    Object.assign(part.records[0].OpportunityLineItems, {
      done: false,
      nextRecordsUrl: '/services/data/v53.0/query/01gB000003KL1aaIAD-2000',
    });
    expect(asReview(mapSalesforce(part)[0]).reason).toMatch(/only part of the line items .*01gB000003KL1aaIAD-2000/);
  });

  it('missing TIN, a TotalPrice that disagrees, and an Amount that differs are reviews with the reason', () => {
    const q = wonQuery();
    delete q.records[0].Account.TIN__c;
    const r = asReview(mapSalesforce(q)[0]);
    expect(r.missing).toEqual(['tin']);
    expect(r.reason).toMatch(/tin \(Account\.TIN__c\) is empty/);
    const t = wonQuery();
    t.records[0].OpportunityLineItems.records[0].TotalPrice = 1100;
    expect(asReview(mapSalesforce(t)[0]).reason).toMatch(/less Discount is 1170\.00 but TotalPrice is 1100\.00/);
    const a = wonQuery();
    a.records[0].Amount = 2340.5;
    expect(asReview(mapSalesforce(a)[0]).reason).toMatch(/difference -0\.50/);
  });

  it('the paid field: an Opportunity checkbox (JSON true) marks the invoice paid; null is not paid', () => {
    const q = wonQuery();
    q.records[0].Account = { ...ACCOUNT, TIN__c: NG_BUYER.tin }; // an earlier test empties the shared account's TIN
    q.records[0].Paid__c = true;
    expect(asInvoice(mapSalesforce(q, { paidField: 'Paid__c' })[0]).paid).toBe(true);
    q.records[0].Paid__c = null;
    expect(asInvoice(mapSalesforce(q, { paidField: 'Paid__c' })[0]).paid).toBe(false);
  });
});
