// The shift cash-up sums (shared/shifts/cash-up.ts): expected per method, over/short, in kobo.
import { describe, expect, it } from 'vitest';
import { methodLines, overShortWords, totalOverShort, type ShiftTakings } from '../../shared/shifts/cash-up';

const none: ShiftTakings = { sales: {}, refunds: {}, change: 0, sales_count: 0, refunds_count: 0, sales_kobo: 0, refunds_kobo: 0 };

describe('shift cash-up', () => {
  it('an empty shift expects its float in the drawer and nothing else', () => {
    expect(methodLines(500_000, none, { in: 0, out: 0 })).toEqual([
      { method: 'cash', sales_kobo: 0, refunds_kobo: 0, expected_kobo: 500_000, counted_kobo: null, over_short_kobo: null },
    ]);
  });

  it('cash = float + tendered − change − refunds + in − out; other methods from the payments; over/short = counted − expected', () => {
    const takings: ShiftTakings = {
      ...none,
      sales: { cash: 260_000, card: 50_000, transfer: 107_500 },
      refunds: { cash: 107_500, card: 10_000 },
      change: 95_000,
    };
    const lines = methodLines(500_000, takings, { in: 100_000, out: 30_000 }, { cash: 627_600, card: 39_000 });
    expect(lines.map((l) => [l.method, l.expected_kobo, l.counted_kobo, l.over_short_kobo])).toEqual([
      ['cash', 627_500, 627_600, 100],
      ['transfer', 107_500, null, null],
      ['card', 40_000, 39_000, -1_000],
    ]);
    expect(totalOverShort(lines)).toBe(-900);
    expect(totalOverShort(methodLines(0, takings, { in: 0, out: 0 }))).toBeNull();
  });

  it('a method counted but never taken still gets a line (counted money is never dropped)', () => {
    const lines = methodLines(0, none, { in: 0, out: 0 }, { cash: 0, cheque: 2_000 });
    expect(lines.find((l) => l.method === 'cheque')).toMatchObject({ expected_kobo: 0, counted_kobo: 2_000, over_short_kobo: 2_000 });
  });

  it('refuses amounts that are not whole kobo (never float arithmetic on money)', () => {
    expect(() => methodLines(0.5, none, { in: 0, out: 0 })).toThrow(/float: 0.5 is not a whole number of kobo/);
    expect(() => methodLines(0, { ...none, sales: { card: 1.25 } }, { in: 0, out: 0 })).toThrow(/card sales/);
    expect(() => methodLines(0, none, { in: 0, out: 0 }, { cash: Number.NaN })).toThrow(/cash counted/);
  });

  it('words: over, short, even', () => {
    expect(overShortWords(20_000)).toBe('over ₦200.00');
    expect(overShortWords(-150_000)).toBe('short ₦1,500.00');
    expect(overShortWords(0)).toBe('even');
  });
});
