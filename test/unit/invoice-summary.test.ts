// verify reads five figures of the stored FIRS JSON by their keys (main/ledger/invoice-summary.ts);
// it must agree with parsing the JSON for every invoice shape, and fall back to parsing where the
// keys alone are not certain.
import { describe, expect, it } from 'vitest';
import { invoiceSummaryOf, parsedSummary } from '../../main/ledger/invoice-summary';
import type { FirsInvoice } from '../../shared/domain/firs-invoice';

function escaped(inv: unknown): Buffer {
  const text = JSON.stringify(JSON.stringify(inv));
  return Buffer.from(text.slice(1, -1), 'utf8'); // the string body, as the chain record holds it
}

const base = {
  business_id: 'b',
  irn: 'T0100000001-94ND90NR-20261124',
  issue_date: '2026-11-24',
  note: 'Buyer: "payable_amount":1 \\ \\"irn\\":"x"',
  tax_total: [{ tax_amount: 42.48, tax_subtotal: [{ taxable_amount: 566.52, tax_amount: 42.48 }] }],
  legal_monetary_total: { line_extension_amount: 566.52, tax_exclusive_amount: 566.52, tax_inclusive_amount: 609, payable_amount: 609 },
  invoice_line: [{ item: { name: 'Rice "payable_amount":5 ₦ 🧾', description: '\\"tax_total\\":[' } }],
};

const cases: Record<string, unknown> = {
  'a plain sale (keys read directly)': base,
  'no tax': { ...base, tax_total: [] },
  'a whole-naira amount and a one-decimal one': {
    ...base,
    legal_monetary_total: { ...base.legal_monetary_total, payable_amount: 1000000, tax_exclusive_amount: 190.7 },
  },
  'a credit note (a second irn and issue_date: parsed)': {
    ...base,
    billing_reference: [{ irn: 'T0100000000-X-20261123', issue_date: '2026-11-23' }],
  },
  'amounts under a naira and zero': {
    ...base,
    legal_monetary_total: { ...base.legal_monetary_total, payable_amount: 0.05, tax_exclusive_amount: 0 },
  },
  'fifteen whole digits': { ...base, legal_monetary_total: { ...base.legal_monetary_total, payable_amount: 123456789012345.67 } },
  'three decimals (not an exact kobo amount)': { ...base, legal_monetary_total: { ...base.legal_monetary_total, payable_amount: 609.005 } },
  'an exponent form': { ...base, legal_monetary_total: { ...base.legal_monetary_total, payable_amount: 1e21 } },
  'a negative amount': { ...base, legal_monetary_total: { ...base.legal_monetary_total, tax_exclusive_amount: -5.5 } },
};

describe('invoiceSummaryOf agrees with parsing the invoice', () => {
  it.each(Object.entries(cases))('%s', (_name, inv) => {
    expect(invoiceSummaryOf(escaped(inv))).toEqual(parsedSummary(inv as FirsInvoice));
  });

  it('reads the plain sale without parsing: strings inside values never pass for keys', () => {
    const s = invoiceSummaryOf(escaped(base));
    expect(s).toEqual({ payable_kobo: 60900, tax_kobo: 4248, net_kobo: 56652, irn: base.irn, issue_date: base.issue_date });
  });
});
