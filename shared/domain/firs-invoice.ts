// Builds the FIRS/NRS MBS invoice JSON (body of /invoice/validate and /invoice/sign), NRS v1.1:
// invoice_kind; the supplier's postal address with state and LGA codes; the buyer party only for
// B2B/B2G; goods lines with hsn_code + product_category, service lines with isic_code +
// service_category; price_amount the tax-EXCLUSIVE unit price, so that on every line
//   invoiced_quantity × price_amount − discount_amount = line_extension_amount.
// Kobo rounding (VAT-inclusive prices): the exclusive unit price is rarely a whole kobo (₦1,075
// incl. 7.5% is ₦1,000.00 exactly, but ₦1,000 incl. is ₦930.2325…). price_amount is that price
// rounded UP to the kobo, and the few kobo it overstates the line by are carried in
// discount_amount (never negative, below one kobo per unit), so the identity holds exactly for
// whole quantities. For fractional quantities (weighed goods) quantity × price is itself not a
// whole kobo: discount_amount is then rounded half-up and the identity holds within half a kobo.
import Big from 'big.js';
import type { Business } from './business';
import type { Party, Sale } from './sale';
import type { LineTotals, SaleTotals } from './totals';
import { koboToMajorNumber as n, roundKobo, type Kobo } from './money';
import { PAYMENT_MEANS } from './payment-means';
import { toLagos } from './lagos-time';
import { invoiceKind, productCode, type InvoiceKind } from './buyer';
import { LINE_DISCOUNT_AMOUNT, LINE_DISCOUNT_RATE, priceUnit } from './firs-spellings';
import { HS_CODES, SERVICE_CODES } from '../firs-codes';

export const INVOICE_TYPE = { invoice: '381', creditNote: '380' } as const; // FIRS's list (swapped vs UNTDID 1001)

export interface FirsPostalAddress {
  street_name: string;
  city_name: string;
  postal_zone?: string;
  lga?: string;
  state?: string;
  country: string;
}

export interface FirsParty {
  party_name: string;
  tin?: string;
  email?: string;
  telephone?: string;
  business_description?: string;
  postal_address?: FirsPostalAddress;
}

/** Goods carry hsn_code + product_category; services isic_code + service_category (v1.1). */
export type FirsLineClassification =
  { hsn_code: string; product_category: string } | { isic_code: string; service_category: string } | Record<string, never>; // issued before the profile had a default: completed at send time

export type FirsInvoiceLine = FirsLineClassification & {
  [LINE_DISCOUNT_RATE]: number;
  [LINE_DISCOUNT_AMOUNT]: number;
  fee_rate: number;
  fee_amount: number;
  invoiced_quantity: number;
  line_extension_amount: number;
  item: { name: string; description: string; sellers_item_identification: string };
  price: { price_amount: number; base_quantity: number; price_unit: string };
};

export type FirsPaymentStatus = 'PAID' | 'PENDING' | 'PARTIAL';

export interface FirsInvoice {
  business_id: string;
  irn: string;
  issue_date: string;
  issue_time: string;
  invoice_type_code: string;
  invoice_kind: InvoiceKind;
  payment_status: FirsPaymentStatus;
  document_currency_code: string;
  tax_currency_code: string;
  /** Capture fidelity (#13): a foreign-currency sale states the NGN rate it was taxed at (UBL TaxExchangeRate). */
  tax_exchange_rate?: { source_currency_code: string; target_currency_code: 'NGN'; calculation_rate: number; date: string; source: string };
  note?: string;
  billing_reference?: { irn: string; issue_date: string }[];
  accounting_supplier_party: FirsParty;
  accounting_customer_party?: FirsParty;
  payment_means: { payment_means_code: string; payment_due_date: string }[];
  allowance_charge?: { charge_indicator: boolean; amount: number; reason?: string }[];
  tax_total: {
    tax_amount: number;
    tax_subtotal: { taxable_amount: number; tax_amount: number; tax_category: { id: string; percent: number } }[];
  }[];
  legal_monetary_total: {
    line_extension_amount: number;
    tax_exclusive_amount: number;
    tax_inclusive_amount: number;
    payable_amount: number;
  };
  invoice_line: FirsInvoiceLine[];
}

/** A code list description for a classification code (the refreshed lists in main, else shipped). */
export type DescribeCode = (list: 'hs-codes' | 'services-codes', code: string) => string | undefined;

const shippedDescription: DescribeCode = (list, code) =>
  list === 'hs-codes' ? HS_CODES.find((e) => e.hscode === code)?.description : SERVICE_CODES.find((e) => e.code === code)?.description;

export interface InvoiceContext {
  business: Business;
  irn: string;
  issuedAt: Date;
  original?: { irn: string; issue_date: string } | undefined;
  describe?: DescribeCode;
}

export function supplierParty(b: Business): FirsParty {
  return {
    party_name: b.name,
    tin: b.tin,
    email: b.email,
    ...(b.phone ? { telephone: b.phone } : {}),
    ...(b.street && b.city
      ? {
          postal_address: {
            street_name: b.street,
            city_name: b.city,
            ...(b.postal_zone ? { postal_zone: b.postal_zone } : {}),
            ...(b.lga ? { lga: b.lga } : {}),
            ...(b.state ? { state: b.state } : {}),
            country: b.country,
          },
        }
      : {}),
  };
}

function customerParty(p: Party): FirsParty {
  const a = p.address;
  return {
    party_name: p.name,
    ...(p.tin ? { tin: p.tin } : {}),
    ...(p.email ? { email: p.email } : {}),
    ...(p.phone ? { telephone: p.phone } : {}),
    ...(a
      ? {
          postal_address: {
            street_name: a.street,
            city_name: a.city,
            ...(a.postal_zone ? { postal_zone: a.postal_zone } : {}),
            ...(a.lga ? { lga: a.lga } : {}),
            ...(a.state ? { state: a.state } : {}),
            country: a.country,
          },
        }
      : {}),
  };
}

/** A line's classification: its own code, else the business default (none → completed at send). */
export function lineClassification(
  own: { hsCode?: string | undefined; isicCode?: string | undefined; serviceCategory?: string | undefined },
  b: Pick<Business, 'default_hs_code' | 'default_isic_code' | 'default_category'>,
  describe: DescribeCode = shippedDescription,
): FirsLineClassification {
  const goods = (code: string, fallback?: string) => ({
    hsn_code: code,
    product_category: describe('hs-codes', code) ?? fallback ?? `HS ${code}`,
  });
  const service = (code: string, fallback?: string) => ({
    isic_code: code,
    service_category: describe('services-codes', code) ?? fallback ?? `ISIC ${code}`,
  });
  if (own.hsCode) return goods(own.hsCode);
  // The catalogue's own category for the product comes first (issue 14), then the code list's.
  if (own.isicCode) return own.serviceCategory ? { isic_code: own.isicCode, service_category: own.serviceCategory } : service(own.isicCode);
  if (b.default_hs_code) return goods(b.default_hs_code, b.default_category);
  if (b.default_isic_code) return service(b.default_isic_code, b.default_category);
  return {};
}

/** price_amount (kobo), discount_amount (kobo) and discount_rate for one line; see the header. */
export function linePricing(l: Pick<LineTotals, 'quantity' | 'unitPriceExclusiveExact' | 'net' | 'discount' | 'unitPrice'>): {
  price: Kobo;
  discount: Kobo;
  rate: number;
} {
  const qty = new Big(l.quantity);
  const exact = new Big(l.unitPriceExclusiveExact);
  let price = Number(exact.round(0, Big.roundUp).toFixed(0));
  // Rounding of the extended amount can leave the net a kobo above qty × price: raise the price.
  const short = new Big(l.net).minus(qty.times(price));
  if (short.gt(0)) price += Number(short.div(qty).round(0, Big.roundUp).toFixed(0));
  const discount = roundKobo(qty.times(price).minus(l.net));
  // The percentage off, from the sale's own discount (the rounding carry alone is no discount).
  const listed = qty.times(l.unitPrice);
  const rate = l.discount > 0 && listed.gt(0) ? Number(new Big(l.discount).times(100).div(listed).toFixed(2)) : 0;
  return { price, discount, rate };
}

function paymentStatus(sale: Sale, totals: SaleTotals): FirsPaymentStatus {
  if (!sale.on_credit) return 'PAID';
  return totals.paid === 0 ? 'PENDING' : totals.paid >= totals.taxInclusive ? 'PAID' : 'PARTIAL';
}

export function buildFirsInvoice(sale: Sale, totals: SaleTotals, ctx: InvoiceContext): FirsInvoice {
  const when = toLagos(ctx.issuedAt);
  const methods = [...new Set(totals.payments.map((p) => PAYMENT_MEANS[p.method]))];
  const kind = invoiceKind(sale.customer);
  // B2C: no party (NRS: omit it for an anonymous buyer); a name given at the till goes in the note.
  const buyerNote = kind === 'B2C' && sale.customer?.name ? `Buyer: ${sale.customer.name}` : undefined;
  const note = [sale.note, buyerNote].filter(Boolean).join(' | ');
  const invoice: FirsInvoice = {
    business_id: ctx.business.business_id,
    irn: ctx.irn,
    issue_date: when.date,
    issue_time: when.time,
    invoice_type_code: ctx.original ? INVOICE_TYPE.creditNote : INVOICE_TYPE.invoice,
    invoice_kind: kind,
    payment_status: paymentStatus(sale, totals),
    document_currency_code: sale.currency,
    tax_currency_code: sale.exchange_rate ? 'NGN' : sale.currency,
    ...foreignCurrency(sale),
    ...(note ? { note } : {}),
    ...(ctx.original ? { billing_reference: [{ irn: ctx.original.irn, issue_date: ctx.original.issue_date }] } : {}),
    accounting_supplier_party: supplierParty(ctx.business),
    ...(kind !== 'B2C' && sale.customer ? { accounting_customer_party: customerParty(sale.customer) } : {}),
    // A credit sale paid nothing yet still names how it is to be paid: credit transfer (30), due today.
    payment_means: (methods.length ? methods : [PAYMENT_MEANS.transfer]).map((code) => ({
      payment_means_code: code,
      payment_due_date: when.date,
    })),
    ...(totals.charges.length
      ? { allowance_charge: totals.charges.map((c) => ({ charge_indicator: true, amount: n(c.net), reason: c.name })) }
      : {}),
    tax_total: [
      {
        tax_amount: n(totals.taxTotal),
        tax_subtotal: totals.subtotals.map((s) => ({
          taxable_amount: n(s.taxable),
          tax_amount: n(s.tax),
          tax_category: { id: s.category, percent: Number(s.rate) },
        })),
      },
      ...otherTaxTotals(totals),
    ],
    legal_monetary_total: {
      line_extension_amount: n(totals.lineExtension),
      tax_exclusive_amount: n(totals.taxExclusive),
      tax_inclusive_amount: n(totals.taxInclusive),
      payable_amount: n(totals.taxInclusive),
    },
    invoice_line: totals.lines.map((l): FirsInvoiceLine => {
      const p = linePricing(l);
      return {
        ...lineClassification(l, ctx.business, ctx.describe),
        [LINE_DISCOUNT_RATE]: p.rate,
        [LINE_DISCOUNT_AMOUNT]: n(p.discount),
        fee_rate: 0,
        fee_amount: 0,
        invoiced_quantity: Number(l.quantity),
        line_extension_amount: n(l.net),
        item: { name: l.name, description: l.name, sellers_item_identification: l.sku?.trim() || productCode(l.name) },
        price: { price_amount: n(p.price), base_quantity: 1, price_unit: priceUnit(sale.currency) },
      } as FirsInvoiceLine;
    }),
  };
  return invoice;
}

// ---- Capture fidelity (#13), kept apart from the invoice builder above ----

/** Non-VAT taxes (e.g. a consumption tax) as their own tax_total entries, one per FIRS category: outside the VAT total. */
function otherTaxTotals(totals: SaleTotals): FirsInvoice['tax_total'] {
  const categories = [...new Set(totals.otherSubtotals.map((s) => s.category))];
  return categories.map((category) => {
    const subs = totals.otherSubtotals.filter((s) => s.category === category);
    return {
      tax_amount: n(subs.reduce((a, s) => a + s.tax, 0)),
      tax_subtotal: subs.map((s) => ({
        taxable_amount: n(s.taxable),
        tax_amount: n(s.tax),
        tax_category: { id: category, percent: Number(s.rate) },
      })),
    };
  });
}

function foreignCurrency(sale: Sale): Pick<FirsInvoice, 'tax_exchange_rate'> {
  const x = sale.exchange_rate;
  if (!x) return {};
  return {
    tax_exchange_rate: {
      source_currency_code: sale.currency,
      target_currency_code: 'NGN',
      calculation_rate: Number(x.rate),
      date: x.date,
      source: x.source,
    },
  };
}
