// Lightspeed Retail R-Series (API V3) sales with relations (SaleLines, SalePayments, Customer) →
// canonical sales. Every value is a decimal string. A line is unitQuantity × unitPrice less its own
// and its share of the sale-level discount (calcLineDiscount + calcTransactionDiscount), taxed at
// tax1Rate and tax2Rate (fractions) when `tax` is "true" — two taxes, each mapped on its own by
// the connection's tax mapping ("<taxCategoryID>/tax1", the TaxCategory's tax1Name…) and, as
// Lightspeed does, each rounded over the whole sale (tax_rounding 'sale'); the sale's
// isTaxInclusive says whether prices include tax. Returns have negative quantities and point at the original line
// (parentSaleLineID); the original sale is found in the same payload or options.saleLineSales.
import Big from 'big.js';
import { z } from 'zod';
import type { OtherTax, Sale, SaleLine, Tax } from '../../domain/sale';
import { MAX_LEN } from '../../domain/limits';
import { formatKobo } from '../../domain/money';
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
  toKobo,
  unitPriceFor,
  validate,
  type NotASale,
  type VendorTax,
} from '../common';
import { methodByName, type MapOptions, type MapOptionsInput, type MapOutcome } from '../outcome';

export const LIGHTSPEED_R_DEFAULT_TIN_FIELD = 'vatNumber';

const Str = z.union([z.string(), z.number().transform(String)]);
const one = <T extends z.ZodType>(t: T) => z.union([z.array(t), t.transform((x) => [x])]);
const SaleLine = z.looseObject({
  saleLineID: Str,
  itemID: Str.optional(),
  unitQuantity: Str,
  unitPrice: Str,
  tax: Str.optional(),
  tax1Rate: Str.optional(),
  tax2Rate: Str.optional(),
  calcLineDiscount: Str.optional(),
  calcTransactionDiscount: Str.optional(),
  parentSaleLineID: Str.optional(),
  taxCategoryID: Str.optional(),
  TaxCategory: z
    .looseObject({ taxCategoryID: Str.optional(), tax1Name: z.string().optional(), tax2Name: z.string().optional() })
    .optional(),
  Item: z
    .looseObject({ description: z.string().optional(), customSku: z.string().optional(), systemSku: z.string().optional() })
    .optional(),
  Note: z.looseObject({ note: z.string().optional() }).optional(),
});
const SalePayment = z.looseObject({
  amount: Str,
  archived: Str.optional(),
  PaymentType: z.looseObject({ name: z.string().optional(), code: z.string().optional() }).optional(),
});
export const LightspeedRSaleSchema = z.looseObject({
  saleID: Str,
  completed: Str,
  voided: Str.optional(),
  archived: Str.optional(),
  isTaxInclusive: Str.optional(),
  timeStamp: z.string().optional(),
  completeTime: z.string().optional(),
  createTime: z.string().optional(),
  customerID: Str.optional(),
  calcTotal: Str,
  SaleLines: z.looseObject({ SaleLine: one(SaleLine) }).optional(),
  SalePayments: z.looseObject({ SalePayment: one(SalePayment) }).optional(),
  Customer: z.record(z.string(), z.unknown()).optional(),
  taxCategoryID: Str.optional(),
  TaxCategory: z
    .looseObject({ taxCategoryID: Str.optional(), tax1Name: z.string().optional(), tax2Name: z.string().optional() })
    .optional(),
});
type RLine = z.output<typeof SaleLine>;
type RSale = z.output<typeof LightspeedRSaleSchema>;

const truthy = (s: string | undefined) => s === 'true' || s === '1';

/** A Sale, a response {"Sale": Sale | Sale[]} (with or without "@attributes"), or an array. */
export function lightspeedRSales(payload: unknown): unknown[] {
  if (Array.isArray(payload)) return payload;
  if (payload && typeof payload === 'object' && 'Sale' in payload) {
    const s = (payload as { Sale: unknown }).Sale;
    return Array.isArray(s) ? s : [s];
  }
  return [payload];
}

export function mapLightspeedR(payload: unknown, optionsInput?: MapOptionsInput): MapOutcome[] {
  const options = parseOptions(optionsInput);
  const sales = lightspeedRSales(payload);
  // Returned lines name the original line; index the lines of every sale we were given.
  const lineSale = new Map<string, string>(Object.entries(options.saleLineSales ?? {}));
  for (const s of sales) {
    const r = LightspeedRSaleSchema.safeParse(s);
    if (r.success) for (const l of r.data.SaleLines?.SaleLine ?? []) lineSale.set(l.saleLineID, r.data.saleID);
  }
  return mapEach('lightspeed-r', sales, idField('saleID'), (item) => mapSale(item, options, lineSale), lightspeedRNotASale);
}

/** A SaleLine (or SalePayment) response, not a Sale: the sale it belongs to must be fetched with its relations. */
function lightspeedRNotASale(item: unknown): NotASale | undefined {
  if (!item || typeof item !== 'object') return undefined;
  const o = item as Record<string, unknown>;
  const key = 'saleLineID' in o || 'SaleLine' in o ? 'SaleLine' : 'SalePayment' in o && !('saleID' in o) ? 'SalePayment' : undefined;
  if (!key) return undefined;
  const inner = o[key] ?? o;
  const saleId = digStr(Array.isArray(inner) ? inner[0] : inner, 'saleID');
  return {
    saleId,
    reason: `this is a Lightspeed R-Series ${key} response, not a Sale — fetch Sale ${saleId ?? '(its saleID)'} (GET /API/V3/Account/{accountID}/Sale/${saleId ?? '{saleID}'}.json?load_relations=["SaleLines","SalePayments","Customer"]) and ingest that`,
  };
}

/** The line's taxes (tax1, tax2) for the tax mapping: "<taxCategoryID>/tax1" or the TaxCategory's names. */
function vendorTaxes(l: RLine, sale: RSale, what: string): VendorTax[] {
  if (!truthy(l.tax)) return [];
  const category = l.TaxCategory ?? sale.TaxCategory;
  const categoryId = l.taxCategoryID && l.taxCategoryID !== '0' ? l.taxCategoryID : (sale.taxCategoryID ?? category?.taxCategoryID);
  return ([1, 2] as const).flatMap((n) => {
    const rate = stringToBig((n === 1 ? l.tax1Rate : l.tax2Rate) ?? '0', `${what}.tax${n}Rate`).times(100);
    if (rate.eq(0)) return [];
    const name = (n === 1 ? category?.tax1Name : category?.tax2Name)?.trim();
    return [
      {
        ids: categoryId ? [`${categoryId}/tax${n}`] : [],
        name: name || `tax${n} of tax category ${categoryId ?? '(none)'}`,
        ratePercent: rate,
      },
    ];
  });
}

function mapSale(item: unknown, options: MapOptions, lineSale: Map<string, string>): MapOutcome[] {
  const sale = validate(LightspeedRSaleSchema, item, 'Sale');
  const base = { vendor: 'lightspeed-r' as const, vendorId: sale.saleID, ...(sale.timeStamp ? { version: sale.timeStamp } : {}) };
  if (truthy(sale.voided)) return [{ kind: 'skip', ...base, reason: 'sale is voided', withdrawn: true }];
  if (!truthy(sale.completed)) return [{ kind: 'skip', ...base, reason: 'sale is not completed (open or quote)' }];
  const fx = saleCurrency(undefined, options, `sale ${sale.saleID}`);
  const total = stringToBig(sale.calcTotal, 'Sale.calcTotal');
  const credit = total.lt(0);
  const inclusive = truthy(sale.isTaxInclusive);
  const lines = sale.SaleLines?.SaleLine ?? [];
  if (!lines.length) throw new MapError('Sale.SaleLines: a completed sale with no lines (load_relations must include SaleLines)');

  const items: SaleLine[] = [];
  const charges: NonNullable<Sale['charges']> = [];
  let tip = 0;
  const parents = new Set<string>();
  lines.forEach((l: RLine, i) => {
    const what = `Sale.SaleLines.SaleLine[${i}]`;
    const qty = stringToBig(l.unitQuantity, `${what}.unitQuantity`);
    if (qty.eq(0)) return; // a zero-quantity line charges nothing
    if (qty.lt(0) !== credit)
      throw new MapError(`${what}.unitQuantity: ${qty.toString()} — a sale mixing sold and returned items (an exchange) needs a person`);
    const q = qty.abs();
    const extended = toKobo(
      stringToBig(l.unitPrice, `${what}.unitPrice`).times(q).round(2, Big.roundHalfUp),
      `${what}.unitPrice × unitQuantity`,
    );
    const discount = toKobo(
      stringToBig(l.calcLineDiscount ?? '0', `${what}.calcLineDiscount`)
        .plus(stringToBig(l.calcTransactionDiscount ?? '0', `${what}.calcTransactionDiscount`))
        .abs(),
      `${what}.calcLineDiscount + calcTransactionDiscount`,
    );
    const taxes: { tax: Tax; other_taxes?: OtherTax[] } = lineTaxes(vendorTaxes(l, sale, what), inclusive, options, what);
    const charged = taxes.tax.rate !== '0' || Boolean(taxes.other_taxes);
    const name = (l.Item?.description || l.Note?.note || `Item ${l.itemID ?? l.saleLineID}`).slice(0, MAX_LEN.name);
    if (credit) {
      if (!l.parentSaleLineID || l.parentSaleLineID === '0')
        throw new MapError(`${what}.parentSaleLineID: a returned line that does not name its original line cannot reference an invoice`);
      const original = lineSale.get(l.parentSaleLineID);
      if (!original)
        throw new MapError(
          `${what}.parentSaleLineID: original line ${l.parentSaleLineID} is not in this payload; its sale is unknown (give saleLineSales)`,
        );
      parents.add(original);
    }
    if (l.itemID && options.tipProductIds.includes(l.itemID)) {
      if (charged) throw new MapError(`${what}: the tip item is taxed; tips are not taxable`);
      tip += extended - discount;
    } else if (l.itemID && options.serviceChargeProductIds.includes(l.itemID)) {
      charges.push({ name, amount: formatKobo(extended - discount), ...taxes });
    } else {
      items.push({
        name,
        ...(l.Item?.customSku ? { sku: l.Item.customSku.slice(0, MAX_LEN.sku) } : {}),
        quantity: quantityText(q, `${what}.unitQuantity`),
        unit_price: unitPriceFor(extended, q, what),
        ...(discount ? { discount: formatKobo(discount) } : {}),
        ...taxes,
      });
    }
  });
  if (parents.size > 1) throw new MapError(`Sale: returns from ${parents.size} different sales in one; needs a person to split`);
  const expected = toKobo(total.abs(), 'Sale.calcTotal') - tip;

  const payments = (sale.SalePayments?.SalePayment ?? [])
    .filter((p) => !truthy(p.archived))
    .map((p, i) => ({
      method: methodByName(p.PaymentType?.name ?? p.PaymentType?.code ?? '', options),
      amount: formatKobo(
        toKobo(stringToBig(p.amount, `Sale.SalePayments.SalePayment[${i}].amount`).abs(), `Sale.SalePayments.SalePayment[${i}].amount`),
      ),
    }));
  if (!items.length) throw new MapError('Sale.SaleLines: only tip/service-charge lines');
  if (!payments.length) {
    if (expected + tip === 0) return [{ kind: 'skip', ...base, reason: 'sale has a zero total and no payments' }];
    throw new MapError(
      'Sale.SalePayments: a completed sale with a non-zero total has no payments (load_relations must include SalePayments)',
    );
  }
  const customer = sale.Customer;
  const buyer = buyerFrom(
    customer,
    options.tinField ?? LIGHTSPEED_R_DEFAULT_TIN_FIELD,
    (customer?.company as string | undefined) ||
      [customer?.firstName, customer?.lastName].filter((x) => typeof x === 'string' && x).join(' '),
    {},
    'Sale.Customer',
  );
  const mapped: Sale = {
    source: 'lightspeed-r',
    external_id: sale.saleID,
    occurred_at: isoTime(sale.completeTime ?? sale.timeStamp ?? sale.createTime ?? '', options, 'Sale.completeTime'),
    ...fx,
    tax_rounding: 'sale',
    lines: items,
    ...(charges.length ? { charges } : {}),
    ...(tip ? { tip: formatKobo(tip) } : {}),
    payments,
    customer: buyer,
    refund_of: credit ? [...parents][0]! : null,
  };
  return [{ kind: 'sale', ...base, sale: checkedSale(mapped, expected, `sale ${sale.saleID}`).sale, payload: item }];
}
