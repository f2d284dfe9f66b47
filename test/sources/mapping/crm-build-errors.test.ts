// The CRM-independent half of turning a won deal into an invoice (shared/capture/crm/build.ts):
// bad options, rates, buyers, dates and amounts are named exactly; a deal with both buyer and
// amount problems gets one review listing all of them; nothing is adjusted to fit.
import Big from 'big.js';
import { describe, expect, it } from 'vitest';
import {
  allocate,
  amountOnlyLine,
  amountOrUndefined,
  baseOptions,
  buyerParty,
  checkedDealInvoice,
  closeTime,
  dealInvoice,
  MapError,
  mapDeal,
  MissingBuyerData,
  paidFlag,
  readBuyer,
  taxOf,
  text,
  unwrapList,
  unwrapOne,
  withPaid,
  type LineInput,
} from '../../../shared/capture/crm/build';
import { InvalidInput } from '../../../shared/domain/sale';

const options = baseOptions({});
const vat = taxOf(new Big('7.5'), false, options, 'x');
const line = (over: Partial<LineInput> = {}): LineInput => ({
  name: 'Consulting',
  quantity: new Big(1),
  unitPrice: new Big(1000),
  discount: 0,
  tax: vat,
  ...over,
});
const buyer = { party: { name: 'Ada Ltd', tin: '12345678-0001' }, kind: 'B2B' as const };
const deal = (over: Partial<Parameters<typeof dealInvoice>[0]> = {}) => ({
  source: 'hubspot' as const,
  dealId: 'D-1',
  occurredAt: '2026-11-23T10:00:00.000Z',
  currency: 'NGN',
  lines: [line()],
  buyer,
  dealAmount: 100000,
  dealAmountIs: 'net' as const,
  options,
  ...over,
});
const thrown = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
};

describe("CRM options are configuration: a bad one is the caller's error", () => {
  it('names every bad option', () => {
    const e = thrown(() => baseOptions({ currency: 'naira', defaultCountry: 'Nigeria' } as never));
    expect(e).toBeInstanceOf(InvalidInput);
    expect(e.message).toMatch(/^crm options: currency: must be an ISO 4217 code like NGN; defaultCountry: /);
    expect(() => baseOptions({ nonsense: 1 } as never)).toThrow(/crm options: : Unrecognized key/);
  });
});

describe('tax rates', () => {
  it('untaxed lines carry the configured category; negative and uncarriable rates are errors', () => {
    expect(taxOf(undefined, false, options, 'l')).toEqual({ category: 'EXEMPTED', rate: '0', inclusive: false });
    expect(taxOf(new Big(0), true, baseOptions({ untaxedCategory: 'ZERO_VAT' }), 'l').category).toBe('ZERO_VAT');
    expect(() => taxOf(new Big(-5), false, options, 'lines[0]')).toThrow(new MapError('lines[0]: negative tax rate -5'));
    expect(() => taxOf(new Big('7.12345'), false, options, 'lines[0]')).toThrow(
      /lines\[0\]: tax rate 7\.12345% cannot be carried \(at most 4 decimals, below 100\)/,
    );
    expect(() => taxOf(new Big(100), false, options, 'lines[0]')).toThrow(/tax rate 100% cannot be carried/);
    expect(taxOf(new Big(5), false, options, 'l')).toEqual({ category: 'REDUCED_VAT', rate: '5', inclusive: false });
  });
});

describe('values read from CRM records', () => {
  it('text() keeps non-empty text and finite numbers only', () => {
    expect([text('  a '), text('   '), text(12), text(Number.NaN), text(null), text({})]).toEqual([
      'a',
      undefined,
      '12',
      undefined,
      undefined,
      undefined,
    ]);
  });
  it('an unreadable deal amount is undefined (the review still shows the rest)', () => {
    expect(amountOrUndefined(null, 'amount')).toBeUndefined();
    expect(amountOrUndefined('12,000', 'amount')).toBeUndefined();
    expect(amountOrUndefined(' 1200.50 ', 'amount')).toBe(120050);
  });
  it('a government flag is a checkbox or yes/true/1 text', () => {
    const fields = {
      tin: 't',
      email: 'e',
      street: 's',
      city: 'c',
      postalZone: 'p',
      state: 'st',
      lga: 'l',
      country: 'co',
      government: 'gov',
    };
    expect(readBuyer({ gov: ' YES ' }, fields).government).toBe(true);
    expect(readBuyer({ gov: true }, fields).government).toBe(true);
    expect(readBuyer({ gov: 'no' }, fields).government).toBe(false);
    expect(readBuyer({ gov: true }, { ...fields, government: undefined }).government).toBe(false);
  });
  it("unwraps the CRMs' envelopes and nothing else", () => {
    expect(unwrapList(undefined)).toBeUndefined();
    expect(unwrapList([1])).toEqual([1]);
    expect(unwrapList({ data: [1] })).toEqual([1]);
    expect(unwrapList({ results: [2] })).toEqual([2]);
    expect(unwrapList({ records: [3] })).toEqual([3]);
    expect(unwrapList({ data: 'x' })).toBeUndefined();
    expect(unwrapList('x')).toBeUndefined();
    expect(unwrapOne({ success: true, data: { id: 5 } })).toEqual({ id: 5 });
    expect(unwrapOne({ id: 6, data: { id: 5 } })).toEqual({ id: 6, data: { id: 5 } });
    expect(unwrapOne([{ id: 1 }])).toBeUndefined();
    expect(unwrapOne(null)).toBeUndefined();
  });
});

describe('the buyer', () => {
  const fields = { tin: 'tin_field', email: 'email_field' };
  const full = {
    name: 'Ada Ltd',
    tin: '12345678-0001',
    email: 'a@ada.ng',
    street: '1 Marina',
    city: 'Lagos',
    postalZone: '101001',
    state: 'Lagos',
    lga: 'Lagos Island',
  };

  it('every missing or malformed field is named at once, with where it is read from', () => {
    const e = thrown(() =>
      buyerParty({ tin: 'TIN?', email: 'not-mail', country: 'Atlantis' }, fields, options, 'company'),
    ) as MissingBuyerData;
    expect(e).toBeInstanceOf(MissingBuyerData);
    expect(e.missing).toEqual(['name', 'street', 'city', 'postalZone', 'state', 'lga', 'tin', 'email', 'country']);
    expect(e.message).toBe(
      'buyer: no buyer: the deal has no company with a name; street is empty; city is empty; postalZone is empty; state is empty; lga is empty; ' +
        'tin (company.tin_field) "TIN?" is not a TIN like 12345678-0001; email (company.email_field) "not-mail" is not an email address; ' +
        'country "Atlantis" is not a country we can code (give the ISO code, e.g. NG)',
    );
  });

  it('a complete buyer: country by name or ISO code, B2G when flagged', () => {
    expect(buyerParty({ ...full, country: 'ghana' }, fields, options, 'company')).toEqual({
      party: {
        name: 'Ada Ltd',
        tin: '12345678-0001',
        email: 'a@ada.ng',
        address: { street: '1 Marina', city: 'Lagos', postal_zone: '101001', state: 'Lagos', lga: 'Lagos Island', country: 'GH' },
      },
      kind: 'B2B',
    });
    expect(buyerParty({ ...full, country: 'ke', government: true }, fields, options, 'company')).toMatchObject({
      party: { address: { country: 'KE' } },
      kind: 'B2G',
    });
  });

  it('with nothing required, a name alone is a buyer (no address without street and city)', () => {
    const lax = baseOptions({ requireBuyer: [] });
    expect(buyerParty({ name: '  Ada  ', street: '1 Marina' }, {}, lax, 'company')).toEqual({ party: { name: 'Ada' }, kind: 'B2B' });
  });
});

describe('close times', () => {
  it('reads epoch ms, dates, zone-less and zoned date-times; never post-dates', () => {
    expect(closeTime(1795000000000, options, 'closedate')).toBe(new Date(1795000000000).toISOString());
    expect(closeTime('2026-11-23', options, 'CloseDate')).toBe('2026-11-22T23:00:00.000Z');
    expect(closeTime('2026-11-23 10:00:00', options, 'won_time', true)).toBe('2026-11-23T10:00:00.000Z');
    expect(closeTime('2026-11-23T10:00:00+0100', options, 'x')).toBe('2026-11-23T09:00:00.000Z');
    const now = Date.parse('2026-11-23T12:00:00Z');
    expect(closeTime('2027-01-01', baseOptions({ now }), 'CloseDate')).toBe('2026-11-23T12:00:00.000Z');
  });
  it('anything else is a review naming the field and the value', () => {
    expect(() => closeTime('next Tuesday', options, 'properties.closedate')).toThrow(
      new MapError('properties.closedate: "next Tuesday" is not a date or date-time'),
    );
    expect(() => closeTime('2026-13-45', options, 'CloseDate')).toThrow(/CloseDate: "2026-13-45" is not a date or date-time/);
    expect(() => closeTime(undefined, options, 'CloseDate')).toThrow(/CloseDate: "" is not a date/);
  });
});

describe('the deal invoice', () => {
  it('a deal without lines, or a discount larger than the lines', () => {
    expect(() => dealInvoice(deal({ lines: [] }))).toThrow(new MapError('deal has no line items'));
    expect(() => dealInvoice(deal({ dealDiscount: 100001 }))).toThrow(
      new MapError("deal discount 1000.01 is more than the products' total 1000.00"),
    );
  });

  it('lines the invoice cannot carry: negative price or discount, too many decimals', () => {
    expect(() => dealInvoice(deal({ lines: [line({ unitPrice: new Big(-1) })] }))).toThrow(
      /lines\[0\] "Consulting": negative unit price -1/,
    );
    expect(() => dealInvoice(deal({ lines: [line({ unitPrice: new Big('1.0000001') })] }))).toThrow(
      /lines\[0\] "Consulting": unit price 1\.0000001 has more than 6 decimals/,
    );
    expect(() => dealInvoice(deal({ lines: [line({ discount: -5 })] }))).toThrow(/lines\[0\] "Consulting": negative discount -0\.05/);
    expect(() => dealInvoice(deal({ lines: [line({ discount: 200000 })] }))).toThrow(/^mapped invoice is not valid: /);
  });

  it('no deal amount to check against, or a different one: a review stating the difference', () => {
    expect(() => dealInvoice(deal({ dealAmount: undefined }))).toThrow(new MapError('the deal has no amount to check the invoice against'));
    expect(() => dealInvoice(deal({ dealAmount: 107500 }))).toThrow(
      /the invoice would total 1000\.00 before VAT \(VAT 75\.00, payable 1075\.00\) but the deal amount is 1075\.00: difference -75\.00 NGN/,
    );
    expect(() => dealInvoice(deal({ dealAmount: 100000, dealAmountIs: 'gross' }))).toThrow(/would total 1075\.00 incl\. VAT/);
  });

  it('a deal discount is spread over the lines to the kobo; a B2G buyer is flagged; the note is kept', () => {
    const inv = dealInvoice(
      deal({
        lines: [line(), line({ name: '', unitPrice: new Big(500), sku: 'S-1' })],
        dealDiscount: 100,
        dealAmount: 149900,
        buyer: { party: { name: 'Lagos State' }, kind: 'B2G' },
        note: 'PO 77',
        version: '3',
        title: 'Big deal',
      }),
    );
    expect(inv.sale.lines.map((l) => [l.name, l.discount ?? null, l.sku ?? null])).toEqual([
      ['Consulting', '0.67', null],
      ['Item', '0.33', 'S-1'],
    ]);
    expect(inv.sale.customer).toMatchObject({ name: 'Lagos State', government: true });
    expect(inv).toMatchObject({ version: '3', title: 'Big deal', amountKobo: 149900 });
    expect(inv.sale.note).toBe('PO 77');
  });

  it('allocate: largest remainder, exact, nothing for nothing', () => {
    expect(allocate(0, [1, 2])).toEqual([0, 0]);
    expect(allocate(5, [0, 0])).toEqual([0, 0]);
    expect(allocate(10, [1, 1, 1])).toEqual([4, 3, 3]);
  });

  it('an amount-only line: gross amounts carry VAT inclusive, untaxed stays exclusive', () => {
    expect(amountOnlyLine('Deal', 107500, vat, 'gross').tax.inclusive).toBe(true);
    expect(amountOnlyLine('Deal', 100000, taxOf(undefined, false, options, 'x'), 'gross').tax.inclusive).toBe(false);
    expect(amountOnlyLine('Deal', 100000, vat, 'net').unitPrice.toString()).toBe('1000');
  });
});

describe('one review naming everything wrong with a deal', () => {
  it('buyer problems and the amount mismatch together, with the missing fields listed', () => {
    const e = thrown(() =>
      checkedDealInvoice(deal({ dealAmount: 1 }), () => {
        throw new MissingBuyerData('buyer: tin is empty', ['tin']);
      }),
    ) as MissingBuyerData;
    expect(e.missing).toEqual(['tin']);
    expect(e.message).toMatch(/^buyer: tin is empty; the invoice would total 1000\.00 before VAT/);
  });
  it('only the amount wrong: no missing fields; a buyer callback failing otherwise is not swallowed', () => {
    const e = thrown(() => checkedDealInvoice(deal({ dealAmount: 1 }), () => buyer)) as MissingBuyerData;
    expect(e.missing).toEqual([]);
    expect(() =>
      checkedDealInvoice(deal(), () => {
        throw new TypeError('bug');
      }),
    ).toThrow(TypeError);
  });
  it("mapDeal turns mapping errors into a review with the deal's known facts, and lets bugs through", () => {
    const review = mapDeal({ source: 'pipedrive', dealId: '9', title: undefined, amountKobo: 500 }, { raw: true }, () => {
      throw new MissingBuyerData('buyer: email is empty', ['email']);
    });
    expect(review).toEqual({
      kind: 'review',
      source: 'pipedrive',
      dealId: '9',
      amountKobo: 500,
      reason: 'buyer: email is empty',
      missing: ['email'],
      payload: { raw: true },
    });
    expect(
      mapDeal({ source: 'pipedrive', dealId: '9' }, {}, () => {
        throw new MapError('x');
      }),
    ).toMatchObject({ kind: 'review', missing: [] });
    expect(() =>
      mapDeal({ source: 'pipedrive', dealId: '9' }, {}, () => {
        throw new RangeError('bug');
      }),
    ).toThrow(RangeError);
  });
});

describe('paid flags', () => {
  it('undefined without a paid field; matched case-insensitively; objects compared as JSON', () => {
    expect(paidFlag('true', options)).toBeUndefined();
    const o = baseOptions({ paidField: 'paid_cb', paidValues: ['Paid', '{"id":3}'] });
    expect(paidFlag(null, o)).toBe(false);
    expect(paidFlag(' paid ', o)).toBe(true);
    expect(paidFlag({ id: 3 }, o)).toBe(true);
    expect(paidFlag('unpaid', o)).toBe(false);
    const inv = dealInvoice(deal());
    expect(withPaid(inv, true)).toMatchObject({ kind: 'invoice', paid: true });
    expect(withPaid(inv, undefined)).toBe(inv);
  });
});
