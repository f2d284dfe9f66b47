// The receipt of a discounted till sale (issue 14): each line's discount on its own line, and with
// several discounted lines (a sale discount spread over them) what came off in all.
import { describe, expect, it } from 'vitest';
import { buildReceipt } from '../../shared/receipt/receipt';
import { layoutReceipt, layoutToText } from '../../shared/receipt/layout';
import { toSale } from '../../renderer/src/lib/sale-draft';
import { GOLDEN_BUSINESS, SALE_SOURCE } from './receipt-fixtures';

describe('receipt with discounts', () => {
  it('a line and a sale discount: each line shows its share, the total what came off', () => {
    const sale = toSale(
      {
        id: 'r1',
        method: 'cash',
        tendered: '',
        lines: [
          { name: 'Rice 5kg', quantity: '2', price: '8600', vat: 'STANDARD_VAT', discount: '10%' },
          { name: 'Water', quantity: '3', price: '150', vat: 'ZERO_VAT' },
        ],
        discount: '500',
      },
      new Date('2026-11-24T08:30:05Z'),
    );
    const text = layoutToText(layoutReceipt(buildReceipt({ ...SALE_SOURCE, sale }, GOLDEN_BUSINESS), { width: 58, nairaSymbol: true }));
    expect(text).toContain(['Rice 5kg', '  2 x 8,600.00         17,200.00', '  Discount             -2,205.88'].join('\n'));
    expect(text).toContain(['Water', '  3 x 150.00              450.00', '  Discount                -14.12'].join('\n'));
    expect(text).toContain('Discounts              -2,220.00');
    expect(text).toContain('TOTAL                 ₦15,430.00');
  });
  it('one discounted line: no separate total (the golden receipts)', () => {
    const text = layoutToText(layoutReceipt(buildReceipt(SALE_SOURCE, GOLDEN_BUSINESS), { width: 58, nairaSymbol: true }));
    expect(text).not.toContain('Discounts');
  });
});
