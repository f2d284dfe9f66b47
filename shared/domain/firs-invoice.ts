// Builds the FIRS/NRS MBS invoice JSON (body of /invoice/validate and /invoice/sign).
import type { Business } from './business';
import type { Party, Sale } from './sale';
import type { SaleTotals } from './totals';
import { koboToMajorNumber as n } from './money';
import { PAYMENT_MEANS } from './payment-means';
import { toLagos } from './lagos-time';

export const INVOICE_TYPE = { invoice: '381', creditNote: '380' } as const; // FIRS's list (swapped vs UNTDID 1001)

export interface FirsParty {
  party_name: string;
  tin?: string;
  email?: string;
  telephone?: string;
  business_description?: string;
  postal_address?: { street_name: string; city_name: string; postal_zone?: string; state?: string; lga?: string; country: string };
}

export interface FirsInvoice {
  business_id: string;
  irn: string;
  issue_date: string;
  issue_time: string;
  invoice_type_code: string;
  payment_status: 'PAID' | 'PENDING';
  invoice_kind?: 'B2C' | 'B2B' | 'B2G';
  document_currency_code: string;
  tax_currency_code: string;
  note?: string;
  billing_reference?: { irn: string; issue_date: string }[];
  accounting_supplier_party: FirsParty;
  accounting_customer_party?: FirsParty;
  payment_means: { payment_means_code: string; payment_due_date: string }[];
  allowance_charge?: { charge_indicator: boolean; amount: number; reason?: string }[];
  tax_total: { tax_amount: number; tax_subtotal: { taxable_amount: number; tax_amount: number; tax_category: { id: string; percent: number } }[] }[];
  legal_monetary_total: { line_extension_amount: number; tax_exclusive_amount: number; tax_inclusive_amount: number; payable_amount: number };
  invoice_line: {
    hsn_code: string;
    product_category: string;
    discount_rate: number;
    discount_amount: number;
    fee_rate: number;
    fee_amount: number;
    invoiced_quantity: number;
    line_extension_amount: number;
    item: { name: string; description: string; sellers_item_identification: string };
    price: { price_amount: number; base_quantity: number; price_unit: string };
  }[];
}

export interface InvoiceContext {
  business: Business;
  irn: string;
  issuedAt: Date;
  original?: { irn: string; issue_date: string } | undefined;
  /** Item classification defaults until the product catalogue carries HS codes. */
  defaultHsnCode?: string;
  defaultProductCategory?: string;
}

function supplier(b: Business): FirsParty {
  return {
    party_name: b.name, tin: b.tin, email: b.email,
    ...(b.phone ? { telephone: b.phone } : {}),
    ...(b.street && b.city ? { postal_address: { street_name: b.street, city_name: b.city, ...(b.postal_zone ? { postal_zone: b.postal_zone } : {}), country: b.country } } : {}),
  };
}

function customer(p: Party): FirsParty {
  return {
    party_name: p.name,
    ...(p.tin ? { tin: p.tin } : {}),
    ...(p.email ? { email: p.email } : {}),
    ...(p.phone ? { telephone: p.phone } : {}),
    ...(p.address ? { postal_address: { street_name: p.address.street, city_name: p.address.city, ...(p.address.postal_zone ? { postal_zone: p.address.postal_zone } : {}), ...(p.address.state ? { state: p.address.state } : {}), ...(p.address.lga ? { lga: p.address.lga } : {}), country: p.address.country } } : {}),
  };
}

export function buildFirsInvoice(sale: Sale, totals: SaleTotals, ctx: InvoiceContext): FirsInvoice {
  const when = toLagos(ctx.issuedAt);
  const methods = [...new Set(totals.payments.map((p) => PAYMENT_MEANS[p.method]))];
  const invoice: FirsInvoice = {
    business_id: ctx.business.business_id,
    irn: ctx.irn,
    issue_date: when.date,
    issue_time: when.time,
    invoice_type_code: ctx.original ? INVOICE_TYPE.creditNote : INVOICE_TYPE.invoice,
    payment_status: sale.payment_status ?? 'PAID',
    ...(sale.invoice_kind ? { invoice_kind: sale.invoice_kind } : {}),
    document_currency_code: sale.currency,
    tax_currency_code: sale.currency,
    ...(sale.note ? { note: sale.note } : {}),
    ...(ctx.original ? { billing_reference: [{ irn: ctx.original.irn, issue_date: ctx.original.issue_date }] } : {}),
    accounting_supplier_party: supplier(ctx.business),
    ...(sale.customer ? { accounting_customer_party: customer(sale.customer) } : {}),
    payment_means: methods.map((code) => ({ payment_means_code: code, payment_due_date: when.date })),
    ...(totals.charges.length
      ? { allowance_charge: totals.charges.map((c) => ({ charge_indicator: true, amount: n(c.net), reason: c.name })) }
      : {}),
    tax_total: [
      {
        tax_amount: n(totals.taxTotal),
        tax_subtotal: totals.subtotals.map((s) => ({
          taxable_amount: n(s.taxable), tax_amount: n(s.tax), tax_category: { id: s.category, percent: Number(s.rate) },
        })),
      },
    ],
    legal_monetary_total: {
      line_extension_amount: n(totals.lineExtension),
      tax_exclusive_amount: n(totals.taxExclusive),
      tax_inclusive_amount: n(totals.taxInclusive),
      payable_amount: n(totals.taxInclusive),
    },
    invoice_line: totals.lines.map((l) => ({
      hsn_code: ctx.defaultHsnCode ?? 'CC-001',
      product_category: ctx.defaultProductCategory ?? 'General goods',
      discount_rate: 0,
      discount_amount: n(l.discount),
      fee_rate: 0,
      fee_amount: 0,
      invoiced_quantity: Number(l.quantity),
      line_extension_amount: n(l.net),
      item: { name: l.name, description: l.name, sellers_item_identification: l.sku ?? '' },
      price: { price_amount: n(l.unitPrice), base_quantity: 1, price_unit: `${sale.currency} per 1` },
    })),
  };
  return invoice;
}
