// The mappers' shared arithmetic: exact money from JSON numbers, unit prices, times, tax categories, buyers.
import { describe, expect, it } from 'vitest';
import Big from 'big.js';
import { buyerFrom, isoTime, kobo, MapError, numberToBig, parseOptions, taxFor, unitPriceFor } from '../../../shared/capture/common';
import { methodByName } from '../../../shared/capture/outcome';

const options = parseOptions({});

describe('exact money from vendor numbers and strings', () => {
  it('JSON numbers are read from their shortest text, never multiplied as floats', () => {
    expect(0.29 * 100).not.toBe(29); // why: the float product is 28.999999999999996
    expect(kobo(0.29, 'x')).toBe(29);
    expect(kobo(JSON.parse('12171.88'), 'x')).toBe(1217188);
    expect(kobo(JSON.parse('4171.880'), 'x')).toBe(417188);
    expect(kobo(-930.2, 'x')).toBe(-93020);
    expect(numberToBig(1e-7, 'x').toFixed()).toBe('0.0000001');
    expect(kobo('0930.50', 'x')).toBe(93050);
  });
  it('fractions of a kobo, huge, non-finite and non-decimal values are refused with the field named', () => {
    expect(() => kobo(1.005, 'checks[0].amount')).toThrow(/checks\[0\]\.amount: 1\.005 has more than 2 decimal places/);
    expect(() => kobo(1e21, 'total')).toThrow(/total: .* too large/);
    expect(() => kobo(Number.NaN, 'total')).toThrow(MapError);
    expect(() => kobo('1,000.00', 'amount')).toThrow(/amount: "1,000.00" is not a decimal/);
    expect(() => kobo('1e3', 'amount')).toThrow(MapError);
  });
  it("unit prices reproduce the vendor's extended amount exactly, or the sale is a review", () => {
    expect(unitPriceFor(500000, new Big(2), 'l')).toBe('2500');
    expect(unitPriceFor(1000, new Big(3), 'l')).toBe('3.333333'); // 3 × 3.333333 = 9.999999 → ₦10.00
    expect(unitPriceFor(187500, new Big('1.5'), 'l')).toBe('1250');
    expect(unitPriceFor(12345, new Big(1), 'l')).toBe('123.45');
    expect(() => unitPriceFor(1, new Big(1000000), 'line')).toThrow(/line: no unit price reproduces 0\.01 for quantity 1000000/);
    expect(() => unitPriceFor(100, new Big(0), 'line')).toThrow(/greater than 0/);
  });
});

describe('times, taxes, buyers, payment names', () => {
  it('vendor timestamps become ISO instants; no offset means the configured one', () => {
    expect(isoTime('2026-11-23T19:41:55.000+0000', options, 't')).toBe('2026-11-23T19:41:55.000Z');
    expect(isoTime('2026-11-23T10:25:40+00:00', options, 't')).toBe('2026-11-23T10:25:40.000Z');
    expect(isoTime('2026-11-23T10:25:40', options, 't')).toBe('2026-11-23T09:25:40.000Z'); // +01:00 Lagos
    expect(() => isoTime('yesterday', options, 'sale.sale_date')).toThrow(/sale\.sale_date: "yesterday" is not an ISO date-time/);
  });
  it('rates map to STANDARD (configured), REDUCED (other) or the untaxed category', () => {
    expect(taxFor(new Big('7.5'), true, options, 't')).toEqual({ category: 'STANDARD_VAT', rate: '7.5', inclusive: true });
    expect(taxFor(new Big('5'), false, options, 't')).toEqual({ category: 'REDUCED_VAT', rate: '5', inclusive: false });
    expect(taxFor(new Big('0'), false, parseOptions({ untaxedCategory: 'ZERO_VAT' }), 't').category).toBe('ZERO_VAT');
    expect(taxFor(new Big('10'), false, parseOptions({ standardRates: ['7.5', '10'] }), 't').category).toBe('STANDARD_VAT');
    expect(() => taxFor(new Big('7.12345'), false, options, 'line')).toThrow(/line: tax rate 7\.12345% cannot be represented/);
  });
  it('a buyer is B2B only with a TIN in the configured field', () => {
    expect(buyerFrom({ tin: '12345678-0001' }, 'tin', 'Eze Foods', { email: 'not-an-email' }, 'c')).toEqual({
      name: 'Eze Foods',
      tin: '12345678-0001',
    });
    expect(buyerFrom({ tin: '' }, 'tin', 'Eze Foods', {}, 'c')).toBeNull();
    expect(buyerFrom({ tin: '12345678-0001' }, undefined, 'Eze Foods', {}, 'c')).toBeNull();
    expect(() => buyerFrom({ tin: '12345678-0001' }, 'tin', '', {}, 'c')).toThrow(/has no name/);
  });
  it('payment names → methods, configurable', () => {
    expect(['Cash', 'Credit Card', 'Bank transfer', 'Cheque', 'Paystack'].map((n) => methodByName(n, options))).toEqual([
      'cash',
      'card',
      'transfer',
      'cheque',
      'online',
    ]);
    expect(methodByName('Paystack', parseOptions({ paymentMethods: { PAYSTACK: 'card' } }))).toBe('card');
  });
});
