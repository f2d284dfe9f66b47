// CSV export of invoices (RFC 4180: CRLF rows, fields with , " CR LF quoted, quotes doubled).
// Credit notes carry negative amounts so a spreadsheet SUM equals the day's net figures.
// Text cells that a spreadsheet would run as a formula (= + - @) are prefixed with '.
import { formatKobo } from '../domain/money';
import type { Sale } from '../domain/sale';
import { toLagos } from '../domain/lagos-time';
import { CREDIT_NOTE, type ReportInvoice } from './day-summary';

export const CSV_COLUMNS = [
  'date',
  'time',
  'invoice_number',
  'irn',
  'type',
  'source',
  'external_id',
  'customer',
  'customer_tin',
  'b2b',
  'net',
  'vat',
  'total',
  'tip',
  'payment_methods',
  'report_status',
  'original_irn',
] as const;

export interface CsvInvoice extends ReportInvoice {
  b2b: boolean;
  external_id: string;
  original_irn: string | null;
  sale: Sale;
}

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function text(value: string | null | undefined): string {
  const v = value ?? '';
  return csvField(/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
}

function amount(kobo: number, sign: number): string {
  const v = sign * kobo;
  return v < 0 ? `-${formatKobo(-v)}` : formatKobo(v);
}

/** The header line, CRLF-terminated. */
export const CSV_HEADER = `${CSV_COLUMNS.join(',')}\r\n`;

/** One invoice's line, CRLF-terminated (an export streams these after CSV_HEADER). */
export function csvRow(inv: CsvInvoice): string {
  const sign = inv.type === CREDIT_NOTE ? -1 : 1;
  const at = toLagos(new Date(inv.issued_at * 1000));
  return `${[
    at.date,
    at.time,
    text(inv.invoice_number),
    text(inv.irn),
    inv.type === CREDIT_NOTE ? 'credit_note' : 'invoice',
    text(inv.source),
    text(inv.external_id),
    text(inv.sale.customer?.name),
    text(inv.sale.customer?.tin),
    inv.b2b ? 'B2B' : 'B2C',
    amount(inv.net_kobo, sign),
    amount(inv.tax_kobo, sign),
    amount(inv.payable_kobo, sign),
    amount(inv.tip_kobo, sign),
    text([...new Set(inv.sale.payments.map((p) => p.method))].join(' ')),
    text(inv.status),
    text(inv.original_irn),
  ].join(',')}\r\n`;
}

export function invoicesToCsv(invoices: readonly CsvInvoice[]): string {
  return CSV_HEADER + invoices.map(csvRow).join('');
}

/** Parses RFC 4180 text back into rows (used by tests and by anyone re-importing an export). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
