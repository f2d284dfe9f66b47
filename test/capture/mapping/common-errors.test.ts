// The POS mappers' shared helpers (shared/capture/common.ts) on input they must refuse: each error
// is a MapError (the sale goes to review) naming the field and the value, while a bug (any other
// error) is never turned into a review.
import Big from 'big.js';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import {
  buyerFrom,
  checkedSale,
  idField,
  lineTaxes,
  mapEach,
  MapError,
  parseOptions,
  quantityText,
  taxFor,
  validate,
} from '../../../shared/capture/common';
import { InvalidInput } from '../../../shared/domain/sale';

const options = parseOptions({});

describe('validate names where the payload is wrong', () => {
  it('a nested field by its dotted/indexed path; the payload itself by its name alone', () => {
    const schema = z.object({ lines: z.array(z.object({ qty: z.number() })) });
    expect(() => validate(schema, { lines: [{ qty: 1 }, { qty: '2' }] }, 'order')).toThrow(
      new MapError('order.lines[1].qty: Invalid input: expected number, received string'),
    );
    expect(() => validate(schema, 'text', 'order')).toThrow(/^order: Invalid input: expected object, received string$/);
  });
});

describe('numbers the invoice cannot carry', () => {
  it('negative or uncarriable tax rates', () => {
    expect(() => taxFor(new Big(-1), false, options, 'lines[0]')).toThrow(new MapError('lines[0]: negative tax rate -1'));
    expect(() => taxFor(new Big('7.55555'), false, options, 'lines[0]')).toThrow(
      new MapError('lines[0]: tax rate 7.55555% cannot be represented (at most 4 decimals, below 100)'),
    );
  });
  it('quantities of zero, below zero or with more than 6 decimals', () => {
    expect(() => quantityText(new Big(0), 'lines[0].quantity')).toThrow(
      new MapError('lines[0].quantity: quantity 0 must be greater than 0'),
    );
    expect(() => quantityText(new Big('-2'), 'q')).toThrow(/quantity -2 must be greater than 0/);
    expect(() => quantityText(new Big('1.0000001'), 'q')).toThrow(new MapError('q: quantity 1.0000001 has more than 6 decimals'));
    expect(quantityText(new Big('1.500'), 'q')).toBe('1.5');
  });
});

describe('buyers', () => {
  it('a numeric TIN is read as text; a TIN without a name, or that is not a TIN, is a review', () => {
    expect(buyerFrom({ tin: 1234567890 }, 'tin', 'Ada Ltd', {}, 'customer')).toEqual({ name: 'Ada Ltd', tin: '1234567890' });
    expect(() => buyerFrom({ tin: '12345678-0001' }, 'tin', '  ', {}, 'customer')).toThrow(
      new MapError('customer: customer with TIN 12345678-0001 has no name'),
    );
    expect(() => buyerFrom({ tin: 'TIN 1' }, 'tin', 'Ada', {}, 'customer')).toThrow(/customer\.tin: "TIN 1" is not a TIN/);
    expect(buyerFrom({ tin: true }, 'tin', 'Ada', {}, 'customer')).toBeNull();
  });
  it('contact details are kept only when well formed', () => {
    expect(buyerFrom({ t: '12345678-0001' }, 't', 'Ada', { email: 'not-mail', phone: '0803' }, 'c')).toEqual({
      name: 'Ada',
      tin: '12345678-0001',
    });
    expect(buyerFrom({ t: '12345678-0001' }, 't', 'Ada', { email: 'a@ada.ng', phone: '+2348031234567' }, 'c')).toEqual({
      name: 'Ada',
      tin: '12345678-0001',
      email: 'a@ada.ng',
      phone: '+2348031234567',
    });
  });
});

describe('tax mappings that contradict the POS', () => {
  it('a mapped rate other than the one charged is a review saying to correct the mapping', () => {
    const o = parseOptions({ taxMap: { 'tax-1': { category: 'STANDARD_VAT', rate: '7.5' } } });
    expect(() => lineTaxes([{ ids: ['tax-1'], name: 'VAT', ratePercent: new Big(5) }], false, o, 'lines[0]')).toThrow(
      /^lines\[0\]: tax "VAT" \(id tax-1\) at 5% is mapped as STANDARD_VAT 7\.5% but the POS charged 5%; correct the tax mapping$/,
    );
  });
  it("a non-VAT tax without a mapped name is named after the vendor's, else its id", () => {
    const o = parseOptions({ taxMap: { levy: { category: 'STAMP_DUTY', rate: '1' } } });
    expect(lineTaxes([{ ids: ['levy'], name: ' Levy ', ratePercent: new Big(1) }], false, o, 'l').other_taxes).toEqual([
      { category: 'STAMP_DUTY', name: 'Levy', rate: '1' },
    ]);
    expect(lineTaxes([{ ids: ['levy'], ratePercent: undefined }], false, o, 'l').other_taxes![0]!.name).toBe('levy');
  });
  it('a legacy taxRates entry of 0 is untaxed', () => {
    const o = parseOptions({ taxRates: { none: '0' } });
    expect(lineTaxes([{ ids: ['none'], name: 'No tax', ratePercent: undefined }], false, o, 'l').tax).toMatchObject({ rate: '0' });
  });
});

describe('checkedSale and mapEach', () => {
  it('a mapped sale the domain refuses is a review naming why', () => {
    const bad = {
      source: 'square',
      external_id: 'x',
      occurred_at: 'yesterday',
      currency: 'NGN',
      lines: [],
      payments: [],
      customer: null,
      refund_of: null,
    };
    expect(() => checkedSale(bad as never, 0, 'order x')).toThrow(/^order x: mapped sale is not valid: /);
  });
  it("a MapError on one item is that item's review (with its id, if any); a bug is not swallowed", () => {
    const out = mapEach('square', [{ id: 7 }, { other: true }], idField('id'), () => {
      throw new MapError('nope');
    });
    expect(out.map((o) => [o.kind, o.vendorId])).toEqual([
      ['review', '7'],
      ['review', '(no id)'],
    ]);
    expect(() =>
      mapEach('square', [{ id: 1 }], idField('id'), () => {
        throw new TypeError('bug');
      }),
    ).toThrow(TypeError);
    expect(idField('id')({ id: { nested: 1 } })).toBeUndefined();
  });
  it("bad options are the caller's error (InvalidInput), not a review", () => {
    expect(() => parseOptions({ currency: 'naira' } as never)).toThrow(InvalidInput);
    expect(() => parseOptions({ currency: 'naira' } as never)).toThrow(/^capture options: currency: /);
  });
});
