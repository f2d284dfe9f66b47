// The fiscal receipt as data: everything the customer and an inspector must see, computed once
// from an issued invoice (pure: no I/O, no clock). Layouts and printers only arrange it.
import type { Business } from '../domain/business';
import type { Sale } from '../domain/sale';
import { computeTotals } from '../domain/totals';
import { invoiceKind } from '../domain/buyer';
import { toLagos } from '../domain/lagos-time';
import type { Kobo } from '../domain/money';
import type { PaymentMethod } from '../domain/payment-means';

/** The fields of an IssuedInvoice (main/ledger/ledger.ts) a receipt needs. */
export interface ReceiptSource {
  counter: number;
  irn: string;
  invoice_number: string;
  type: string; // '381' invoice, '380' credit note (FIRS's list)
  issued_at: number; // unix seconds
  currency: string;
  qr: string;
  hash: string;
  status: string; // report status: 'reported' or a pending/failed state
  original_irn: string | null;
  sale: Sale;
}

export type ReportState = 'reported' | 'pending';

export interface ReceiptLine {
  name: string;
  quantity: string;
  unitPrice: Kobo;
  extended: Kobo; // quantity × unit price, as priced (before discount)
  discount: Kobo;
}

export interface ReceiptTax {
  label: string; // "VAT 7.5%", "VAT 0% (zero-rated)", "VAT exempt"
  taxable: Kobo;
  tax: Kobo;
}

export interface Receipt {
  seller: { name: string; tin: string; address: string | null; phone: string | null; email: string };
  terminal: string;
  invoiceNumber: string;
  irn: string;
  date: string; // Lagos YYYY-MM-DD
  time: string; // Lagos HH:MM:SS
  creditNote: { originalIrn: string } | null;
  copy: boolean;
  lines: ReceiptLine[];
  charges: { name: string; amount: Kobo }[];
  taxes: ReceiptTax[];
  net: Kobo;
  tax: Kobo;
  total: Kobo;
  tip: Kobo;
  payments: { method: PaymentMethod; label: string; amount: Kobo }[];
  change: Kobo;
  cashPaid: boolean;
  currency: string;
  buyer: { name: string; tin: string; address: string | null; email: string | null; phone: string | null } | null;
  qr: string;
  report: ReportState;
  /**
   * B2B/B2G invoices are cleared (validated and signed by the platform) before they are final for
   * the buyer: 'cleared' once signed, 'awaiting' until then (issued offline, or being cleared);
   * null for B2C receipts, which are reported.
   */
  clearance: 'cleared' | 'awaiting' | null;
  chain: { counter: number; fragment: string };
  note: string | null;
  /** The cashier who issued it (shops with cashier PINs), else null. */
  cashier: string | null;
  /** Demo store invoices are never reported: the receipt says so instead of promising a report. */
  demo?: boolean;
}

export const PAYMENT_LABELS: Record<PaymentMethod, string> = {
  cash: 'Cash',
  cheque: 'Cheque',
  transfer: 'Transfer',
  card: 'Card',
  direct_debit: 'Direct debit',
  online: 'Online',
};

/** Characters of the chain hash printed on the receipt (Portugal prints 4 of its signature). */
export const CHAIN_FRAGMENT_LENGTH = 12;

function taxLabel(category: string, rate: string): string {
  switch (category) {
    case 'ZERO_VAT':
      return 'VAT 0% (zero-rated)';
    case 'EXEMPTED':
      return 'VAT exempt';
    case 'REDUCED_VAT':
      return `VAT ${rate}% (reduced)`;
    default:
      return `VAT ${rate}%`;
  }
}

function joinAddress(parts: (string | undefined)[]): string | null {
  const s = parts.filter((p): p is string => Boolean(p && p.trim())).join(', ');
  return s || null;
}

export function buildReceipt(invoice: ReceiptSource, business: Business, options: { copy?: boolean } = {}): Receipt {
  const sale = invoice.sale;
  const totals = computeTotals(sale);
  const lagos = toLagos(new Date(invoice.issued_at * 1000));
  const lines = totals.lines.map((l, i): ReceiptLine => {
    const inclusive = sale.lines[i]!.tax.inclusive;
    return {
      name: l.name,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      discount: l.discount,
      extended: (inclusive ? l.gross : l.net) + l.discount,
    };
  });
  const charges = totals.charges.map((c, i) => ({ name: c.name, amount: sale.charges![i]!.tax.inclusive ? c.gross : c.net }));
  const customer = sale.customer ?? null;
  return {
    seller: {
      name: business.name,
      tin: business.tin,
      email: business.email,
      phone: business.phone ?? null,
      address: joinAddress([business.street, business.city]),
    },
    terminal: business.terminal,
    invoiceNumber: invoice.invoice_number,
    irn: invoice.irn,
    date: lagos.date,
    time: lagos.time,
    creditNote: invoice.type === '380' ? { originalIrn: invoice.original_irn ?? '(unknown)' } : null,
    copy: options.copy === true,
    lines,
    charges,
    taxes: [
      ...totals.subtotals.map((s) => ({ label: taxLabel(s.category, s.rate), taxable: s.taxable, tax: s.tax })),
      // Non-VAT taxes (e.g. a consumption tax): listed by name, outside the VAT figure, inside the total.
      ...totals.otherSubtotals.map((s) => ({ label: `${s.name} ${s.rate}%`, taxable: s.taxable, tax: s.tax })),
    ],
    net: totals.taxExclusive,
    tax: totals.taxTotal,
    total: totals.taxInclusive,
    tip: totals.tip,
    payments: totals.payments.map((p) => ({ method: p.method, label: PAYMENT_LABELS[p.method], amount: p.amount })),
    change: totals.change,
    cashPaid: totals.payments.some((p) => p.method === 'cash' && p.amount > 0),
    currency: sale.currency,
    // B2B: the buyer is printed when it has a TIN (what makes the invoice B2B in the ledger).
    buyer: customer?.tin
      ? {
          name: customer.name,
          tin: customer.tin,
          email: customer.email ?? null,
          phone: customer.phone ?? null,
          address: customer.address
            ? joinAddress([customer.address.street, customer.address.city, customer.address.state, customer.address.country])
            : null,
        }
      : null,
    qr: invoice.qr,
    report: invoice.status === 'reported' ? 'reported' : 'pending',
    clearance: invoiceKind(customer) === 'B2C' ? null : invoice.status === 'reported' ? 'cleared' : 'awaiting',
    chain: { counter: invoice.counter, fragment: invoice.hash.slice(0, CHAIN_FRAGMENT_LENGTH) },
    note: sale.note ?? null,
    cashier: sale.cashier ?? null,
    ...(sale.source === 'demo' ? { demo: true } : {}),
  };
}
