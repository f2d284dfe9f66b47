// Pipedrive deal bundles that cannot be invoiced as they stand (deals in Pipedrive's v2 field
// shapes, built here): each becomes a review whose reason names the field at fault, or a not-won
// outcome — never an invoice with guessed amounts.
import { describe, expect, it } from 'vitest';
import { mapPipedrive } from '../../../shared/sources/pipedrive/map-pipedrive';
import { asInvoice, asNotWon, asReview, NG_BUYER } from './support';

const organization = () => ({
  success: true,
  data: {
    id: 1,
    name: 'Adebayo Textiles Ltd',
    custom_fields: { tin: NG_BUYER.tin, email: { value: NG_BUYER.email } },
    address: {
      value: '12 Marina, Lagos',
      street_number: '12',
      route: 'Marina',
      subpremise: 'Suite 4',
      locality: 'Lagos',
      admin_area_level_1: 'NG-LA',
      admin_area_level_2: 'NG-LA-IKJ',
      postal_code: '101233',
      country: 'Nigeria',
    },
  },
});
const deal = (over: Record<string, unknown> = {}) => ({
  id: 42,
  title: 'Fabric order',
  value: 1075,
  currency: 'NGN',
  status: 'won',
  won_time: '2026-11-20T09:00:00Z',
  update_time: '2026-11-20T09:00:05Z',
  ...over,
});
const product = (over: Record<string, unknown> = {}) => ({
  id: 7,
  name: 'Ankara 6 yards',
  quantity: 2,
  item_price: 500,
  tax: 7.5,
  tax_method: 'exclusive',
  sum: 1000,
  currency: 'NGN',
  ...over,
});
const bundle = (o: { deal?: Record<string, unknown>; products?: unknown; discounts?: unknown; organization?: unknown } = {}) => ({
  deal: { success: true, data: deal(o.deal) },
  products: 'products' in o ? o.products : { success: true, data: [product()] },
  ...(o.discounts !== undefined ? { discounts: o.discounts } : {}),
  organization: 'organization' in o ? o.organization : organization(),
});
const one = (b: unknown, options?: Parameters<typeof mapPipedrive>[1]) => mapPipedrive(b, options)[0];

describe('mapPipedrive: what a good bundle gives (the baseline the reviews below differ from)', () => {
  it('one line with 7.5 % VAT added, the organization as the B2B buyer with its address', () => {
    const inv = asInvoice(one(bundle()));
    expect(inv.totals.taxInclusive).toBe(107500);
    expect(inv.sale.customer).toMatchObject({
      name: 'Adebayo Textiles Ltd',
      tin: NG_BUYER.tin,
      address: { street: 'Suite 4, 12 Marina', city: 'Lagos', country: 'NG' },
    });
  });
});

describe('mapPipedrive: bundles that are not a deal', () => {
  it('no deal, or a deal without id/status, is a review saying what to give', () => {
    expect(asReview(one({ products: [] })).reason).toMatch(/^deal\.: .*; give \{"deal": GET \/api\/v2\/deals\/\{id\}/);
    const r = asReview(one({ deal: { data: { id: 1 } } }));
    expect(r.dealId).toBe('(no id)');
    expect(r.reason).toMatch(/^deal\.status: /);
    expect(asReview(one(null)).dealId).toBe('(no id)');
  });

  it('deleted, lost and open deals are not won, with the deal value kept', () => {
    expect(asNotWon(one(bundle({ deal: { is_deleted: true } })))).toMatchObject({
      status: 'deleted',
      reason: 'the deal is deleted in Pipedrive',
    });
    expect(asNotWon(one(bundle({ deal: { status: 'deleted' } }))).status).toBe('deleted');
    expect(asNotWon(one(bundle({ deal: { status: 'lost' } })))).toMatchObject({ status: 'lost', amountKobo: 107500 });
    expect(asNotWon(one(bundle({ deal: { status: 'open', value: null } })))).toMatchObject({
      status: 'open',
      reason: 'status is open, not won',
    });
  });
});

describe('mapPipedrive: products that cannot be invoiced', () => {
  it('a product that is not a deal product, or in another currency', () => {
    expect(asReview(one(bundle({ products: [product({ quantity: null })] }))).reason).toMatch(/^products\[0\]\.quantity: /);
    expect(asReview(one(bundle({ products: [product({ currency: 'USD' })] }))).reason).toBe(
      "products[0].currency: USD differs from the deal's NGN",
    );
  });

  it("a sum that is neither the line nor the line with tax names both and Pipedrive's", () => {
    expect(asReview(one(bundle({ products: [product({ sum: 999 })] }))).reason).toBe(
      `products[0] "Ankara 6 yards": quantity 2 × item_price 500 less discount 0.00 is 1000.00 (1075.00 with tax) but Pipedrive's sum is 999.00`,
    );
    // Untaxed: no "with tax" figure.
    expect(asReview(one(bundle({ products: [product({ tax: 0, sum: 999 })] }))).reason).toMatch(
      /is 1000\.00 but Pipedrive's sum is 999\.00$/,
    );
  });

  it('no products: a review unless the business invoices from the value; then the value is needed', () => {
    expect(asReview(one(bundle({ products: { success: true, data: [] } }))).reason).toBe(
      'the deal has no products (invoicing a deal from its value alone is turned off in settings)',
    );
    expect(asReview(one(bundle({ products: undefined, deal: { value: null } }), { allowNoLineItems: true })).reason).toBe(
      'the deal has no products and no value',
    );
    const inv = asInvoice(one(bundle({ products: undefined }), { allowNoLineItems: true, defaultVatRate: '7.5' }));
    expect(inv.sale.lines).toEqual([
      { name: 'Fabric order', quantity: '1', unit_price: '1075', tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true } },
    ]);
    expect(
      asInvoice(one(bundle({ products: undefined, deal: { title: null } }), { allowNoLineItems: true, defaultVatRate: '7.5' })).sale
        .lines[0]!.name,
    ).toBe('Pipedrive deal 42');
  });

  it('disabled products are left out (they are not in the deal value)', () => {
    const inv = asInvoice(
      one(bundle({ products: [product(), product({ id: 8, is_enabled: false }), product({ id: 9, enabled_flag: false })] })),
    );
    expect(inv.sale.lines).toHaveLength(1);
  });

  it('discounts: an amount off the line, the deprecated discount_percentage, and a nameless product', () => {
    const amount = asInvoice(
      one(bundle({ deal: { value: 967.5 }, products: [product({ discount: 100, discount_type: 'amount', sum: 900 })] })),
    );
    expect(amount.sale.lines[0]).toMatchObject({ discount: '100.00' });
    const legacy = asInvoice(
      one(bundle({ deal: { value: 967.5 }, products: [product({ name: null, product_id: 55, discount_percentage: 10, sum: 900 })] })),
    );
    expect(legacy.sale.lines[0]).toMatchObject({ name: 'Product 55', discount: '100.00' });
  });

  it('tax_method none is untaxed; inclusive VAT is carried inclusive', () => {
    expect(asInvoice(one(bundle({ deal: { value: 1000 }, products: [product({ tax_method: 'none' })] }))).sale.lines[0]!.tax).toEqual({
      category: 'EXEMPTED',
      rate: '0',
      inclusive: false,
    });
    expect(
      asInvoice(one(bundle({ deal: { value: 1000 }, products: [product({ tax_method: 'inclusive' })] }))).sale.lines[0]!.tax.inclusive,
    ).toBe(true);
  });
});

describe('mapPipedrive: deal discounts, dates and buyers', () => {
  it('a deal discount that is not one is a review naming it; amounts and percentages are both read', () => {
    expect(asReview(one(bundle({ discounts: [{ amount: 10, type: 'bogus' }] }))).reason).toMatch(/^discounts\[0\]: not a deal discount/);
    const inv = asInvoice(
      one(
        bundle({
          deal: { value: 860 },
          discounts: {
            data: [
              { amount: 100, type: 'amount' },
              { amount: 10, type: 'percentage' },
            ],
          },
        }),
      ),
    );
    expect(inv.totals.taxInclusive).toBe(86000);
  });

  it('a won deal without any time is a review naming won_time; v1 zone-less times are UTC', () => {
    expect(asReview(one(bundle({ deal: { won_time: null, update_time: null } }))).reason).toMatch(/deal\.won_time: missing/);
    const v1 = asInvoice(one(bundle({ deal: { won_time: '2026-11-20 09:00:00', update_time: '2026-11-20 09:00:05' } })));
    expect(v1.sale.occurred_at).toBe('2026-11-20T09:00:00.000Z');
  });

  it('no organization: the buyer is missing, named with every empty field', () => {
    const r = asReview(one(bundle({ organization: undefined })));
    expect(r.reason).toMatch(/^buyer: no buyer: the deal has no organization with a name/);
    expect(r.missing).toContain('name');
  });

  it('an org_id object on a v1 deal stands in for the organization', () => {
    const org = organization().data;
    const inv = asInvoice(
      one(
        bundle({
          organization: undefined,
          deal: {
            org_id: {
              name: org.name,
              tin: NG_BUYER.tin,
              email: NG_BUYER.email,
              address: '12 Marina, Lagos',
              address_street_number: '12',
              address_route: 'Marina',
              address_locality: 'Lagos',
              address_postal_code: '101233',
              address_admin_area_level_1: 'NG-LA',
              address_admin_area_level_2: 'NG-LA-IKJ',
              address_country: 'NG',
            },
          },
        }),
      ),
    );
    expect(inv.sale.customer).toMatchObject({ name: org.name, tin: NG_BUYER.tin, address: { street: '12 Marina', city: 'Lagos' } });
  });

  it('the paid field is read from custom_fields (v2) or the deal itself (v1)', () => {
    const v2 = one(bundle({ deal: { custom_fields: { paid_key: 'Yes' } } }), { paidField: 'paid_key' });
    expect(v2).toMatchObject({ kind: 'invoice', paid: true });
    const v1 = one(bundle({ deal: { paid_key: 'no' } }), { paidField: 'paid_key' });
    expect(v1).toMatchObject({ kind: 'invoice', paid: false });
  });
});
