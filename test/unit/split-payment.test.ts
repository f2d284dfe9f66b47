// Split payment arithmetic in integer kobo, with the cashier's sentences.
import { expect, it } from 'vitest';
import { tender } from '../../shared/domain/split-payment';
import { confirmationQuestion } from '../../shared/domain/sale-confirm';

it('short, exact, change from cash only', () => {
  expect(tender(200_000, [{ method: 'cash', amount: 50_000 }])).toEqual({
    paid: 50_000,
    remaining: 150_000,
    change: 0,
    problem: 'Cash ₦500.00 is ₦1,500.00 short of ₦2,000.00',
  });
  expect(tender(200_000, [])).toMatchObject({ remaining: 200_000, problem: 'Nothing paid is ₦2,000.00 short of ₦2,000.00' });
  expect(
    tender(1_765_150, [
      { method: 'transfer', amount: 1_000_000 },
      { method: 'cash', amount: 800_000 },
    ]),
  ).toEqual({ paid: 1_800_000, remaining: 0, change: 34_850, problem: null });
  expect(tender(10, [{ method: 'card', amount: 10 }])).toEqual({ paid: 10, remaining: 0, change: 0, problem: null });
  expect(
    tender(100_000, [
      { method: 'card', amount: 150_000 },
      { method: 'cash', amount: 10_000 },
    ]).problem,
  ).toBe('Card ₦1,500.00 is more than the ₦1,000.00 to pay: only cash can give change');
  // 0.1 + 0.2 style sums are exact: kobo are integers.
  expect(
    tender(30, [
      { method: 'cash', amount: 10 },
      { method: 'transfer', amount: 20 },
    ]).change,
  ).toBe(0);
  expect(() => tender(1, [{ method: 'cash', amount: 0.5 }])).toThrow(/not kobo/);
});

it('a sale above the limit asks, in naira', () => {
  expect(confirmationQuestion(100_000_000, 100_000_000)).toBeNull();
  expect(confirmationQuestion(45_000_000_000, 100_000_000)).toBe(
    'Charge ₦450,000,000.00? That is above the ₦1,000,000.00 limit for one sale. Check the quantities and prices.',
  );
});
