// NRS v1.1 invoice data (issue 11, part 2) on a real ledger file: invoice_kind, the buyer party
// rules (B2C omits it, B2B/B2G carry it complete or are refused naming what is missing, TIN
// formats), the supplier's state and LGA, item classification (never CC-001), a non-empty
// sellers_item_identification, credit-sale payment status, and the price identity
//   invoiced_quantity × price_amount − discount_amount = line_extension_amount
// checked with exact decimals on every line of every invoice issued here.
import { describe, expect, it } from 'vitest';
import Big from 'big.js';
import { join } from 'node:path';
import { openDatabase } from '../../main/ledger/database';
import { Ledger } from '../../main/ledger/ledger';
import { BusinessSchema, profileGaps } from '../../shared/domain/business';
import { tinProblem, productCode } from '../../shared/domain/buyer';
import { toWireInvoice } from '../../main/firs/wire-invoice';
import type { FirsInvoice } from '../../shared/domain/firs-invoice';
import { BUSINESS, keyPair, sampleSale, simpleSale, tempDir } from '../support/fixture';

function ledger(business: Record<string, unknown> = BUSINESS): Ledger {
  const l = new Ledger(openDatabase(join(tempDir('tpos-v11-'), 'ledger.db')));
  l.configure(business, keyPair().keysFileJson);
  return l;
}

const B2B_BUYER = {
  name: 'Eze Foods Ltd',
  tin: '12345678-0001',
  email: 'ap@ezefoods.ng',
  address: { street: '3 Broad Street', city: 'Lagos Island', postal_zone: '101001', state: 'NG-LA', lga: 'NG-LA-IKJ', country: 'NG' },
};

/** The identity, exactly: whole quantities to the kobo, fractional within half a kobo (see firs-invoice.ts). */
export function expectPriceIdentity(inv: FirsInvoice): void {
  inv.invoice_line.forEach((l, i) => {
    const lhs = new Big(l.invoiced_quantity).times(l.price.price_amount).minus(l.discount_amount);
    const diff = lhs.minus(l.line_extension_amount).abs();
    const whole = Number.isInteger(l.invoiced_quantity);
    expect(
      diff.lte(whole ? 0 : 0.005),
      `${inv.irn} line ${i}: ${l.invoiced_quantity} × ${l.price.price_amount} − ${l.discount_amount} ≠ ${l.line_extension_amount}`,
    ).toBe(true);
    expect(l.discount_amount, `${inv.irn} line ${i}: discount_amount is never negative`).toBeGreaterThanOrEqual(0);
  });
}

const PRICES = ['1075.00', '1000.00', '999.99', '0.01', '333.33', '8600.00', '12.345', '7.5'];
const QUANTITIES = ['1', '2', '3', '7', '13', '0.5', '1.25', '2.375'];

describe('NRS v1.1 invoice data', () => {
  it('the price identity holds on every line of every invoice (inclusive, exclusive, zero-rated, discounts, fractional quantities)', () => {
    const l = ledger();
    let n = 0;
    const issued: FirsInvoice[] = [];
    for (const price of PRICES) {
      for (const qty of QUANTITIES) {
        for (const tax of [
          { category: 'STANDARD_VAT', rate: '7.5', inclusive: true },
          { category: 'STANDARD_VAT', rate: '7.5', inclusive: false },
          { category: 'ZERO_VAT', rate: '0', inclusive: true },
        ]) {
          const lines = [
            { name: 'Rice 5kg', sku: 'RICE5', quantity: qty, unit_price: price, tax },
            { name: 'Soap', quantity: qty, unit_price: price, discount: '0.01', tax },
          ];
          const sale = {
            source: 'manual',
            external_id: `id-${n++}`,
            occurred_at: '2026-11-24T10:00:00+01:00',
            currency: 'NGN',
            lines,
            payments: [],
            on_credit: true,
          };
          issued.push(l.issue(sale).invoice.invoice);
        }
      }
    }
    issued.push(l.issue(sampleSale({ external_id: 'sample' })).invoice.invoice);
    expect(issued.length).toBe(PRICES.length * QUANTITIES.length * 3 + 1);
    for (const inv of issued) expectPriceIdentity(inv);
    // ₦1,075.00 incl. 7.5% is ₦1,000.00 excl. exactly: no carry, no discount.
    const exact = l.issue(simpleSale('exact', '1075.00')).invoice.invoice.invoice_line[0]!;
    expect([exact.price.price_amount, exact.discount_amount, exact.line_extension_amount]).toEqual([1000, 0, 1000]);
    // ₦1,000.00 incl.: 930.2325… excl. → 930.24, the kobo it overstates carried in discount_amount.
    const carry = l.issue(simpleSale('carry', '1000.00')).invoice.invoice.invoice_line[0]!;
    expect([carry.price.price_amount, carry.discount_amount, carry.line_extension_amount, carry.discount_rate]).toEqual([
      930.24, 0.01, 930.23, 0,
    ]);
  });

  it('B2C: invoice_kind B2C, no buyer party (a name goes in the note); every line classified, never CC-001', () => {
    const l = ledger();
    const inv = l.issue(simpleSale('b2c', '1075.00', { customer: { name: 'Walk-in Ade' }, note: 'table 4' })).invoice.invoice;
    expect(inv.invoice_kind).toBe('B2C');
    expect(inv.accounting_customer_party).toBeUndefined();
    expect(inv.note).toBe('table 4 | Buyer: Walk-in Ade');
    expect(inv.payment_status).toBe('PAID');
    const line = inv.invoice_line[0]! as Record<string, unknown>;
    expect(line).toMatchObject({ hsn_code: '3401.11', product_category: 'Soap for toilet use, in bars or cakes' });
    expect(JSON.stringify(inv)).not.toContain('CC-001');
    expect(inv.invoice_line[0]!.item.sellers_item_identification).toBe('SOAP'); // no SKU: a stable product code
    expect(inv.accounting_supplier_party.postal_address).toEqual({
      street_name: '12 Allen Avenue',
      city_name: 'Ikeja',
      postal_zone: '100271',
      lga: 'NG-LA-IKJ',
      state: 'NG-LA',
      country: 'NG',
    });
  });

  it('B2B and B2G carry the complete buyer party; per-line hs_code / isic_code override the default', () => {
    const l = ledger();
    const b2b = l.issue(
      sampleSale({
        external_id: 'b2b',
        customer: B2B_BUYER,
        lines: [
          {
            name: 'Rice 5kg',
            sku: 'RICE5',
            quantity: '2',
            unit_price: '8600.00',
            hs_code: '1006.30',
            tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true },
          },
          {
            name: 'Delivery & setup',
            quantity: '1',
            unit_price: '500.00',
            isic_code: '5320',
            tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true },
          },
        ],
        charges: [],
        payments: [{ method: 'transfer', amount: '17700.00' }],
      }),
    ).invoice;
    expect(b2b.b2b).toBe(true);
    expect(b2b.invoice.invoice_kind).toBe('B2B');
    expect(b2b.invoice.accounting_customer_party).toEqual({
      party_name: 'Eze Foods Ltd',
      tin: '12345678-0001',
      email: 'ap@ezefoods.ng',
      postal_address: {
        street_name: '3 Broad Street',
        city_name: 'Lagos Island',
        postal_zone: '101001',
        lga: 'NG-LA-IKJ',
        state: 'NG-LA',
        country: 'NG',
      },
    });
    const [goods, service] = b2b.invoice.invoice_line as Record<string, unknown>[];
    expect(goods).toMatchObject({ hsn_code: '1006.30', product_category: 'Rice, semi-milled or wholly milled' });
    expect(service).toMatchObject({ isic_code: '5320', service_category: 'Courier activities' });
    expect(service).not.toHaveProperty('hsn_code');
    expectPriceIdentity(b2b.invoice);

    const b2g = l.issue(
      sampleSale({
        external_id: 'b2g',
        customer: { ...B2B_BUYER, name: 'Lagos State Ministry of Works', tin: 'RN-20251001', government: true },
      }),
    ).invoice;
    expect(b2g.invoice.invoice_kind).toBe('B2G');
    expect(b2g.invoice.accounting_customer_party?.tin).toBe('RN-20251001');
  });

  it('a B2B sale missing buyer data or with a malformed TIN is refused naming each missing field, nothing written', () => {
    const l = ledger();
    const before = l.count();
    expect(() => l.issue(sampleSale({ external_id: 'x1', customer: { name: 'Eze Foods Ltd', tin: '12345678-0001' } }))).toThrow(
      /a B2B invoice needs a complete buyer: customer\.email: .*customer\.address: a B2B buyer needs a postal address/,
    );
    expect(() =>
      l.issue(
        sampleSale({ external_id: 'x2', customer: { ...B2B_BUYER, address: { ...B2B_BUYER.address, state: undefined, lga: undefined } } }),
      ),
    ).toThrow(/customer\.address\.state: required for a B2B buyer \(like NG-LA\); customer\.address\.lga: required/);
    expect(() => l.issue(sampleSale({ external_id: 'x3', customer: { ...B2B_BUYER, tin: '1234567890' } }))).toThrow(
      /customer\.tin: "1234567890" is not a TIN in a published format/,
    );
    expect(() =>
      l.issue(sampleSale({ external_id: 'x4', customer: { ...B2B_BUYER, address: { ...B2B_BUYER.address, lga: 'NG-KN-KNM' } } })),
    ).toThrow(/customer\.address\.lga: NG-KN-KNM is not an LGA of NG-LA/);
    expect(l.count()).toBe(before);
    expect(tinProblem('12345678-0001')).toBeUndefined();
    expect(tinProblem('RN-1234567')).toBeUndefined();
    expect(tinProblem('TIN-0099990001')).toMatch(/published format/);
  });

  it('credit sales: PENDING when nothing is paid yet, PARTIAL when part is; never more than the total', () => {
    const l = ledger();
    const pending = l.issue(sampleSale({ external_id: 'c1', on_credit: true, payments: [] })).invoice.invoice;
    expect(pending.payment_status).toBe('PENDING');
    expect(pending.payment_means).toEqual([{ payment_means_code: '30', payment_due_date: '2026-11-24' }]);
    const partial = l.issue(sampleSale({ external_id: 'c2', on_credit: true, payments: [{ method: 'transfer', amount: '5000.00' }] }))
      .invoice.invoice;
    expect(partial.payment_status).toBe('PARTIAL');
    expect(() => l.issue(sampleSale({ external_id: 'c3', payments: [] }))).toThrow(
      /payments: a sale needs at least one payment \(or on_credit: true\)/,
    );
    expect(() => l.issue(sampleSale({ external_id: 'c4', on_credit: true, payments: [{ method: 'cash', amount: '99999.00' }] }))).toThrow(
      /a credit sale paid/,
    );
  });

  it('setup refuses a profile without the v1.1 address or a default classification, naming the field', () => {
    const l = new Ledger(openDatabase(join(tempDir('tpos-v11-'), 'ledger.db')));
    const { state: _s, lga: _l, ...noState } = BUSINESS;
    expect(() => l.configure(noState, keyPair().keysFileJson)).toThrow(/state: is required.*lga: is required/);
    const { default_hs_code: _h, ...noClass } = BUSINESS;
    expect(() => l.configure(noClass, keyPair().keysFileJson)).toThrow(/default_hs_code: a default item classification is required/);
    expect(() => l.configure({ ...BUSINESS, state: 'NG-XX', lga: 'NG-XX-ABC' }, keyPair().keysFileJson)).toThrow(
      /state: "NG-XX" is not in the NRS states list/,
    );
    expect(() => l.configure({ ...BUSINESS, lga: 'NG-LA-ZZZ' }, keyPair().keysFileJson)).toThrow(
      /lga: "NG-LA-ZZZ" is not in the NRS lgas list for NG-LA/,
    );
    expect(() => l.configure({ ...BUSINESS, default_isic_code: '4711' }, keyPair().keysFileJson)).toThrow(
      /choose one default classification/,
    );
    expect(l.getBusiness()).toBeUndefined();
    // Services business: ISIC default.
    const { default_hs_code: _x, ...base } = BUSINESS;
    const svc = l.configure({ ...base, default_isic_code: '9602' }, keyPair().keysFileJson);
    const line = l.issue(simpleSale('svc')).invoice.invoice.invoice_line[0] as Record<string, unknown>;
    expect(svc.default_isic_code).toBe('9602');
    expect(line).toMatchObject({ isic_code: '9602', service_category: 'Hairdressing and other beauty treatment' });
  });

  it('a profile stored before v1.1 still loads, lists its gaps, and is completed at send time (stored JSON untouched)', () => {
    const { street: _a, city: _b, postal_zone: _c, state: _d, lga: _e, default_hs_code: _f, ...old } = BUSINESS;
    const stored = BusinessSchema.parse(old);
    expect(profileGaps(stored)).toEqual(['street', 'city', 'postal_zone', 'state', 'lga', 'default_hs_code or default_isic_code']);
    const legacyInvoice = {
      irn: 'T01000001-94ND90NR-20261124',
      accounting_supplier_party: { party_name: 'Ade Stores', tin: '12345678-0001', email: 'shop@ade.ng' },
      invoice_line: [
        {
          hsn_code: 'CC-001',
          product_category: 'General goods',
          item: { name: 'Soap', description: 'Soap', sellers_item_identification: '' },
        },
      ],
    };
    const wire = toWireInvoice(legacyInvoice, BusinessSchema.parse(BUSINESS)) as FirsInvoice;
    expect(wire.invoice_kind).toBe('B2C');
    expect(wire.accounting_supplier_party.postal_address).toMatchObject({ state: 'NG-LA', lga: 'NG-LA-IKJ' });
    expect(wire.invoice_line[0]).toMatchObject({ hsn_code: '3401.11', item: { sellers_item_identification: 'SOAP' } });
    expect(legacyInvoice.invoice_line[0]!.hsn_code).toBe('CC-001'); // the stored copy is not changed
    expect(productCode('Ọ̀gẹ̀dẹ̀ 1kg')).toBe('OGEDE-1KG');
    expect(productCode('日本酒')).toMatch(/^P-[0-9A-F]{8}$/);
  });
});

describe('B2B clearance on the receipt', () => {
  it('a B2B/B2G receipt says "Awaiting clearance" until signed, then "Cleared by FIRS/NRS"; B2C receipts say neither', async () => {
    const { buildReceipt } = await import('../../shared/receipt/receipt');
    const { layoutReceipt, layoutToText, AWAITING_CLEARANCE_TEXT, CLEARED_TEXT, PENDING_REPORT_TEXT } =
      await import('../../shared/receipt/layout');
    const l = ledger();
    const business = l.getBusiness()!;
    const text = (inv: Parameters<typeof buildReceipt>[0], copy = false) =>
      layoutToText(layoutReceipt(buildReceipt(inv, business, { copy }), { width: 80, nairaSymbol: true }));
    const b2b = l.issue(sampleSale({ external_id: 'rc-b2b', customer: B2B_BUYER })).invoice;
    const large = (t: string) =>
      [...t]
        .map((c) => `${c} `)
        .join('')
        .trimEnd(); // printed double width
    expect(text(b2b, true)).toContain(large(AWAITING_CLEARANCE_TEXT)); // the buyer's copy, offline
    expect(text(b2b)).not.toContain(PENDING_REPORT_TEXT);
    const cleared = text({ ...b2b, status: 'reported' });
    expect(cleared).toContain(CLEARED_TEXT);
    expect(cleared).not.toContain(large(AWAITING_CLEARANCE_TEXT));
    expect(cleared).toContain('NG-LA'); // the buyer's address with its state
    const b2c = text(l.issue(simpleSale('rc-b2c')).invoice);
    expect(b2c).toContain(PENDING_REPORT_TEXT);
    expect(b2c).not.toMatch(/clearance|Cleared/);
  });
});
