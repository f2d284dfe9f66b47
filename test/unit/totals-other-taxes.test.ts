// Totals with a non-VAT tax beside VAT and with per-sale tax rounding (issue #13), exact in kobo.
import { describe, expect, it } from 'vitest';
import { parseSale, type Sale } from '../../shared/domain/sale';
import { computeInvoiceAmounts, computeTotals } from '../../shared/domain/totals';

const base = (lines: Sale['lines'], extra: Partial<Sale> = {}): Sale =>
  parseSale({
    source: 'manual',
    external_id: 'x',
    occurred_at: '2026-11-24T13:49:00+01:00',
    currency: 'NGN',
    lines,
    payments: [{ method: 'cash', amount: '100000.00' }],
    ...extra,
  });
const ct = [{ category: 'LOCAL_SALES_TAX' as const, name: 'Consumption tax', rate: '5' }];

describe('non-VAT taxes beside VAT', () => {
  it('exclusive: each tax on the same net; VAT total excludes the other tax, the payable includes it', () => {
    const t = computeTotals(
      base([
        {
          name: 'Rice',
          quantity: '1',
          unit_price: '10000',
          tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: false },
          other_taxes: ct,
        },
      ]),
    );
    expect(t).toMatchObject({ taxExclusive: 1000000, taxTotal: 75000, otherTaxTotal: 50000, taxInclusive: 1125000 });
    expect(t.otherSubtotals).toEqual([{ category: 'LOCAL_SALES_TAX', name: 'Consumption tax', rate: '5', taxable: 1000000, tax: 50000 }]);
  });

  it('inclusive: net = gross × 100 / (100 + Σ rates), each tax rounded, net takes the remainder', () => {
    // ₦1,000.00 shelf price incl. 7.5 % + 5 %: net 888.888…, VAT 66.666… → 66.67, other 44.444… → 44.44, net 888.89.
    const t = computeInvoiceAmounts(
      base([
        {
          name: 'Rice',
          quantity: '1',
          unit_price: '1000',
          tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true },
          other_taxes: ct,
        },
      ]),
    );
    expect(t).toMatchObject({ taxExclusive: 88889, taxTotal: 6667, otherTaxTotal: 4444, taxInclusive: 100000 });
  });

  it('a non-VAT tax needs a FIRS non-VAT category and a rate above 0', () => {
    expect(() =>
      base([
        {
          name: 'R',
          quantity: '1',
          unit_price: '1',
          tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: false },
          other_taxes: [{ category: 'STANDARD_VAT', name: 'x', rate: '5' } as never],
        },
      ]),
    ).toThrow(/other_taxes\[0\]\.category/);
    expect(() =>
      base([
        {
          name: 'R',
          quantity: '1',
          unit_price: '1',
          tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: false },
          other_taxes: [{ ...ct[0]!, rate: '0' }],
        },
      ]),
    ).toThrow(/other_taxes\[0\]\.rate: must be greater than 0/);
  });
});

describe('tax_rounding "sale": each tax rounded over the sale, shared out by largest remainder', () => {
  const three = (extra: Partial<Sale> = {}) =>
    base(
      ['A', 'B', 'C'].map((name) => ({
        name,
        quantity: '1',
        unit_price: '333.33',
        tax: { category: 'STANDARD_VAT' as const, rate: '7.5', inclusive: false },
        other_taxes: ct,
      })),
      extra,
    );

  it('per line (default): 16.67 × 3 of the 5 % tax; per sale: 50.00 in all, lines 16.67 + 16.67 + 16.66', () => {
    expect(computeInvoiceAmounts(three()).otherTaxTotal).toBe(5001);
    const t = computeInvoiceAmounts(three({ tax_rounding: 'sale' }));
    expect(t).toMatchObject({ taxTotal: 7500, otherTaxTotal: 5000, taxInclusive: 112499 });
    expect(t.lines.map((l) => [l.tax, l.otherTaxes[0]!.tax])).toEqual([
      [2500, 1667],
      [2500, 1667],
      [2500, 1666],
    ]);
    expect(t.lines.reduce((a, l) => a + l.gross, 0)).toBe(t.taxInclusive);
  });

  it('an exchange rate belongs only to a sale in another currency', () => {
    expect(() =>
      base([{ name: 'R', quantity: '1', unit_price: '1', tax: { category: 'EXEMPTED', rate: '0', inclusive: false } }], {
        exchange_rate: { rate: '1', source: 's', date: '2026-11-24' },
      }),
    ).toThrow(/exchange_rate: only a sale in another currency/);
  });
});
