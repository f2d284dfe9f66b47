// Square Orders API → canonical sales. Money is integer minor units ({amount, currency}); line
// amounts already carry their share of order-level discounts (total_discount_money), so each line
// maps to quantity × unit (from gross_sales_money) − its discount, taxed by its one applied tax.
// Return orders (returns[]) become credit notes against returns[].source_order_id.
import Big from 'big.js';
import { z } from 'zod';
import type { PaymentMethod } from '../../domain/payment-means';
import type { OtherTax, Sale, SaleLine, Tax } from '../../domain/sale';
import { MAX_LEN } from '../../domain/limits';
import { formatKobo, type Kobo } from '../../domain/money';
import {
  buyerFrom,
  checkedSale,
  digStr,
  idField,
  isoTime,
  lineTaxes,
  mapEach,
  MapError,
  parseOptions,
  quantityText,
  saleCurrency,
  stringToBig,
  sum,
  taxFor,
  unitPriceFor,
  validate,
  type NotASale,
} from '../common';
import type { MapOptions, MapOptionsInput, MapOutcome } from '../outcome';

export const SQUARE_DEFAULT_TIN_FIELD = 'reference_id';

const Money = z.looseObject({ amount: z.number().int(), currency: z.string().regex(/^[A-Z]{3}$/) });
const AppliedTax = z.looseObject({ tax_uid: z.string(), applied_money: Money.optional() });
const OrderTax = z.looseObject({
  uid: z.string(),
  catalog_object_id: z.string().optional(),
  name: z.string().optional(),
  percentage: z.string().optional(),
  type: z.enum(['ADDITIVE', 'INCLUSIVE', 'UNKNOWN_TAX']).optional(),
});
const LineItem = z.looseObject({
  uid: z.string().optional(),
  name: z.string().optional(),
  variation_name: z.string().optional(),
  quantity: z.string(),
  gross_sales_money: Money.optional(),
  gross_return_money: Money.optional(),
  total_discount_money: Money.optional(),
  total_tax_money: Money.optional(),
  total_money: Money.optional(),
  applied_taxes: z.array(AppliedTax).optional(),
});
const ServiceCharge = z.looseObject({
  uid: z.string().optional(),
  name: z.string().optional(),
  amount_money: Money.optional(),
  applied_money: Money.optional(),
  total_money: Money.optional(),
  total_tax_money: Money.optional(),
  taxable: z.boolean().optional(),
  applied_taxes: z.array(AppliedTax).optional(),
});
const Tender = z.looseObject({ id: z.string().optional(), type: z.string(), amount_money: Money.optional(), tip_money: Money.optional() });
const Refund = z.looseObject({
  id: z.string().optional(),
  tender_id: z.string().optional(),
  amount_money: Money,
  status: z.string().optional(),
});
const Return = z.looseObject({
  source_order_id: z.string().optional(),
  return_line_items: z.array(LineItem).optional(),
  return_taxes: z.array(OrderTax).optional(),
  return_service_charges: z.array(ServiceCharge).optional(),
});
const Amounts = z.looseObject({ total_money: Money.optional(), tip_money: Money.optional() });
export const SquareOrderSchema = z.looseObject({
  id: z.string().min(1),
  location_id: z.string().optional(),
  state: z.enum(['OPEN', 'COMPLETED', 'CANCELED', 'DRAFT']),
  version: z.number().int().optional(),
  created_at: z.string(),
  closed_at: z.string().optional(),
  customer_id: z.string().optional(),
  line_items: z.array(LineItem).optional(),
  taxes: z.array(OrderTax).optional(),
  service_charges: z.array(ServiceCharge).optional(),
  tenders: z.array(Tender).optional(),
  returns: z.array(Return).optional(),
  refunds: z.array(Refund).optional(),
  return_amounts: Amounts.optional(),
  total_money: Money,
  total_tip_money: Money.optional(),
  rounding_adjustment: z.looseObject({ amount_money: Money.optional() }).optional(),
});
type SMoney = z.output<typeof Money>;

const TENDER_METHOD: Record<string, PaymentMethod> = {
  CARD: 'card',
  THIRD_PARTY_CARD: 'card',
  CASH: 'cash',
  BANK_ACCOUNT: 'transfer',
  WALLET: 'online',
  SQUARE_GIFT_CARD: 'online',
  BUY_NOW_PAY_LATER: 'online',
  SQUARE_ACCOUNT: 'online',
  EXTERNAL: 'transfer',
  OTHER: 'transfer',
};

/** Square payloads: an Order, a RetrieveOrder response {order}, a search/batch response {orders}, or an array. */
export function squareOrders(payload: unknown): unknown[] {
  if (Array.isArray(payload)) return payload;
  if (payload && typeof payload === 'object') {
    const o = payload as Record<string, unknown>;
    if (o.order && typeof o.order === 'object') return [o.order];
    if (Array.isArray(o.orders)) return o.orders;
  }
  return [payload];
}

export function mapSquare(payload: unknown, optionsInput?: MapOptionsInput): MapOutcome[] {
  const options = parseOptions(optionsInput);
  return mapEach('square', squareOrders(payload), idField('id'), (item) => mapOrder(item, options), squareEvent);
}

/** A webhook event body ({merchant_id, type, event_id, data}) names an order but is not one. */
function squareEvent(item: unknown): NotASale | undefined {
  if (!item || typeof item !== 'object' || !('event_id' in item) || !('data' in item)) return undefined;
  const type = digStr(item, 'type') ?? 'event';
  const object = item as Record<string, unknown>;
  const orderId =
    digStr(object, 'data', 'object', 'order_updated', 'order_id') ??
    digStr(object, 'data', 'object', 'order_created', 'order_id') ??
    digStr(object, 'data', 'object', 'payment', 'order_id') ??
    digStr(object, 'data', 'object', 'refund', 'order_id') ??
    (type.startsWith('order.') ? digStr(object, 'data', 'id') : undefined);
  return {
    saleId: orderId,
    reason: orderId
      ? `this is a Square webhook event (${type}), not an order — fetch order ${orderId} (GET /v2/orders/${orderId}) and ingest that`
      : `this is a Square webhook event (${type}) that names no order; nothing to invoice from it`,
  };
}

function mapOrder(item: unknown, options: MapOptions): MapOutcome[] {
  const order = validate(SquareOrderSchema, item, 'order');
  const base = {
    vendor: 'square' as const,
    vendorId: order.id,
    ...(order.version !== undefined ? { version: String(order.version) } : {}),
  };
  if (order.state !== 'COMPLETED') {
    const why = { OPEN: 'open (not yet completed)', DRAFT: 'a draft', CANCELED: 'cancelled' }[order.state];
    return [{ kind: 'skip', ...base, reason: `order is ${why}: not a sale` }];
  }
  const currency = order.total_money.currency;
  const fx = saleCurrency(currency, options, `order ${order.id}`);
  const money = (m: SMoney | undefined, what: string): Kobo => {
    if (!m) return 0;
    if (m.currency !== currency) throw new MapError(`${what}.currency: ${m.currency} differs from the order's ${currency}`);
    return m.amount;
  };
  if (money(order.rounding_adjustment?.amount_money, 'order.rounding_adjustment.amount_money') !== 0) {
    throw new MapError('order.rounding_adjustment: cash rounding changed what was charged; the invoice cannot carry a rounding line');
  }
  const hasSale = (order.line_items ?? []).length > 0;
  const returns = order.returns ?? [];
  if (hasSale && returns.length) throw new MapError('order: an exchange (sold and returned items in one order) needs a person to split it');

  const customer = order.customer_id ? (options.customers?.[order.customer_id] as Record<string, unknown> | undefined) : undefined;
  const buyer = buyerFrom(
    customer,
    options.tinField ?? SQUARE_DEFAULT_TIN_FIELD,
    typeof customer?.company_name === 'string' && customer.company_name
      ? customer.company_name
      : [customer?.given_name, customer?.family_name].filter((x) => typeof x === 'string').join(' '),
    { email: customer?.email_address as string | undefined, phone: customer?.phone_number as string | undefined },
    'customer',
  );
  const occurredAt = isoTime(order.closed_at ?? order.created_at, options, order.closed_at ? 'order.closed_at' : 'order.created_at');

  if (returns.length) {
    const sources = [...new Set(returns.map((r) => r.source_order_id))];
    if (sources.length !== 1 || !sources[0])
      throw new MapError('order.returns: a return must name exactly one source_order_id (unlinked returns need a person)');
    const lines: SaleLine[] = [];
    const charges: NonNullable<Sale['charges']> = [];
    returns.forEach((r, ri) => {
      (r.return_line_items ?? []).forEach((li, i) =>
        lines.push(mapLine(li, r.return_taxes ?? [], `order.returns[${ri}].return_line_items[${i}]`, money, options, 'gross_return_money')),
      );
      (r.return_service_charges ?? []).forEach((sc, i) =>
        charges.push(mapCharge(sc, r.return_taxes ?? [], `order.returns[${ri}].return_service_charges[${i}]`, money, options)),
      );
    });
    if (!lines.length) throw new MapError('order.returns: no return_line_items to credit');
    const total = order.return_amounts?.total_money
      ? money(order.return_amounts.total_money, 'order.return_amounts.total_money')
      : sum(
          (order.returns ?? []).flatMap((r) =>
            (r.return_line_items ?? []).map((li, i) => money(li.total_money, `return_line_items[${i}].total_money`)),
          ),
        );
    const tip = money(order.return_amounts?.tip_money, 'order.return_amounts.tip_money');
    const refunds = (order.refunds ?? []).filter((r) => r.status !== 'REJECTED' && r.status !== 'FAILED');
    const tenders = new Map((order.tenders ?? []).map((t) => [t.id, t.type]));
    const payments = refunds.length
      ? refunds.map((r, i) => ({
          method: methodFor(tenders.get(r.tender_id) ?? 'CARD'),
          amount: formatKobo(money(r.amount_money, `order.refunds[${i}].amount_money`)),
        }))
      : [{ method: 'card' as PaymentMethod, amount: formatKobo(total) }];
    const sale: Sale = {
      source: 'square',
      external_id: order.id,
      occurred_at: occurredAt,
      ...fx,
      lines,
      ...(charges.length ? { charges } : {}),
      ...(tip ? { tip: formatKobo(tip) } : {}),
      payments,
      customer: buyer,
      refund_of: sources[0],
    };
    return [{ kind: 'sale', ...base, sale: checkedSale(sale, total - tip, `order ${order.id}`).sale, payload: item }];
  }

  if (!hasSale) throw new MapError('order.line_items: a completed order with no line items and no returns');
  const lines = (order.line_items ?? []).map((li, i) =>
    mapLine(li, order.taxes ?? [], `order.line_items[${i}]`, money, options, 'gross_sales_money'),
  );
  const charges = (order.service_charges ?? []).map((sc, i) =>
    mapCharge(sc, order.taxes ?? [], `order.service_charges[${i}]`, money, options),
  );
  const total = money(order.total_money, 'order.total_money');
  const tip = money(order.total_tip_money, 'order.total_tip_money');
  const tenders = (order.tenders ?? []).filter((t) => t.type !== 'NO_SALE'); // NO_SALE: the drawer opened, nothing paid
  if (total === 0) return [{ kind: 'skip', ...base, reason: 'order total is zero: nothing to invoice' }];
  if (!tenders.length) throw new MapError('order.tenders: a completed order with a non-zero total has no tenders');
  const payments = tenders.map((t, i) => ({
    method: methodFor(t.type),
    amount: formatKobo(money(t.amount_money, `order.tenders[${i}].amount_money`)),
  }));
  const sale: Sale = {
    source: 'square',
    external_id: order.id,
    occurred_at: occurredAt,
    ...fx,
    lines,
    ...(charges.length ? { charges } : {}),
    ...(tip ? { tip: formatKobo(tip) } : {}),
    payments,
    customer: buyer,
    refund_of: null,
  };
  const outcomes: MapOutcome[] = [{ kind: 'sale', ...base, sale: checkedSale(sale, total - tip, `order ${order.id}`).sale, payload: item }];
  // A refund recorded on the sale itself (a payment refund, not an itemised return order) says
  // neither which items nor which VAT: a person must decide the credit note, never silently none.
  const refunded = (order.refunds ?? []).filter((r) => r.status !== 'REJECTED' && r.status !== 'FAILED');
  if (refunded.length) {
    const amount = sum(refunded.map((r, i) => money(r.amount_money, `order.refunds[${i}].amount_money`)));
    outcomes.push({
      kind: 'review',
      ...base,
      vendorId: `${order.id}:refund`,
      payload: item,
      reason: `order ${order.id}: refunds of ${formatKobo(amount)} without an itemised return order; a credit note needs its items (if a return order exists, its credit note covers this)`,
    });
  }
  return outcomes;
}

function methodFor(type: string): PaymentMethod {
  const m = TENDER_METHOD[type];
  if (!m) throw new MapError(`tenders[].type: unknown Square tender type "${type}"`);
  return m;
}

/** The taxes applied to an amount (each by the connection's tax mapping) → the canonical VAT and non-VAT taxes. */
function appliedTax(
  applied: z.output<typeof AppliedTax>[] | undefined,
  taxes: z.output<typeof OrderTax>[],
  options: MapOptions,
  what: string,
): { tax: Tax; other_taxes?: OtherTax[] } {
  const list = applied ?? [];
  if (list.length === 0) return { tax: taxFor(new Big(0), false, options, what) };
  const found = list.map((a, i) => {
    const tax = taxes.find((t) => t.uid === a.tax_uid);
    if (!tax) throw new MapError(`${what}.applied_taxes[${i}].tax_uid: "${a.tax_uid}" is not one of the order's taxes`);
    if (tax.percentage === undefined)
      throw new MapError(`${what}: tax "${tax.name ?? tax.uid}" has no percentage (fixed-amount taxes are not mapped)`);
    if (tax.type === 'UNKNOWN_TAX') throw new MapError(`${what}: tax "${tax.name ?? tax.uid}" has type UNKNOWN_TAX`);
    return tax;
  });
  const inclusive = found[0]!.type === 'INCLUSIVE';
  if (found.some((t) => (t.type === 'INCLUSIVE') !== inclusive))
    throw new MapError(`${what}.applied_taxes: an inclusive and an additive tax on one amount; needs a person`);
  return lineTaxes(
    found.map((t) => ({
      ids: [t.catalog_object_id, t.uid].filter((x): x is string => Boolean(x)),
      name: t.name,
      ratePercent: stringToBig(t.percentage!, `${what} tax percentage`),
    })),
    inclusive,
    options,
    what,
  );
}

function mapLine(
  li: z.output<typeof LineItem>,
  taxes: z.output<typeof OrderTax>[],
  what: string,
  money: (m: SMoney | undefined, what: string) => Kobo,
  options: MapOptions,
  grossField: 'gross_sales_money' | 'gross_return_money',
): SaleLine {
  const qty = stringToBig(li.quantity, `${what}.quantity`);
  const gross = money(li[grossField], `${what}.${grossField}`);
  if (!li[grossField]) throw new MapError(`${what}.${grossField}: missing`);
  const discount = money(li.total_discount_money, `${what}.total_discount_money`);
  const name =
    [li.name, li.variation_name && li.variation_name !== 'Regular' ? `(${li.variation_name})` : ''].filter(Boolean).join(' ').trim() ||
    'Item';
  return {
    name: name.slice(0, MAX_LEN.name),
    quantity: quantityText(qty, `${what}.quantity`),
    unit_price: unitPriceFor(gross, qty, what),
    ...(discount ? { discount: formatKobo(discount) } : {}),
    ...appliedTax(li.applied_taxes, taxes, options, what),
  };
}

function mapCharge(
  sc: z.output<typeof ServiceCharge>,
  taxes: z.output<typeof OrderTax>[],
  what: string,
  money: (m: SMoney | undefined, what: string) => Kobo,
  options: MapOptions,
): NonNullable<Sale['charges']>[number] {
  const amount = money(sc.applied_money ?? sc.amount_money, `${what}.applied_money`);
  if (!sc.applied_money && !sc.amount_money) throw new MapError(`${what}: no applied_money or amount_money`);
  const taxes_ =
    sc.taxable === false ? { tax: taxFor(new Big(0), false, options, what) } : appliedTax(sc.applied_taxes, taxes, options, what);
  return { name: (sc.name ?? 'Service charge').slice(0, MAX_LEN.name) || 'Service charge', amount: formatKobo(amount), ...taxes_ };
}
