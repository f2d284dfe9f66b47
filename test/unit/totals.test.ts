import { describe, expect, it } from 'vitest';
import { computeTotals } from '../../shared/domain/totals';
import { InvalidInput, parseSale } from '../../shared/domain/sale';

const VAT = { category: 'STANDARD_VAT', rate: '7.5', inclusive: true } as const;
const VAT_EX = { category: 'STANDARD_VAT', rate: '7.5', inclusive: false } as const;
const ZERO = { category: 'ZERO_VAT', rate: '0', inclusive: true } as const;

function sale(lines: unknown[], extra: Record<string, unknown> = {}) {
  return parseSale({
    source: 'manual',
    external_id: 'u-1',
    occurred_at: '2026-11-24T09:30:00+01:00',
    currency: 'NGN',
    lines,
    payments: [{ method: 'cash', amount: '1000000.00' }],
    ...extra,
  });
}

describe('computeTotals', () => {
  it('the issue example: 2 × 8600 − 200 + 500 delivery, 7.5% inclusive', () => {
    const t = computeTotals(
      sale([{ name: 'Rice 5kg', quantity: '2', unit_price: '8600.00', discount: '200.00', tax: VAT }], {
        charges: [{ name: 'Delivery', amount: '500.00', tax: VAT }],
        payments: [{ method: 'cash', amount: '17500.00' }],
      }),
    );
    // line gross 17000.00: tax = 17000 × 7.5/107.5 = 1186.046… → 1186.05, net 15813.95
    expect(t.lines[0]).toMatchObject({ gross: 1_700_000, tax: 118_605, net: 1_581_395 });
    // charge 500.00: tax 34.883… → 34.88, net 465.12
    expect(t.charges[0]).toMatchObject({ gross: 50_000, tax: 3_488, net: 46_512 });
    expect(t.taxTotal).toBe(122_093);
    expect(t.taxExclusive).toBe(1_627_907);
    expect(t.taxInclusive).toBe(1_750_000);
    expect(t.change).toBe(0);
  });

  it('exclusive tax is added on top, rounded half-up per line', () => {
    const t = computeTotals(sale([{ name: 'A', quantity: '1', unit_price: '0.07', tax: VAT_EX }])); // 7 kobo × 7.5% = 0.525 → 1
    expect(t.lines[0]).toMatchObject({ net: 7, tax: 1, gross: 8 });
    expect(t.taxInclusive).toBe(8);
  });

  it('per-line rounding: invoice tax is the sum of rounded line taxes, so totals always add up', () => {
    const lines = Array.from({ length: 7 }, (_, i) => ({ name: `L${i}`, quantity: '1', unit_price: '0.10', tax: VAT_EX })); // 0.75 kobo each → 1
    const t = computeTotals(sale(lines));
    expect(t.taxTotal).toBe(7);
    expect(t.taxInclusive).toBe(t.taxExclusive + t.taxTotal);
  });

  it('fractional quantities price exactly (0.333 kg × 1500.00)', () => {
    const t = computeTotals(sale([{ name: 'Beef', quantity: '0.333', unit_price: '1500.00', tax: ZERO }]));
    expect(t.lines[0]!.gross).toBe(49_950);
    expect(t.taxTotal).toBe(0);
  });

  it('one subtotal per category and rate ("7.5" and "7.50" are one rate)', () => {
    const t = computeTotals(
      sale([
        { name: 'A', quantity: '1', unit_price: '107.50', tax: VAT },
        { name: 'B', quantity: '1', unit_price: '107.50', tax: { ...VAT, rate: '7.50' } },
        { name: 'C', quantity: '1', unit_price: '50.00', tax: ZERO },
        { name: 'D', quantity: '1', unit_price: '20.00', tax: { category: 'EXEMPTED', rate: '0', inclusive: true } },
      ]),
    );
    expect(t.subtotals).toEqual([
      { category: 'STANDARD_VAT', rate: '7.5', taxable: 20_000, tax: 1_500 },
      { category: 'ZERO_VAT', rate: '0', taxable: 5_000, tax: 0 },
      { category: 'EXEMPTED', rate: '0', taxable: 2_000, tax: 0 },
    ]);
  });

  it('the tip is recorded, excluded from the invoice, and must be paid', () => {
    const t = computeTotals(
      sale([{ name: 'Meal', quantity: '1', unit_price: '1075.00', tax: VAT }], {
        tip: '100.00',
        payments: [{ method: 'card', amount: '1175.00' }],
      }),
    );
    expect(t.taxInclusive).toBe(107_500);
    expect(t.tip).toBe(10_000);
    expect(t.change).toBe(0);
  });

  it('change comes only from cash; short payment names the shortfall', () => {
    const lines = [{ name: 'Soap', quantity: '1', unit_price: '1075.00', tax: VAT }];
    expect(computeTotals(sale(lines, { payments: [{ method: 'cash', amount: '2000.00' }] })).change).toBe(92_500);
    expect(() => computeTotals(sale(lines, { payments: [{ method: 'card', amount: '2000.00' }] }))).toThrow(
      /overpaid by 925.00 but only cash/,
    );
    expect(() => computeTotals(sale(lines, { payments: [{ method: 'cash', amount: '1000.00' }] }))).toThrow(/payments: short by 75.00/);
  });

  it('a discount larger than the line is refused with the line named', () => {
    expect(() => computeTotals(sale([{ name: 'A', quantity: '1', unit_price: '10.00', discount: '10.01', tax: VAT }]))).toThrow(
      InvalidInput,
    );
    expect(() => computeTotals(sale([{ name: 'A', quantity: '1', unit_price: '10.00', discount: '10.01', tax: VAT }]))).toThrow(
      /lines\[0\]\.discount/,
    );
  });
});

describe('parseSale: the canonical sale at the boundary', () => {
  const base = {
    source: 'manual',
    external_id: 'x',
    occurred_at: '2026-11-24T09:30:00+01:00',
    currency: 'NGN',
    lines: [{ name: 'A', quantity: '1', unit_price: '1.00', tax: VAT }],
    payments: [{ method: 'cash', amount: '1.00' }],
  };

  it.each([
    [{ lines: [] }, /lines/],
    [{ lines: [{ name: 'A', quantity: '1', unit_price: 1, tax: VAT }] }, /lines\[0\]\.unit_price/],
    [{ lines: [{ name: 'A', quantity: '0', unit_price: '1.00', tax: VAT }] }, /lines\[0\]\.quantity/],
    [
      { lines: [{ name: 'A', quantity: '1', unit_price: '1.00', tax: { category: 'ZERO_VAT', rate: '7.5', inclusive: true } }] },
      /lines\[0\]\.tax\.rate/,
    ],
    [{ payments: [{ method: 'bitcoin', amount: '1.00' }] }, /payments\[0\]\.method/],
    [{ currency: 'naira' }, /currency/],
    [{ colour: 'red' }, /colour/],
  ])('rejects %j naming the field', (patch, message) => {
    expect(() => parseSale({ ...base, ...patch })).toThrow(InvalidInput);
    expect(() => parseSale({ ...base, ...patch })).toThrow(message);
  });
});
