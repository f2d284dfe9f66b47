// Text layout of the fiscal receipt: golden files for both roll widths (UPDATE_GOLDEN=1 rewrites them).
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildReceipt } from '../../shared/receipt/receipt';
import { layoutReceipt, layoutToText, wrap, COLUMNS, DEMO_TEXT, PENDING_REPORT_TEXT, type PaperWidth } from '../../shared/receipt/layout';
import { B2B_SOURCE, CREDIT_SOURCE, GOLDEN_BUSINESS, SALE_SOURCE } from './receipt-fixtures';

const GOLDEN = join(__dirname, 'golden');

function golden(name: string, actual: string): void {
  const file = join(GOLDEN, `${name}.txt`);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    if (process.env.CI) throw new Error(`golden file ${file} is missing`);
    writeFileSync(file, actual);
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

const cases = [
  { name: 'sale', source: SALE_SOURCE, copy: false, naira: true },
  { name: 'b2b', source: B2B_SOURCE, copy: false, naira: false },
  { name: 'credit-note', source: CREDIT_SOURCE, copy: false, naira: false },
  { name: 'copy', source: SALE_SOURCE, copy: true, naira: false },
] as const;

describe('receipt text layout', () => {
  for (const c of cases) {
    for (const width of [58, 80] as PaperWidth[]) {
      it(`${c.name} at ${width} mm matches its golden file and never exceeds ${COLUMNS[width]} columns`, () => {
        const layout = layoutReceipt(buildReceipt(c.source, GOLDEN_BUSINESS, { copy: c.copy }), { width, nairaSymbol: c.naira });
        const text = layoutToText(layout);
        for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(COLUMNS[width]);
        golden(`${c.name}-${width}`, text);
      });
    }
  }

  it('shows the fiscal facts: IRN, Lagos time, VAT per category, payments and change, report state, chain fragment', () => {
    const text = layoutToText(layoutReceipt(buildReceipt(SALE_SOURCE, GOLDEN_BUSINESS), { width: 80, nairaSymbol: true }));
    expect(text).toContain('T0100000042-94ND90NR-20261124');
    expect(text).toContain('2026-11-24 09:30:05 WAT');
    expect(text).toMatch(/VAT 7\.5% on [\d,.]+ +[\d,.]+/);
    expect(text).toMatch(/VAT 0% \(zero-rated\) on 1,800\.00 +0\.00/);
    expect(text).toMatch(/TOTAL +₦28,750\.00/);
    expect(text).toContain(PENDING_REPORT_TEXT);
    expect(text).toContain('Chain #42 9f2c4e1ab37d');
    expect(text).not.toContain('COPY');
    expect(text).toMatch(/Change +[\d,]+\.\d\d/);
  });

  it('a demo receipt says "DEMO — not reported" and promises no report, at both widths', () => {
    const demo = { ...SALE_SOURCE, sale: { ...SALE_SOURCE.sale, source: 'demo' as const } };
    for (const width of [58, 80] as PaperWidth[]) {
      const text = layoutToText(layoutReceipt(buildReceipt(demo, GOLDEN_BUSINESS), { width, nairaSymbol: true }));
      expect(text).toMatch(/^ *DEMO — not reported$/m);
      expect(text).toContain(DEMO_TEXT);
      expect(text).not.toMatch(/Pending report|reported within|^ *Reported$/m);
    }
  });

  it('uses NGN when the output cannot show ₦, says Cleared once a B2B invoice is signed, prints the B2B buyer', () => {
    const text = layoutToText(layoutReceipt(buildReceipt(B2B_SOURCE, GOLDEN_BUSINESS), { width: 58, nairaSymbol: false }));
    expect(text).not.toContain('₦');
    expect(text).toMatch(/TOTAL +NGN 107,500\.00/);
    expect(text).toMatch(/^ *Cleared by FIRS\/NRS$/m); // B2B is cleared, not reported (issue 11)
    expect(text).toContain('87654321-0001');
  });

  it('credit note: heading and the original IRN; no drawer for a copy, drawer for an original cash sale', () => {
    const credit = layoutReceipt(buildReceipt(CREDIT_SOURCE, GOLDEN_BUSINESS), { width: 80, nairaSymbol: false });
    const text = layoutToText(credit);
    expect(text).toContain('C R E D I T   N O T E');
    expect(text).toContain(SALE_SOURCE.irn);
    expect(layoutReceipt(buildReceipt(SALE_SOURCE, GOLDEN_BUSINESS), { width: 80, nairaSymbol: false }).drawer).toBe(true);
    expect(layoutReceipt(buildReceipt(SALE_SOURCE, GOLDEN_BUSINESS, { copy: true }), { width: 80, nairaSymbol: false }).drawer).toBe(false);
    expect(layoutReceipt(buildReceipt(B2B_SOURCE, GOLDEN_BUSINESS), { width: 80, nairaSymbol: false }).drawer).toBe(false);
  });

  it('wraps long words and long names within the columns', () => {
    expect(wrap('a'.repeat(70), 32)).toEqual(['a'.repeat(32), 'a'.repeat(32), 'a'.repeat(6)]);
    expect(wrap('Peak Full Cream Evaporated Milk Tin', 16)).toEqual(['Peak Full Cream', 'Evaporated Milk', 'Tin']);
  });
});
