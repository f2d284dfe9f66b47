import { describe, expect, it } from 'vitest';
import { discountApprovalReason, discountKobo, extendedKobo, parseDiscountEntry, spreadDiscounts } from '../../shared/domain/discount';
import { parseSale } from '../../shared/domain/sale';
import { computeTotals } from '../../shared/domain/totals';
import { draftTotals, toSale, type DraftSale } from '../../renderer/src/lib/sale-draft';

describe('parseDiscountEntry', () => {
  it('reads a percentage or naira off, blank is none', () => {
    expect(parseDiscountEntry('')).toBeNull();
    expect(parseDiscountEntry(' 10% ')).toEqual({ kind: 'percent', percent: '10' });
    expect(parseDiscountEntry('12.5 %')).toEqual({ kind: 'percent', percent: '12.5' });
    expect(parseDiscountEntry('500')).toEqual({ kind: 'amount', kobo: 50000 });
    expect(parseDiscountEntry('₦1,500.50')).toEqual({ kind: 'amount', kobo: 150050 });
  });
  it('refuses what it cannot read, in words', () => {
    expect(() => parseDiscountEntry('0%')).toThrow('Discount 0% must be above 0% and at most 100%');
    expect(() => parseDiscountEntry('101%')).toThrow(/at most 100%/);
    expect(() => parseDiscountEntry('1.234%')).toThrow('Discount "1.234%" is not a percentage like 10% or 12.5%');
    expect(() => parseDiscountEntry('1.500,00')).toThrow(/ambiguous/);
    expect(() => parseDiscountEntry('0')).toThrow(/above ₦0.00/);
    expect(() => parseDiscountEntry('abc')).toThrow(/not an amount/);
  });
});

describe('discountKobo: half-up to the kobo', () => {
  it('rounds a percentage half-up, once', () => {
    // 12.5 % of ₦0.45 = 5.625 kobo → 6; of ₦0.44 = 5.5 → 6 (half-up); of ₦0.43 = 5.375 → 5
    expect(discountKobo({ kind: 'percent', percent: '12.5' }, 45)).toBe(6);
    expect(discountKobo({ kind: 'percent', percent: '12.5' }, 44)).toBe(6);
    expect(discountKobo({ kind: 'percent', percent: '12.5' }, 43)).toBe(5);
    expect(discountKobo({ kind: 'percent', percent: '100' }, 12345)).toBe(12345);
  });
  it('never more than the amount', () => {
    expect(() => discountKobo({ kind: 'amount', kobo: 50001 }, 50000, 'Rice')).toThrow('Discount ₦500.01 is more than Rice ₦500.00');
  });
  it('extended amount is quantity × price half-up', () => {
    expect(extendedKobo('0.005', '1.00')).toBe(1); // half a kobo → up
    expect(extendedKobo('0.004', '1.00')).toBe(0);
    expect(extendedKobo('3', '4500.00')).toBe(1350000);
  });
});

describe('spreadDiscounts', () => {
  it('a sale % is taken once of the total after line discounts and shared out exactly', () => {
    // Three lines of ₦1.00: 10 % of ₦3.00 = 30 kobo, 10 kobo each.
    const even = spreadDiscounts(
      [1, 2, 3].map(() => ({ extended: 100, discount: null })),
      { kind: 'percent', percent: '10' },
    );
    expect(even).toEqual({ lines: [1, 2, 3].map(() => ({ own: 0, share: 10, total: 10 })), sale: 30, total: 30 });
    // ₦1.00 ×3 with 5 %: 15 kobo over three equal lines: 5 each. 1 kobo lines: largest remainder, first wins ties.
    const odd = spreadDiscounts(
      [
        { extended: 1, discount: null },
        { extended: 1, discount: null },
        { extended: 1, discount: null },
      ],
      { kind: 'amount', kobo: 2 },
    );
    expect(odd.lines.map((l) => l.share)).toEqual([1, 1, 0]);
  });
  it('line discounts first, then the sale discount on what is left', () => {
    const s = spreadDiscounts(
      [
        { extended: 1_000_000, discount: { kind: 'percent', percent: '10' }, name: 'Rice' },
        { extended: 333_333, discount: { kind: 'amount', kobo: 33_333 }, name: 'Oil' },
      ],
      { kind: 'percent', percent: '5' },
    );
    // after: 900,000 + 300,000 = 1,200,000; 5 % = 60,000 shared 45,000 / 15,000
    expect(s.lines).toEqual([
      { own: 100_000, share: 45_000, total: 145_000 },
      { own: 33_333, share: 15_000, total: 48_333 },
    ]);
    expect(s).toMatchObject({ sale: 60_000, total: 193_333 });
  });
  it('the shares always add up to the sale discount', () => {
    for (let seed = 1; seed < 200; seed++) {
      const lines = [seed * 7, seed * 13 + 1, seed * 29 + 3].map((extended) => ({ extended, discount: null }));
      const s = spreadDiscounts(lines, { kind: 'percent', percent: '33.33' });
      expect(s.lines.reduce((a, l) => a + l.share, 0)).toBe(s.sale);
      expect(s.sale).toBe(Math.round((lines.reduce((a, l) => a + l.extended, 0) * 33.33) / 100 + 1e-9));
    }
  });
});

const base: DraftSale = {
  id: 'd1',
  method: 'cash',
  tendered: '',
  lines: [
    { name: 'Rice 5kg', quantity: '2', price: '8600', vat: 'STANDARD_VAT' },
    { name: 'Water', quantity: '3', price: '150', vat: 'ZERO_VAT' },
  ],
};

describe('the till draft with discounts', () => {
  it('puts each line discount (own + share of the sale) on the canonical line; totals follow', () => {
    const d: DraftSale = { ...base, lines: [{ ...base.lines[0]!, discount: '10%' }, base.lines[1]!], discount: '500' };
    const sale = toSale(d);
    // Rice: 17,200 − 1,720 = 15,480; water 450; ₦500 spread 15,480:450 = 48,587.57 / 1,412.43 kobo
    // → floors 48,587 / 1,412, the kobo left goes to the larger remainder: 48,588 / 1,412
    expect(sale.lines.map((l) => l.discount)).toEqual(['2205.88', '14.12']);
    const t = computeTotals(sale);
    expect(t.taxInclusive).toBe(1_720_000 + 45_000 - 172_000 - 50_000);
    const dt = draftTotals(d);
    expect(dt.discounts).toMatchObject({ sale: 50_000, total: 222_000 });
    expect(dt.totals?.taxInclusive).toBe(t.taxInclusive);
  });
  it('a discount too big or unreadable is the sale problem, totals of the rest stay', () => {
    expect(draftTotals({ ...base, discount: '20000' }).error).toBe('Discount ₦20,000.00 is more than the sale ₦17,650.00');
    expect(() => toSale({ ...base, lines: [{ ...base.lines[0]!, discount: '5%%' }] })).toThrow(/not a percentage/);
  });
});

describe('discountApprovalReason', () => {
  const VAT = { category: 'STANDARD_VAT', rate: '7.5', inclusive: true } as const;
  const sale = (discount: string) =>
    parseSale({
      source: 'manual',
      external_id: 'x',
      occurred_at: '2026-11-24T09:30:00+01:00',
      currency: 'NGN',
      lines: [
        { name: 'Soap', quantity: '1', unit_price: '1000.00', tax: VAT },
        { name: 'Rice', quantity: '2', unit_price: '500.00', discount, tax: VAT },
      ],
      payments: [{ method: 'cash', amount: '5000.00' }],
    });
  it('names the line above the limit', () => {
    expect(discountApprovalReason(sale('100.00'), 10)).toBeNull(); // exactly 10 %
    expect(discountApprovalReason(sale('100.01'), 10)).toBeNull(); // a kobo of spreading
    expect(discountApprovalReason(sale('100.02'), 10)).toBe(
      'lines[1].discount: ₦100.02 off "Rice" is 10%, above the 10% a cashier may give; it needs the manager PIN',
    );
    expect(discountApprovalReason(sale('300.00'), 10)).toMatch(/is 30%, above the 10%/);
    expect(discountApprovalReason(sale('300.00'), null)).toBeNull();
  });
  it('a sale % at the limit never needs approval, whatever the spreading', () => {
    const d: DraftSale = {
      ...base,
      lines: [
        { name: 'A', quantity: '1', price: '0.05', vat: 'STANDARD_VAT' },
        { name: 'B', quantity: '7', price: '33.33', vat: 'STANDARD_VAT' },
        { name: 'C', quantity: '1', price: '0.15', vat: 'ZERO_VAT' },
      ],
      discount: '10%',
    };
    expect(discountApprovalReason(toSale(d), 10)).toBeNull();
    expect(discountApprovalReason(toSale({ ...d, discount: '11%' }), 10)).toMatch(/above the 10%/);
  });
});
