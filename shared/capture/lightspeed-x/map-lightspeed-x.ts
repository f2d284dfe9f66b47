// Lightspeed Retail X-Series (API 2.0) sales → canonical sales. Amounts are JSON numbers in major
// units; line `price` is the unit price after discount, excluding tax, `discount` the unit discount,
// `tax` the unit tax. Stores display prices either tax-exclusive or tax-inclusive and the API
// reports both the same way, so both readings are built and the one whose invoice equals what the
// till charged (total_price + total_tax) to the kobo is kept; neither → review. Returns carry
// negative quantities and `return_for` (the original sale id) and become credit notes.
import Big from 'big.js';
import { z } from 'zod';
import type { OtherTax, Sale, SaleLine, Tax } from '../../domain/sale';
import { MAX_LEN } from '../../domain/limits';
import { formatKobo, roundKobo } from '../../domain/money';
import {
  amountToBig,
  buyerFrom,
  checkedSale,
  dig,
  digStr,
  idField,
  isoTime,
  lineTaxes,
  mapEach,
  MapError,
  parseOptions,
  quantityText,
  saleCurrency,
  sum,
  toKobo,
  unitPriceFor,
  validate,
  type NotASale,
  type VendorTax,
} from '../common';
import { methodByName, type MapOptions, type MapOptionsInput, type MapOutcome } from '../outcome';

export const LIGHTSPEED_X_DEFAULT_TIN_FIELD = 'custom_field_1';

/** Statuses of a finished sale; everything else (SAVED, LAYBY, ONACCOUNT, VOIDED, AWAITING_*) is not (yet) a sale. */
const COMPLETED = new Set(['CLOSED', 'ONACCOUNT_CLOSED', 'LAYBY_CLOSED', 'DISPATCHED_CLOSED', 'PICKED_UP_CLOSED', 'SERVICE_CLOSED']);

const Num = z.union([z.number(), z.string()]);
const LineItem = z.looseObject({
  id: z.string().optional(),
  product_id: z.string().nullish(),
  tax_id: z.string().nullish(),
  name: z.string().nullish(),
  quantity: Num,
  price: Num,
  discount: Num.nullish(),
  tax: Num.nullish(),
  price_total: Num.nullish(),
  tax_total: Num.nullish(),
  status: z.string().nullish(),
  tax_components: z.array(z.looseObject({ rate_id: z.string().nullish(), total_tax: Num.nullish() })).nullish(),
});
const Payment = z.looseObject({ name: z.string().nullish(), amount: Num });
export const LightspeedXSaleSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string(),
  sale_date: z.string().nullish(),
  created_at: z.string(),
  customer_id: z.string().nullish(),
  return_for: z.string().nullish(),
  version: z.union([z.number(), z.string()]).nullish(),
  invoice_number: z.string().nullish(),
  line_items: z.array(LineItem),
  payments: z.array(Payment).nullish(),
  total_price: Num,
  total_tax: Num,
  total_surcharge: Num.nullish(),
  ecom_custom_charges: z.looseObject({ total: Num.nullish() }).nullish(),
  deleted_at: z.string().nullish(),
  /** Sale-level tax summary; some responses name the taxes here (id, name, rate). */
  taxes: z.array(z.looseObject({ id: z.string().nullish(), name: z.string().nullish(), rate: Num.nullish() })).nullish(),
});
type XSale = z.output<typeof LightspeedXSaleSchema>;
type XLine = z.output<typeof LineItem>;

/** A Sale, a {"data": Sale} response, a page {"data": [Sale…]} or an array (0.9 {"register_sales": […]} is split to be named). */
export function lightspeedXSales(payload: unknown): unknown[] {
  if (Array.isArray(payload)) return payload;
  const legacy = dig(payload, 'register_sales');
  if (Array.isArray(legacy)) return legacy;
  if (payload && typeof payload === 'object' && 'data' in payload) {
    const d = (payload as { data: unknown }).data;
    return Array.isArray(d) ? d : [d];
  }
  return [payload];
}

export function mapLightspeedX(payload: unknown, optionsInput?: MapOptionsInput): MapOutcome[] {
  const options = parseOptions(optionsInput);
  return mapEach('lightspeed-x', lightspeedXSales(payload), idField('id'), (item) => mapSale(item, options), lightspeedXNotASale);
}

/**
 * A webhook delivery (form fields {type, payload}: the JSON sale in API 0.9 shape) or an API 0.9
 * register sale (register_sale_products, decimal strings): not the API 2.0 sale the mapper reads.
 */
function lightspeedXNotASale(item: unknown): NotASale | undefined {
  if (!item || typeof item !== 'object') return undefined;
  const hook = item as Record<string, unknown>;
  if (typeof hook.payload === 'string' && typeof hook.type === 'string') {
    let id: string | undefined;
    try {
      id = digStr(JSON.parse(hook.payload), 'id');
    } catch {
      id = undefined;
    }
    return {
      saleId: id,
      reason: `this is a Lightspeed X webhook event (${hook.type}), not a sale — fetch sale ${id ?? '(id in its payload)'} from API 2.0 (GET /api/2.0/sales/${id ?? '{id}'}) and ingest that`,
    };
  }
  if ('register_sale_products' in hook || 'register_sale_payments' in hook) {
    const id = digStr(hook, 'id');
    return {
      saleId: id,
      reason: `this is a Lightspeed X API 0.9 payload (register_sale) — fetch sale ${id ?? '(no id)'} from API 2.0 (GET /api/2.0/sales/${id ?? '{id}'}) and ingest that`,
    };
  }
  return undefined;
}

interface PreparedLine {
  what: string;
  line: XLine;
  q: Big;
  price: Big;
  disc: Big;
  net: Big;
  tax: Big;
  name: string;
  kind: 'item' | 'tip' | 'charge';
  /** All taxes' rates together (for reading prices as tax-inclusive), and the mapped taxes. */
  rate: Big;
  taxes: { tax: Tax; other_taxes?: OtherTax[] };
}

function mapSale(item: unknown, options: MapOptions): MapOutcome[] {
  const sale = validate(LightspeedXSaleSchema, item, 'sale');
  const base = { vendor: 'lightspeed-x' as const, vendorId: sale.id, ...(sale.version != null ? { version: String(sale.version) } : {}) };
  // Deleted sales are never sales; one deleted after invoicing becomes a review in the sink.
  if (sale.deleted_at)
    return [{ kind: 'skip', ...base, reason: `sale was deleted in Lightspeed (deleted_at ${sale.deleted_at})`, withdrawn: true }];
  if (sale.status === 'VOIDED') return [{ kind: 'skip', ...base, reason: 'sale status VOIDED is not a completed sale', withdrawn: true }];
  if (!COMPLETED.has(sale.status)) return [{ kind: 'skip', ...base, reason: `sale status ${sale.status} is not a completed sale` }];
  const fx = saleCurrency(undefined, options, `sale ${sale.id}`);
  const big = (v: number | string | null | undefined, what: string) => (v == null ? new Big(0) : amountToBig(v, what));
  if (!big(sale.total_surcharge, 'sale.total_surcharge').eq(0))
    throw new MapError('sale.total_surcharge: payment surcharges are not mapped; needs a person');
  if (!big(sale.ecom_custom_charges?.total, 'sale.ecom_custom_charges.total').eq(0))
    throw new MapError('sale.ecom_custom_charges: e-commerce custom charges are not mapped; needs a person');

  const charged = big(sale.total_price, 'sale.total_price').plus(big(sale.total_tax, 'sale.total_tax'));
  const credit = charged.lt(0);
  const lines = sale.line_items.filter((l) => l.status !== 'VOIDED');
  if (!lines.length) throw new MapError('sale.line_items: a completed sale with no (unvoided) lines');
  const prepared: PreparedLine[] = lines.map((li, i) => {
    const what = `sale.line_items[${sale.line_items.indexOf(li)}]`;
    const qty = big(li.quantity, `${what}.quantity`);
    if (qty.eq(0)) throw new MapError(`${what}.quantity: 0`);
    if (qty.lt(0) !== credit)
      throw new MapError(`${what}.quantity: ${qty.toString()} — a sale mixing sold and returned items (an exchange) needs a person`);
    const q = qty.abs();
    const price = big(li.price, `${what}.price`);
    const disc = big(li.discount, `${what}.discount`);
    const net = li.price_total != null ? big(li.price_total, `${what}.price_total`).abs() : price.times(q);
    const tax = li.tax_total != null ? big(li.tax_total, `${what}.tax_total`).abs() : big(li.tax, `${what}.tax`).times(q);
    const taxes = lineTaxes(vendorTaxes(li, sale, net, tax, what), false, options, what);
    const rate = [taxes.tax.rate, ...(taxes.other_taxes ?? []).map((o) => o.rate)].reduce((a, r) => a.plus(r), new Big(0));
    const kind =
      li.product_id && options.tipProductIds.includes(li.product_id)
        ? 'tip'
        : li.product_id && options.serviceChargeProductIds.includes(li.product_id)
          ? 'charge'
          : 'item';
    if (kind === 'tip' && !tax.eq(0)) throw new MapError(`${what}: the tip product carries tax ${tax.toString()}; tips are not taxable`);
    const name = (li.name ?? (li.product_id ? options.productNames?.[li.product_id] : undefined) ?? `Item ${li.product_id ?? i + 1}`).slice(
      0,
      MAX_LEN.name,
    );
    return { what, line: li, q, price, disc, net, tax, rate, taxes, name, kind };
  });
  const tip = sum(prepared.filter((p) => p.kind === 'tip').map((p) => roundKobo(p.net.times(100))));
  const expected = toKobo(charged.abs().round(2, Big.roundHalfUp), 'sale total') - tip;
  if (!charged.abs().eq(charged.abs().round(2))) throw new MapError(`sale: total ${charged.toString()} is not a whole number of kobo`);

  const payments = (sale.payments ?? []).map((p, i) => ({
    method: methodByName(p.name ?? '', options),
    amount: formatKobo(toKobo(big(p.amount, `sale.payments[${i}].amount`).abs(), `sale.payments[${i}].amount`)),
  }));
  if (!payments.length) {
    if (expected === 0) return [{ kind: 'skip', ...base, reason: 'sale has a zero total and no payments' }];
    throw new MapError('sale.payments: a completed sale with a non-zero total has no payments');
  }
  let refundOf: string | null = null;
  if (credit) {
    if (!sale.return_for) throw new MapError('sale.return_for: a return that does not name its original sale cannot reference an invoice');
    refundOf = sale.return_for;
  }
  const customer = sale.customer_id ? (options.customers?.[sale.customer_id] as Record<string, unknown> | undefined) : undefined;
  const buyer = buyerFrom(
    customer,
    options.tinField ?? LIGHTSPEED_X_DEFAULT_TIN_FIELD,
    (customer?.company_name as string | undefined) ||
      [customer?.first_name, customer?.last_name].filter((x) => typeof x === 'string' && x).join(' '),
    { email: customer?.email as string | undefined, phone: (customer?.mobile ?? customer?.phone) as string | undefined },
    'customer',
  );

  const build = (inclusive: boolean): Sale => {
    const items: SaleLine[] = [];
    const charges: NonNullable<Sale['charges']> = [];
    for (const p of prepared.filter((x) => x.kind !== 'tip')) {
      const taxes = { ...p.taxes, tax: { ...p.taxes.tax, inclusive } };
      const factor = inclusive ? p.rate.plus(100).div(100) : new Big(1);
      // Shelf price before discount, and what the line came to (incl. tax when inclusive), in kobo.
      const extended = roundKobo(p.price.plus(p.disc).times(p.q).times(factor).times(100));
      const after = inclusive ? roundKobo(p.net.plus(p.tax).times(100)) : roundKobo(p.net.times(100));
      const discount = extended - after;
      if (discount < 0) throw new MapError(`${p.what}: the line came to more than its price (negative discount ${formatKobo(discount)})`);
      if (p.kind === 'charge') {
        charges.push({ name: p.name, amount: formatKobo(after), ...taxes });
      } else {
        items.push({
          name: p.name,
          quantity: quantityText(p.q, `${p.what}.quantity`),
          unit_price: unitPriceFor(extended, p.q, p.what),
          ...(discount ? { discount: formatKobo(discount) } : {}),
          ...taxes,
        });
      }
    }
    if (!items.length) throw new MapError('sale.line_items: only tip/service-charge lines');
    return {
      source: 'lightspeed-x',
      external_id: sale.id,
      occurred_at: isoTime(sale.sale_date ?? sale.created_at, options, 'sale.sale_date'),
      ...fx,
      lines: items,
      ...(charges.length ? { charges } : {}),
      ...(tip ? { tip: formatKobo(tip) } : {}),
      payments,
      customer: buyer,
      refund_of: refundOf,
    };
  };
  let mapped: Sale;
  try {
    mapped = checkedSale(build(false), expected, `sale ${sale.id} (prices excluding tax)`).sale;
  } catch (exclusiveError) {
    if (!(exclusiveError instanceof MapError)) throw exclusiveError;
    try {
      mapped = checkedSale(build(true), expected, `sale ${sale.id} (prices including tax)`).sale;
    } catch (inclusiveError) {
      if (!(inclusiveError instanceof MapError)) throw inclusiveError;
      throw new MapError(`${exclusiveError.message}; ${inclusiveError.message}`);
    }
  }
  return [{ kind: 'sale', ...base, sale: mapped, payload: item }];
}

/**
 * The line's taxes for the tax mapping: one per tax component (a group tax has several, each
 * with its rate id), else the line's tax_id. X-Series sales carry no rates; names come from the
 * sale's `taxes` summary when it has them. An untaxed line (no tax charged, no mapping) has none.
 */
function vendorTaxes(li: XLine, sale: XSale, net: Big, tax: Big, what: string): VendorTax[] {
  const named = (id: string | null | undefined) => (id ? sale.taxes?.find((t) => t.id === id) : undefined);
  const rateOfSummary = (id: string | null | undefined, w: string) => {
    const r = named(id)?.rate;
    if (r == null) return undefined;
    const b = amountToBig(r, w);
    return b.lte(1) && !b.eq(0) ? b.times(100) : b; // some responses give fractions (0.075)
  };
  if (net.eq(0) && tax.eq(0)) return []; // a free line: nothing charged, nothing to declare
  const components = (li.tax_components ?? []).filter((c) => c.rate_id);
  if (components.length > 1) {
    return components.map((c, i) => ({
      ids: [c.rate_id!],
      name: named(c.rate_id)?.name ?? undefined,
      ratePercent: rateOfSummary(c.rate_id, `${what}.tax_components[${i}]`),
    }));
  }
  const ids = [components[0]?.rate_id, li.tax_id].filter((x): x is string => Boolean(x));
  if (!ids.length) {
    if (tax.eq(0)) return [];
    throw new MapError(`${what}: tax ${tax.toString()} charged but the line names no tax_id`);
  }
  const summary = named(ids[0]) ?? named(ids[1]);
  const ratePercent = rateOfSummary(summary?.id, `${what} tax rate`);
  // Untaxed lines still name the outlet's "No tax" tax id: nothing charged on a priced line is no tax.
  return [{ ids, name: summary?.name ?? undefined, ratePercent: ratePercent ?? (tax.eq(0) && !net.eq(0) ? new Big(0) : undefined) }];
}
