// Toast Orders API (v2) → canonical sales. Amounts are JSON numbers in major units, parsed from
// their shortest text (never multiplied as floats). Orders carry no currency: it is the
// restaurant's (options.currency). One order (all its live checks) is one sale: each selection is
// preDiscountPrice less its discounts (price) with its applied tax, service charges are charges,
// gratuity service charges and payment tips are the tip. Refunds recorded on the order's payments
// (refund.refundAmount) with the refunded selections (refundDetails) become a credit note
// "<order guid>:refund" against the order.
import Big from 'big.js';
import { z } from 'zod';
import type { PaymentMethod } from '../../domain/payment-means';
import type { OtherTax, Sale, SaleLine, Tax } from '../../domain/sale';
import { MAX_LEN } from '../../domain/limits';
import { formatKobo, type Kobo } from '../../domain/money';
import {
  buyerFrom,
  checkedSale,
  dig,
  digStr,
  idField,
  isoTime,
  kobo,
  lineTaxes,
  mapEach,
  MapError,
  numberToBig,
  parseOptions,
  quantityText,
  saleCurrency,
  taxFor,
  unitPriceFor,
  validate,
  type NotASale,
  type VendorTax,
} from '../common';
import type { MapOptions, MapOptionsInput, MapOutcome } from '../outcome';

/** Toast customers have no tax-id field: without tinField configured, Toast sales are B2C. */
export const TOAST_DEFAULT_TIN_FIELD: string | undefined = undefined;

const AppliedTax = z.looseObject({
  name: z.string().nullish(),
  rate: z.number().nullish(),
  taxAmount: z.number().nullish(),
  type: z.string().nullish(),
  taxRate: z.looseObject({ guid: z.string().nullish() }).nullish(),
});
const Selection = z.looseObject({
  guid: z.string().optional(),
  displayName: z.string().nullish(),
  quantity: z.number(),
  price: z.number(),
  preDiscountPrice: z.number().nullish(),
  tax: z.number().nullish(),
  taxInclusion: z.enum(['INCLUDED', 'NOT_INCLUDED', 'INHERITED']).nullish(),
  appliedTaxes: z.array(AppliedTax).nullish(),
  voided: z.boolean().nullish(),
  refundDetails: z.looseObject({ refundAmount: z.number().nullish(), taxRefundAmount: z.number().nullish() }).nullish(),
});
const ServiceCharge = z.looseObject({
  name: z.string().nullish(),
  chargeAmount: z.number(),
  gratuity: z.boolean().nullish(),
  taxable: z.boolean().nullish(),
  appliedTaxes: z.array(AppliedTax).nullish(),
});
const Payment = z.looseObject({
  guid: z.string().optional(),
  type: z.string(),
  amount: z.number(),
  tipAmount: z.number().nullish(),
  paymentStatus: z.string().nullish(),
  refundStatus: z.string().nullish(),
  refund: z.looseObject({ refundAmount: z.number().nullish(), tipRefundAmount: z.number().nullish() }).nullish(),
});
const Check = z.looseObject({
  guid: z.string().optional(),
  voided: z.boolean().nullish(),
  deleted: z.boolean().nullish(),
  paymentStatus: z.string().nullish(),
  selections: z.array(Selection).nullish(),
  appliedServiceCharges: z.array(ServiceCharge).nullish(),
  payments: z.array(Payment).nullish(),
  amount: z.number().nullish(),
  taxAmount: z.number().nullish(),
  totalAmount: z.number(),
  customer: z.record(z.string(), z.unknown()).nullish(),
});
export const ToastOrderSchema = z.looseObject({
  guid: z.string().min(1),
  voided: z.boolean().nullish(),
  deleted: z.boolean().nullish(),
  openedDate: z.string().nullish(),
  closedDate: z.string().nullish(),
  paidDate: z.string().nullish(),
  modifiedDate: z.string().nullish(),
  createdDate: z.string().nullish(),
  checks: z.array(Check),
});
type Sel = z.output<typeof Selection>;

const PAYMENT: Record<string, PaymentMethod> = {
  CASH: 'cash',
  CREDIT: 'card',
  DEBIT: 'card',
  GIFTCARD: 'online',
  REWARDCARD: 'online',
  LEVELUP: 'online',
  HOUSE_ACCOUNT: 'transfer',
  OTHER: 'online',
};
const DEAD_PAYMENT = new Set(['VOIDED', 'CANCELLED', 'DENIED', 'ERROR', 'ERROR_NETWORK', 'PROCESSING_VOID']);

/** An Order, an array of Orders (ordersBulk), or a webhook body {details: {order}}. */
export function toastOrders(payload: unknown): unknown[] {
  if (Array.isArray(payload)) return payload;
  const details = payload && typeof payload === 'object' ? (payload as { details?: { order?: unknown } }).details : undefined;
  if (details?.order) return [details.order];
  return [payload];
}

export function mapToast(payload: unknown, optionsInput?: MapOptionsInput): MapOutcome[] {
  const options = parseOptions(optionsInput);
  return mapEach('toast', toastOrders(payload), idField('guid'), (item) => mapEitherInclusion(item, options), toastEvent);
}

/** A webhook body ({eventCategory, eventType, details}) without the order in it: fetch the order. */
function toastEvent(item: unknown): NotASale | undefined {
  if (!item || typeof item !== 'object' || !('eventType' in item) || !('details' in item)) return undefined;
  const type = digStr(item, 'eventType') ?? 'event';
  const orderGuid =
    digStr(item, 'details', 'orderGuid') ??
    digStr(item, 'details', 'order', 'guid') ??
    (dig(item, 'eventCategory') === 'orders' ? digStr(item, 'guid') : undefined);
  return {
    saleId: orderGuid,
    reason: orderGuid
      ? `this is a Toast webhook event (${type}) without the order — fetch order ${orderGuid} (GET /orders/v2/orders/${orderGuid}) and ingest that`
      : `this is a Toast webhook event (${type}) that names no order; nothing to invoice from it`,
  };
}

/**
 * taxInclusion INHERITED means "as the menu item is configured", which the order does not say:
 * read it as tax-added first, then as tax-included; keep the reading that reproduces Toast's totals.
 */
function mapEitherInclusion(item: unknown, options: MapOptions): MapOutcome[] {
  try {
    return mapOrder(item, options, false);
  } catch (e) {
    if (!(e instanceof MapError) || !JSON.stringify(item).includes('"INHERITED"')) throw e;
    try {
      return mapOrder(item, options, true);
    } catch (e2) {
      if (!(e2 instanceof MapError)) throw e2;
      throw new MapError(`${e.message}; reading INHERITED as tax-included: ${e2.message}`);
    }
  }
}

/** The taxes actually charged (a zero-rate, zero-amount entry charges nothing). */
function liveTaxes(taxes: z.output<typeof AppliedTax>[] | null | undefined): z.output<typeof AppliedTax>[] {
  return (taxes ?? []).filter((t) => (t.taxAmount ?? 0) !== 0 || (t.rate ?? 0) !== 0);
}

/**
 * Applied taxes → vendor taxes for the tax mapping (by the TaxRate GUID, then the name). Toast
 * rates are fractions (0.075); a value above 1 is taken as a percentage already.
 */
function vendorTaxes(taxes: z.output<typeof AppliedTax>[] | null | undefined, what: string): VendorTax[] {
  return liveTaxes(taxes).map((t, i) => {
    if (t.type && t.type !== 'PERCENT')
      throw new MapError(`${what}.appliedTaxes[${i}].type: ${t.type} tax "${t.name ?? ''}" is not a percentage; needs a person`);
    if (t.rate == null) throw new MapError(`${what}.appliedTaxes[${i}].rate: missing`);
    const r = numberToBig(t.rate, `${what}.appliedTaxes[${i}].rate`);
    return { ids: t.taxRate?.guid ? [t.taxRate.guid] : [], name: t.name ?? undefined, ratePercent: r.lte(1) ? r.times(100) : r };
  });
}

function mapOrder(item: unknown, options: MapOptions, inheritedIncluded: boolean): MapOutcome[] {
  const order = validate(ToastOrderSchema, item, 'order');
  const base = { vendor: 'toast' as const, vendorId: order.guid, ...(order.modifiedDate ? { version: order.modifiedDate } : {}) };
  if (order.deleted) return [{ kind: 'skip', ...base, reason: 'order is deleted', withdrawn: true }];
  if (order.voided) return [{ kind: 'skip', ...base, reason: 'order is voided', withdrawn: true }];
  const checks = order.checks.filter((c) => !c.deleted && !c.voided);
  if (!checks.length) return [{ kind: 'skip', ...base, reason: 'order has no live checks' }];
  const open = checks.find((c) => c.paymentStatus !== 'PAID' && c.paymentStatus !== 'CLOSED');
  if (open)
    return [
      { kind: 'skip', ...base, reason: `check ${open.guid ?? ''} is ${open.paymentStatus ?? 'unpaid'}: the order is not closed yet` },
    ];
  // Toast orders carry no currency: the connection declares the restaurant's.
  const fx = saleCurrency(undefined, options, `order ${order.guid}`);

  const lines: SaleLine[] = [];
  const credits: SaleLine[] = [];
  const charges: NonNullable<Sale['charges']> = [];
  const payments: Sale['payments'] = [];
  const refundPayments: Sale['payments'] = [];
  let tip = 0;
  let refundTip = 0;
  let expected = 0;
  let refunded = 0;
  const latestRefund: { date?: string } = {};
  let customer: Record<string, unknown> | undefined;
  checks.forEach((c) => {
    const cw = `order.checks[${order.checks.indexOf(c)}]`;
    customer ??= c.customer ?? undefined;
    (c.selections ?? []).forEach((s, si) => {
      if (s.voided) return;
      const what = `${cw}.selections[${si}]`;
      lines.push(selectionLine(s, what, options, inheritedIncluded));
      if (s.refundDetails && (s.refundDetails.refundAmount ?? 0) !== 0) credits.push(refundLine(s, what, options, inheritedIncluded));
    });
    let gratuity = 0;
    (c.appliedServiceCharges ?? []).forEach((sc, i) => {
      const what = `${cw}.appliedServiceCharges[${i}]`;
      const amount = kobo(sc.chargeAmount, `${what}.chargeAmount`);
      if (sc.gratuity) {
        if (liveTaxes(sc.appliedTaxes).length) throw new MapError(`${what}: a taxed gratuity cannot be a tip (tips are not taxable)`);
        gratuity += amount;
        return;
      }
      const taxes = sc.taxable
        ? lineTaxes(vendorTaxes(sc.appliedTaxes, what), false, options, what)
        : { tax: taxFor(new Big(0), false, options, what) };
      charges.push({ name: (sc.name || 'Service charge').slice(0, MAX_LEN.name), amount: formatKobo(amount), ...taxes });
    });
    tip += gratuity;
    expected += kobo(c.totalAmount, `${cw}.totalAmount`) - gratuity;
    (c.payments ?? []).forEach((p, i) => {
      const what = `${cw}.payments[${i}]`;
      if (p.paymentStatus && DEAD_PAYMENT.has(p.paymentStatus)) return;
      const method = PAYMENT[p.type];
      if (!method) throw new MapError(`${what}.type: unknown Toast payment type "${p.type}"`);
      const t = kobo(p.tipAmount ?? 0, `${what}.tipAmount`);
      tip += t;
      payments.push({ method, amount: formatKobo(kobo(p.amount, `${what}.amount`) + t) });
      if (p.refund && (p.refundStatus === 'PARTIAL' || p.refundStatus === 'FULL' || (p.refund.refundAmount ?? 0) !== 0)) {
        const ra = kobo(p.refund.refundAmount ?? 0, `${what}.refund.refundAmount`);
        const rt = kobo(p.refund.tipRefundAmount ?? 0, `${what}.refund.tipRefundAmount`);
        refunded += ra;
        refundTip += rt;
        // The credit note's date is the (latest) refund's, not modifiedDate: later edits must not change it.
        const date =
          typeof p.refund.refundDate === 'string' ? isoTime(p.refund.refundDate, options, `${what}.refund.refundDate`) : undefined;
        if (date && (!latestRefund.date || Date.parse(date) > Date.parse(latestRefund.date))) latestRefund.date = date;
        if (ra + rt > 0) refundPayments.push({ method, amount: formatKobo(ra + rt) });
      }
    });
  });
  if (!lines.length) throw new MapError('order.checks: no unvoided selections');
  if (!payments.length) {
    if (expected === 0) return [{ kind: 'skip', ...base, reason: 'order has a zero total and no payments' }];
    throw new MapError('order.checks[].payments: a paid order with a non-zero total has no live payments');
  }
  const buyer = buyerFrom(
    customer,
    options.tinField ?? TOAST_DEFAULT_TIN_FIELD,
    [customer?.firstName, customer?.lastName].filter((x) => typeof x === 'string' && x).join(' '),
    { email: customer?.email as string | undefined, phone: customer?.phone as string | undefined },
    'order.checks[].customer',
  );
  // The moment of supply is when it was paid; closing can happen much later (next day).
  const whenField = order.paidDate ? 'paidDate' : order.closedDate ? 'closedDate' : order.openedDate ? 'openedDate' : 'createdDate';
  const when = order.paidDate ?? order.closedDate ?? order.openedDate ?? order.createdDate;
  if (!when) throw new MapError('order.paidDate: the order has no date (paidDate, closedDate, openedDate)');
  const sale: Sale = {
    source: 'toast',
    external_id: order.guid,
    occurred_at: isoTime(when, options, `order.${whenField}`),
    ...fx,
    lines,
    ...(charges.length ? { charges } : {}),
    ...(tip ? { tip: formatKobo(tip) } : {}),
    payments,
    customer: buyer,
    refund_of: null,
  };
  const out: MapOutcome[] = [{ kind: 'sale', ...base, sale: checkedSale(sale, expected, `order ${order.guid}`).sale, payload: item }];
  if (refunded + refundTip > 0) {
    const refundId = `${order.guid}:refund`;
    if (!credits.length) {
      out.push({
        kind: 'review',
        ...base,
        vendorId: refundId,
        reason: `order ${order.guid}: a refund of ${formatKobo(refunded)} without refunded selections (refundDetails) cannot be itemised`,
        payload: item,
      });
    } else {
      const credit: Sale = {
        source: 'toast',
        external_id: refundId,
        occurred_at: latestRefund.date ?? isoTime(order.modifiedDate ?? when, options, 'order.modifiedDate'),
        ...fx,
        lines: credits,
        ...(refundTip ? { tip: formatKobo(refundTip) } : {}),
        payments: refundPayments,
        customer: buyer,
        refund_of: order.guid,
      };
      try {
        out.push({
          kind: 'sale',
          ...base,
          vendorId: refundId,
          sale: checkedSale(credit, refunded, `refund of order ${order.guid}`).sale,
          payload: item,
        });
      } catch (e) {
        if (!(e instanceof MapError)) throw e;
        out.push({ kind: 'review', ...base, vendorId: refundId, reason: e.message, payload: item });
      }
    }
  }
  return out;
}

function selectionTax(s: Sel, what: string, options: MapOptions, inheritedIncluded: boolean): { tax: Tax; other_taxes?: OtherTax[] } {
  const included = s.taxInclusion === 'INCLUDED' || (s.taxInclusion === 'INHERITED' && inheritedIncluded);
  return lineTaxes(vendorTaxes(s.appliedTaxes, what), included, options, what);
}

function selectionLine(s: Sel, what: string, options: MapOptions, inheritedIncluded: boolean): SaleLine {
  const q = numberToBig(s.quantity, `${what}.quantity`);
  const after = kobo(s.price, `${what}.price`);
  const before = s.preDiscountPrice == null ? after : kobo(s.preDiscountPrice, `${what}.preDiscountPrice`);
  if (after > before) throw new MapError(`${what}: price ${formatKobo(after)} is more than preDiscountPrice ${formatKobo(before)}`);
  return {
    name: (s.displayName || 'Item').slice(0, MAX_LEN.name),
    quantity: quantityText(q, `${what}.quantity`),
    unit_price: unitPriceFor(before, q, what),
    ...(before - after ? { discount: formatKobo(before - after) } : {}),
    ...selectionTax(s, what, options, inheritedIncluded),
  };
}

/**
 * A refunded selection: the refunded amount over the selection's quantity (Toast does not report
 * the quantity refunded), under the item's own name so the credit note names the invoiced line.
 */
function refundLine(s: Sel, what: string, options: MapOptions, inheritedIncluded: boolean): SaleLine {
  const taxes = selectionTax(s, what, options, inheritedIncluded);
  const tax = taxes.tax;
  const amount: Kobo = kobo(s.refundDetails!.refundAmount ?? 0, `${what}.refundDetails.refundAmount`);
  const taxAmount: Kobo = kobo(s.refundDetails!.taxRefundAmount ?? 0, `${what}.refundDetails.taxRefundAmount`);
  const gross = tax.inclusive ? amount + taxAmount : amount;
  const q = numberToBig(s.quantity, `${what}.quantity`);
  return {
    name: (s.displayName || 'Item').slice(0, MAX_LEN.name),
    quantity: quantityText(q, `${what}.quantity`),
    unit_price: unitPriceFor(gross, q, what),
    ...taxes,
  };
}
