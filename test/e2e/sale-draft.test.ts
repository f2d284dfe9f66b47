// The till's sale draft (renderer logic, no browser): typed text → canonical sale, kobo-exact.
import { describe, expect, it } from 'vitest';
import { draftTotals, lineProblems, toSale, type DraftSale } from '../../renderer/src/lib/sale-draft';
import { keysFileProblem } from '../../renderer/src/screens/Setup';
import { ageLevel } from '../../renderer/src/lib/format';

const draft = (over: Partial<DraftSale> = {}): DraftSale => ({
  id: '0b5c7a4e-1111-4222-8333-944455556666',
  method: 'cash',
  tendered: '',
  lines: [
    { name: 'Rice 5kg', quantity: '2', price: '8600', vat: 'STANDARD_VAT' },
    { name: 'Water 75cl', quantity: '3', price: '150.50', vat: 'ZERO_VAT' },
  ],
  ...over,
});

describe('till sale draft', () => {
  it('prices exactly in kobo: inclusive VAT per line, zero-rated lines untaxed', () => {
    const { totals, error } = draftTotals(draft());
    expect(error).toBeNull();
    expect(totals).toMatchObject({ taxInclusive: 1765150, taxTotal: 120000, taxExclusive: 1645150, change: 0 });
  });

  it('0.1 + 0.2 style sums stay exact (no binary floats)', () => {
    const { totals } = draftTotals(
      draft({
        lines: [
          { name: 'A', quantity: '1', price: '0.10', vat: 'EXEMPTED' },
          { name: 'B', quantity: '1', price: '0.20', vat: 'EXEMPTED' },
        ],
      }),
    );
    expect(totals?.taxInclusive).toBe(30);
  });

  it('defaults the payment to exactly the total; cash tendered gives change; the id makes resubmission idempotent', () => {
    const exact = toSale(draft({ method: 'card' }));
    expect(exact).toMatchObject({
      source: 'manual',
      external_id: 'till-0b5c7a4e-1111-4222-8333-944455556666',
      currency: 'NGN',
      payments: [{ method: 'card', amount: '17651.50' }],
    });
    expect(exact.lines[0]).toMatchObject({ unit_price: '8600.00', tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true } });
    expect(draftTotals(draft({ tendered: '20,000' })).totals?.change).toBe(234850);
    expect(toSale(draft()).external_id).toBe(toSale(draft()).external_id);
    expect(exact.occurred_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+01:00$/);
  });

  it('says what is wrong in words: short cash, bad price, bad quantity, empty name', () => {
    expect(draftTotals(draft({ tendered: '100' })).error).toBe('Cash ₦100.00 is ₦17,551.50 short of ₦17,651.50');
    expect(draftTotals(draft({ tendered: '100' })).totals?.taxInclusive).toBe(1765150); // the totals stay visible
    expect(() => toSale(draft({ tendered: '100' }))).toThrow('Cash ₦100.00 is ₦17,551.50 short of ₦17,651.50');
    expect(lineProblems({ name: ' ', quantity: '0', price: '12.345', vat: 'STANDARD_VAT' })).toEqual({
      name: 'Item name is empty',
      quantity: 'Quantity must be a number above 0, like 2 or 1.5',
      price: 'Price must be an amount like 1500 or 1500.50',
    });
    expect(() => toSale(draft({ lines: [] }))).toThrow(/add at least one item/);
  });

  it('a split payment: part cash, part transfer, change from the cash; a buyer makes it B2B', () => {
    const split = draft({
      split: [
        { method: 'transfer', amount: '10,000' },
        { method: 'cash', amount: '8000' },
      ],
    });
    expect(draftTotals(split)).toMatchObject({
      error: null,
      tender: { paid: 1800000, remaining: 0, change: 34850 },
      totals: { change: 34850 },
    });
    expect(toSale(split).payments).toEqual([
      { method: 'transfer', amount: '10000.00' },
      { method: 'cash', amount: '8000.00' },
    ]);
    expect(draftTotals(draft({ split: [{ method: 'card', amount: '20000' }] })).error).toMatch(
      /Card ₦20,000.00 is more than .* only cash can give change/,
    );
    expect(draftTotals(draft({ split: [{ method: 'cash', amount: '1.500,00' }] })).error).toMatch(/ambiguous/);
    const customer = { name: 'Okafor Ltd', tin: '12345678-0001', email: 'a@b.ng' };
    expect(toSale(draft({ customer })).customer).toEqual(customer);
  });

  it('a catalogue line carries its SKU and classification; a counted product refuses 1.5', () => {
    const d = draft({
      lines: [{ name: 'Rice', quantity: '2', price: '8600', vat: 'ZERO_VAT', sku: 'RICE', unit: 'each', hs_code: '1006.30' }],
    });
    expect(toSale(d).lines[0]).toMatchObject({ sku: 'RICE', hs_code: '1006.30', tax: { category: 'ZERO_VAT' } });
    expect(lineProblems({ name: 'Rice', quantity: '1.5', price: '1', vat: 'STANDARD_VAT', unit: 'each' }).quantity).toMatch(/whole number/);
    expect(lineProblems({ name: 'Rice', quantity: '1.5', price: '1', vat: 'STANDARD_VAT', unit: 'kg' }).quantity).toBeUndefined();
    expect(lineProblems({ name: 'X', quantity: '1', price: '1.500,00', vat: 'STANDARD_VAT' }).price).toMatch(
      /^Price "1.500,00" is ambiguous/,
    );
  });

  it('checks the shape of crypto_keys.txt on import', () => {
    expect(keysFileProblem('')).toMatch(/empty/);
    expect(keysFileProblem('{"public_key": 1}')).toMatch(/no "public_key" string/);
    expect(keysFileProblem('{oops')).toMatch(/does not parse/);
    expect(keysFileProblem('hello')).toMatch(/not the file from the FIRS portal/);
    expect(keysFileProblem('{"public_key":"x","certificate":"y"}')).toBeNull();
  });

  it('colours the oldest unreported receipt against 24 h: amber from 12 h, red from 20 h', () => {
    expect([null, 0, 12 * 3600 - 1, 12 * 3600, 20 * 3600 - 1, 20 * 3600].map(ageLevel)).toEqual(['ok', 'ok', 'ok', 'warn', 'warn', 'bad']);
  });
});
