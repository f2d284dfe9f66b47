import { describe, expect, it } from 'vitest';
import Big from 'big.js';
import { formatKobo, formatNaira, koboToMajorNumber, MoneyError, parseDecimal, parseKobo, roundKobo } from '../../shared/domain/money';

describe('parseKobo: exact decimal strings to integer kobo', () => {
  it.each([
    ['0', 0],
    ['0.01', 1],
    ['1', 100],
    ['17500.00', 1_750_000],
    ['8600.5', 860_050],
    ['0.1', 10],
    ['0.2', 20],
    ['1234567890123.45', 123_456_789_012_345],
    ['-12.34', -1234],
  ])('%s → %i kobo', (text, kobo) => {
    expect(parseKobo(text)).toBe(kobo);
  });

  it('is exact where binary floats are not (0.1 + 0.2, 1.005, 4.35 × 100)', () => {
    expect(parseKobo('0.1') + parseKobo('0.2')).toBe(parseKobo('0.3'));
    expect(parseKobo('4.35')).toBe(435); // 4.35 * 100 === 434.99999999999994 in floats
    expect(parseKobo('1.10')).toBe(110);
  });

  it.each(['1.005', '0.001', '12.345'])('refuses %s: more than two decimals is never silently rounded', (text) => {
    expect(() => parseKobo(text, 'payments[0].amount')).toThrow(/payments\[0\]\.amount: .* more than 2 decimal places/);
  });

  it.each(['', ' 1', '1,000.00', '1e3', '0x10', 'NaN', 'Infinity', '.5', '5.', '+5', '₦100', '1 000'])(
    'refuses %j with a message naming the field',
    (text) => {
      expect(() => parseKobo(text, 'tip')).toThrow(MoneyError);
      expect(() => parseKobo(text, 'tip')).toThrow(/^tip: /);
    },
  );

  it('refuses non-strings (a JSON number reaching here is a bug upstream)', () => {
    expect(() => parseDecimal(12 as unknown as string, 'x')).toThrow(/x: "12" is not a decimal/);
  });

  it('refuses amounts beyond 15 integer digits rather than losing precision', () => {
    expect(() => parseKobo('1234567890123456.00')).toThrow(MoneyError);
  });
});

describe('roundKobo: half-up to the kobo', () => {
  it.each([
    ['0.5', 1],
    ['1.4999', 1],
    ['1.5', 2],
    ['2.5', 3],
    ['-0.4', 0],
    ['1234.5000001', 1235],
  ])('%s → %i', (value, kobo) => {
    expect(roundKobo(new Big(value))).toBe(kobo);
  });
});

describe('formatting', () => {
  it.each([
    [0, '0.00'],
    [1, '0.01'],
    [10, '0.10'],
    [100, '1.00'],
    [1_750_000, '17500.00'],
    [-1234, '-12.34'],
    [-5, '-0.05'],
  ])('formatKobo(%i) = %s, and parses back', (kobo, text) => {
    expect(formatKobo(kobo)).toBe(text);
    expect(parseKobo(text)).toBe(kobo);
  });

  it('formatNaira groups thousands with ₦ (en-NG)', () => {
    expect(formatNaira(1_750_000)).toBe('₦17,500.00');
    expect(formatNaira(123_456_789)).toBe('₦1,234,567.89');
    expect(formatNaira(-50)).toBe('-₦0.50');
    expect(formatNaira(0)).toBe('₦0.00');
  });

  it('koboToMajorNumber gives the exact 2-decimal number the FIRS JSON wants', () => {
    expect(koboToMajorNumber(1_627_907)).toBe(16279.07);
    expect(koboToMajorNumber(435)).toBe(4.35);
    expect(koboToMajorNumber(-1)).toBe(-0.01);
  });
});
