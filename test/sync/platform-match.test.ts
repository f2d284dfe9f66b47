// Whether the invoice the platform holds under an IRN is ours (main/firs/platform-match.ts): the
// same business, IRN, date, type and amounts → ours; any difference → theirs, each difference
// named; a record too thin to compare an amount is never called ours.
import { describe, expect, it } from 'vitest';
import { matchPlatformRecord } from '../../main/firs/platform-match';

const ours = {
  business_id: 'b-1',
  irn: 'INV0001-94ND90NR-20261123',
  issue_date: '2026-11-23',
  invoice_type_code: '381',
  document_currency_code: 'NGN',
  legal_monetary_total: { payable_amount: 1075, tax_inclusive_amount: 1075, tax_exclusive_amount: 1000 },
};

describe('matchPlatformRecord', () => {
  it('the same invoice, nested like ours, is ours; amounts as decimal strings compare to the kobo', () => {
    const record = {
      ...ours,
      legal_monetary_total: { payable_amount: '1075.00', tax_inclusive_amount: '1075', tax_exclusive_amount: 1000.0 },
    };
    expect(matchPlatformRecord(ours, record)).toEqual({
      verdict: 'ours',
      compared: [
        'business_id',
        'irn',
        'issue_date',
        'invoice_type_code',
        'document_currency_code',
        'payable_amount',
        'tax_inclusive_amount',
        'tax_exclusive_amount',
      ],
    });
  });

  it('fields are found flat, under "invoice" or under "data"', () => {
    expect(matchPlatformRecord(ours, { irn: ours.irn, payable_amount: 1075 })).toEqual({
      verdict: 'ours',
      compared: ['irn', 'payable_amount'],
    });
    expect(matchPlatformRecord(ours, { invoice: { irn: ours.irn, legal_monetary_total: { payable_amount: 1075 } } }).verdict).toBe('ours');
    expect(matchPlatformRecord(ours, { data: { business_id: 'b-1', tax_exclusive_amount: '1000.00' } }).verdict).toBe('ours');
    // null values are absent, not differences
    expect(matchPlatformRecord(ours, { data: { irn: null, payable_amount: 1075 } })).toEqual({
      verdict: 'ours',
      compared: ['payable_amount'],
    });
  });

  it('another sale under our IRN (a restored backup, two tills) is theirs, with every difference named', () => {
    const record = {
      data: {
        ...ours,
        issue_date: '2026-11-20',
        legal_monetary_total: { payable_amount: 2150, tax_inclusive_amount: 2150, tax_exclusive_amount: 2000 },
      },
    };
    expect(matchPlatformRecord(ours, record)).toEqual({
      verdict: 'theirs',
      differences: [
        'issue_date: ours "2026-11-23", the platform\'s "2026-11-20"',
        "payable_amount: ours 1075, the platform's 2150",
        "tax_inclusive_amount: ours 1075, the platform's 2150",
        "tax_exclusive_amount: ours 1000, the platform's 2000",
      ],
    });
    // Text that is not a number is compared as text: "1,075.00" is not 1075.
    expect(matchPlatformRecord(ours, { payable_amount: '1,075.00' })).toMatchObject({ verdict: 'theirs' });
    expect(matchPlatformRecord(ours, { business_id: 'b-2', payable_amount: 1075 })).toEqual({
      verdict: 'theirs',
      differences: ['business_id: ours "b-1", the platform\'s "b-2"'],
    });
  });

  it('the same business, IRN and date without any amount is unknown, never ours', () => {
    expect(matchPlatformRecord(ours, { business_id: 'b-1', irn: ours.irn, issue_date: '2026-11-23' })).toEqual({
      verdict: 'unknown',
      compared: ['business_id', 'irn', 'issue_date'],
    });
    expect(matchPlatformRecord(ours, null)).toEqual({ verdict: 'unknown', compared: [] });
    expect(matchPlatformRecord(ours, 'not a record')).toEqual({ verdict: 'unknown', compared: [] });
  });

  it('our stored invoice missing a field the platform has is a difference', () => {
    const { legal_monetary_total: _t, ...thin } = ours;
    expect(matchPlatformRecord(thin, { payable_amount: 1075 })).toEqual({
      verdict: 'theirs',
      differences: ["payable_amount: ours undefined, the platform's 1075"],
    });
  });
});
