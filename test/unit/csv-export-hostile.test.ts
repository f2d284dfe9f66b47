// The invoice CSV export (shared/reports/csv.ts) with hostile and awkward text from POS payloads:
// a spreadsheet never runs a cell as a formula, quotes/commas/line breaks survive a round trip
// through parseCsv, and credit notes are negative so a SUM is the net figure.
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvField, invoicesToCsv, parseCsv, type CsvInvoice } from '../../shared/reports/csv';

const invoice = (over: Partial<CsvInvoice> = {}, customer: { name: string; tin?: string } | null = null): CsvInvoice => ({
  counter: 1,
  invoice_number: 'INV0001',
  irn: 'INV0001-94ND90NR-20261123',
  type: '381',
  source: 'square',
  issued_at: Date.parse('2026-11-23T12:00:00Z') / 1000,
  payable_kobo: 107500,
  net_kobo: 100000,
  tax_kobo: 7500,
  tip_kobo: 0,
  hash: 'h',
  status: 'reported',
  b2b: Boolean(customer?.tin),
  external_id: 'S-1',
  original_irn: null,
  sale: {
    source: 'square',
    external_id: 'S-1',
    occurred_at: '2026-11-23T12:00:00Z',
    currency: 'NGN',
    lines: [],
    payments: [
      { method: 'cash', amount: '500.00' },
      { method: 'card', amount: '575.00' },
      { method: 'cash', amount: '0.00' },
    ],
    customer,
    refund_of: null,
  } as unknown as CsvInvoice['sale'],
  ...over,
});

describe('invoice CSV with hostile text', () => {
  it('cells starting with = + - @ tab or CR are prefixed with a quote so no spreadsheet runs them', () => {
    const hostile = ['=HYPERLINK("http://evil","x")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'];
    const csv = invoicesToCsv(hostile.map((name, i) => invoice({ external_id: name, counter: i }, { name, tin: '12345678-0001' })));
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const col = (name: string) => CSV_COLUMNS.indexOf(name as (typeof CSV_COLUMNS)[number]);
    expect(rows.slice(1).map((r) => r[col('customer')])).toEqual(hostile.map((h) => `'${h}`));
    expect(rows.slice(1).map((r) => r[col('external_id')])).toEqual(hostile.map((h) => `'${h}`));
    for (const r of rows.slice(1)) expect(r).toHaveLength(CSV_COLUMNS.length);
  });

  it('quotes, commas, line breaks and edge spaces survive a round trip', () => {
    const name = ' Ada "the boss", Lagos\r\nBranch 2 ';
    const rows = parseCsv(invoicesToCsv([invoice({}, { name, tin: '12345678-0001' })]));
    expect(rows).toHaveLength(2);
    expect(rows[1]![CSV_COLUMNS.indexOf('customer')]).toBe(name);
    expect(csvField('plain')).toBe('plain');
    expect(csvField(' lead')).toBe('" lead"');
    expect(csvField('a"b')).toBe('"a""b"');
  });

  it('credit notes are negative, invoices positive; payment methods listed once; no customer is empty cells', () => {
    const rows = parseCsv(
      invoicesToCsv([invoice(), invoice({ type: '380', counter: 2, original_irn: 'INV0001-94ND90NR-20261123', tip_kobo: 100 })]),
    );
    const get = (r: string[], c: string) => r[CSV_COLUMNS.indexOf(c as (typeof CSV_COLUMNS)[number])];
    expect([get(rows[1]!, 'type'), get(rows[1]!, 'total'), get(rows[1]!, 'customer'), get(rows[1]!, 'b2b')]).toEqual([
      'invoice',
      '1075.00',
      '',
      'B2C',
    ]);
    expect([
      get(rows[2]!, 'type'),
      get(rows[2]!, 'net'),
      get(rows[2]!, 'vat'),
      get(rows[2]!, 'tip'),
      get(rows[2]!, 'original_irn'),
    ]).toEqual(['credit_note', '-1000.00', '-75.00', '-1.00', 'INV0001-94ND90NR-20261123']);
    expect(get(rows[1]!, 'payment_methods')).toBe('cash card');
    expect([get(rows[1]!, 'date'), get(rows[1]!, 'time')]).toEqual(['2026-11-23', '13:00:00']);
  });

  it('parseCsv keeps a last row without CRLF, empty fields, and a lone CR inside a field', () => {
    expect(parseCsv('a,,b\r\n"x""y",z')).toEqual([
      ['a', '', 'b'],
      ['x"y', 'z'],
    ]);
    expect(parseCsv('a\rb,c\r\n')).toEqual([['a\rb', 'c']]);
    expect(parseCsv('')).toEqual([]);
  });
});
