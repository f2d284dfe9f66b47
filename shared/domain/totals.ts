// Per-line tax and invoice totals, exact in kobo. Rules (issue #2):
//   gross = quantity × unit price − discount          (rounded half-up to the kobo)
//   inclusive: tax = gross × r/(100+r); exclusive: tax = net × r/100   (half-up per line)
//   invoice totals are sums of lines, so tax_inclusive = Σ net + Σ tax exactly.
// Issue #13: non-VAT taxes (other_taxes) sit beside VAT on the same net, outside the VAT totals;
// a sale may ask for each tax to be rounded over the sale (tax_rounding 'sale') instead of per line.
import Big from 'big.js';
import { InvalidInput, type OtherTax, type OtherTaxCategory, type Sale, type Tax } from './sale';
import { formatKobo, formatNaira, parseDecimal, parseKobo, roundKobo, type Kobo } from './money';
import { MAX_KOBO } from './limits';
import type { PaymentMethod } from './payment-means';

export interface OtherTaxAmount {
  category: OtherTaxCategory;
  name: string;
  rate: string;
  tax: Kobo;
}

export interface TaxedAmount {
  gross: Kobo; // what the customer pays for it (after discount, incl. every tax)
  net: Kobo; // excluding tax
  tax: Kobo; // VAT only
  category: Tax['category'];
  rate: string;
  /** Non-VAT taxes on the same amount (outside the VAT totals, inside what is paid). */
  otherTaxes: OtherTaxAmount[];
}

export interface LineTotals extends TaxedAmount {
  name: string;
  sku?: string;
  quantity: string;
  unitPrice: Kobo; // as given (incl. tax when inclusive), rounded to the kobo for display
  /** The unit price excluding every tax, exact (kobo, not rounded): the FIRS price_amount's source. */
  unitPriceExclusiveExact: string;
  discount: Kobo;
  hsCode?: string;
  isicCode?: string;
  serviceCategory?: string;
}

export interface ChargeTotals extends TaxedAmount {
  name: string;
}

export interface TaxSubtotal {
  category: Tax['category'];
  rate: string;
  taxable: Kobo;
  tax: Kobo;
}

export interface OtherTaxSubtotal {
  category: OtherTaxCategory;
  name: string;
  rate: string;
  taxable: Kobo;
  tax: Kobo;
}

/** Everything an invoice states; what was paid is checked separately (computeTotals). */
export interface InvoiceAmounts {
  lines: LineTotals[];
  charges: ChargeTotals[];
  lineExtension: Kobo; // Σ line nets
  chargeTotal: Kobo; // Σ charge nets
  taxExclusive: Kobo; // lineExtension + chargeTotal
  taxTotal: Kobo; // VAT
  otherTaxTotal: Kobo; // non-VAT taxes (0 for most sales)
  taxInclusive: Kobo; // = payable = taxExclusive + taxTotal + otherTaxTotal
  subtotals: TaxSubtotal[];
  otherSubtotals: OtherTaxSubtotal[];
}

export interface SaleTotals extends InvoiceAmounts {
  tip: Kobo;
  paid: Kobo;
  change: Kobo;
  payments: { method: PaymentMethod; amount: Kobo }[];
}

const LIMIT = `the largest amount is ${formatNaira(MAX_KOBO)}`;

/** An exact amount in kobo, refused (naming the field) beyond what the ledger holds exactly. */
function boundedKobo(amountInKobo: Big, what: string): Kobo {
  if (amountInKobo.round(0, Big.roundHalfUp).gt(MAX_KOBO)) {
    throw new InvalidInput(`${what}: ${formatNaira(MAX_KOBO)} exceeded (${amountInKobo.div(100).toFixed(2)}); ${LIMIT}`);
  }
  return roundKobo(amountInKobo);
}

/** Σ in kobo, checked after every addend: each is ≤ MAX_KOBO, so the running sum stays exact. */
function sumKobo(xs: readonly Kobo[], what: string): Kobo {
  let total = 0;
  for (const x of xs) {
    total += x;
    if (total > MAX_KOBO) throw new InvalidInput(`${what}: the total exceeds ${formatNaira(MAX_KOBO)}; ${LIMIT}`);
  }
  return total;
}

/** One taxed amount (line or charge) before its taxes are rounded to the kobo. */
interface Taxable {
  gross: Kobo; // after discount; incl. taxes when inclusive
  inclusive: boolean;
  /** [VAT, ...other taxes]: group key and the exact (unrounded) tax in kobo. */
  parts: { key: string; exact: Big }[];
  /** 100 / (100 + Σ rates) when inclusive, else 1: turns a tax-inclusive price into the net one. */
  netFactor: Big;
}

const ONE = new Big(1);
// 100 / (100 + Σ rates) to 20 places, per distinct Σ rates: the same few rates on every line of
// every sale, and the division is the costliest step of a line's arithmetic. Big values are
// immutable, so one instance is shared. Bounded: unusual rates beyond it are computed each time.
const netFactors = new Map<string, Big>();
function inclusiveNetFactor(sumRates: Big): Big {
  const key = sumRates.toString();
  let f = netFactors.get(key);
  if (!f) {
    f = new Big(100).div(sumRates.plus(100));
    if (netFactors.size < 64) netFactors.set(key, f);
  }
  return f;
}

/**
 * Exact taxes of one amount. Several taxes on one price are each a percentage of the same net
 * (not compounded): inclusive net = gross × 100 / (100 + Σ rates).
 */
function taxable(gross: Kobo, tax: Tax, others: OtherTax[] | undefined, what: string): Taxable {
  const vatRate = parseDecimal(tax.rate, `${what}.tax.rate`);
  const otherRates = (others ?? []).map((o, i) => parseDecimal(o.rate, `${what}.other_taxes[${i}].rate`));
  const sumRates = otherRates.reduce((a, r) => a.plus(r), vatRate);
  const exact = (r: Big) =>
    r.eq(0) ? new Big(0) : tax.inclusive ? new Big(gross).times(r).div(sumRates.plus(100)) : new Big(gross).times(r).div(100);
  return {
    gross,
    inclusive: tax.inclusive,
    netFactor: tax.inclusive && !sumRates.eq(0) ? inclusiveNetFactor(sumRates) : ONE,
    parts: [
      { key: `vat|${tax.category}|${vatRate.toString()}|${tax.inclusive}`, exact: exact(vatRate) },
      ...(others ?? []).map((o, i) => ({
        key: `other|${o.category}|${o.name}|${otherRates[i]!.toString()}|${tax.inclusive}`,
        exact: exact(otherRates[i]!),
      })),
    ],
  };
}

/**
 * Rounds every tax to the kobo. 'line': each tax of each amount half-up. 'sale': each tax (same
 * category, rate and name) half-up over the whole sale, then shared out to the amounts by largest
 * remainder, so the amounts still add up to the invoice totals exactly.
 */
function roundTaxes(items: Taxable[], mode: 'line' | 'sale'): Kobo[][] {
  if (mode === 'line') return items.map((it) => it.parts.map((p) => roundKobo(p.exact)));
  const out = items.map((it) => it.parts.map(() => 0));
  const groups = new Map<string, { i: number; j: number; exact: Big }[]>();
  items.forEach((it, i) => it.parts.forEach((p, j) => groups.set(p.key, [...(groups.get(p.key) ?? []), { i, j, exact: p.exact }])));
  for (const members of groups.values()) {
    const total = roundKobo(members.reduce((a, m) => a.plus(m.exact), new Big(0)));
    const floors = members.map((m) => Number(m.exact.round(0, Big.roundDown)));
    let rest = total - floors.reduce((a, b) => a + b, 0);
    const order = members.map((m, k) => ({ k, frac: m.exact.minus(floors[k]!) })).sort((a, b) => b.frac.cmp(a.frac) || a.k - b.k);
    for (const { k } of order) {
      if (rest <= 0) break;
      floors[k]! += 1;
      rest -= 1;
    }
    members.forEach((m, k) => {
      out[m.i]![m.j] = floors[k]!;
    });
  }
  return out;
}

function taxedAmount(item: Taxable, taxes: Kobo[], tax: Tax, others: OtherTax[] | undefined): TaxedAmount {
  const all = sumKobo(taxes, 'tax');
  const net = item.inclusive ? item.gross - all : item.gross;
  return {
    gross: item.inclusive ? item.gross : sumKobo([item.gross, all], 'tax'),
    net,
    tax: taxes[0]!,
    category: tax.category,
    rate: normaliseRate(tax.rate),
    otherTaxes: (others ?? []).map((o, i) => ({ category: o.category, name: o.name, rate: normaliseRate(o.rate), tax: taxes[i + 1]! })),
  };
}

/** The invoice's lines, charges, taxes and totals (no payment checks). */
export function computeInvoiceAmounts(sale: Sale): InvoiceAmounts {
  const lineBases = sale.lines.map((line, i) => {
    const qty = parseDecimal(line.quantity, `lines[${i}].quantity`);
    const priceKoboExact = parseDecimal(line.unit_price, `lines[${i}].unit_price`).times(100);
    const discount = line.discount ? parseKobo(line.discount, `lines[${i}].discount`) : 0;
    const extended = boundedKobo(qty.times(priceKoboExact), `lines[${i}].quantity`);
    boundedKobo(priceKoboExact, `lines[${i}].unit_price`);
    const gross = extended - discount;
    if (gross < 0) {
      throw new InvalidInput(`lines[${i}].discount: ${formatKobo(discount)} is more than the line amount ${formatKobo(extended)}`);
    }
    return { qty, priceKoboExact, discount, item: taxable(gross, line.tax, line.other_taxes, `lines[${i}]`) };
  });
  const chargeItems = (sale.charges ?? []).map((c, i) =>
    taxable(parseKobo(c.amount, `charges[${i}].amount`), c.tax, c.other_taxes, `charges[${i}]`),
  );
  const rounded = roundTaxes([...lineBases.map((b) => b.item), ...chargeItems], sale.tax_rounding ?? 'line');

  const lines = sale.lines.map((line, i): LineTotals => {
    const b = lineBases[i]!;
    return {
      name: line.name,
      ...(line.sku ? { sku: line.sku } : {}),
      quantity: b.qty.toString(),
      unitPrice: roundKobo(b.priceKoboExact),
      discount: b.discount,
      unitPriceExclusiveExact: b.priceKoboExact.times(b.item.netFactor).toString(),
      ...(line.hs_code ? { hsCode: line.hs_code } : {}),
      ...(line.isic_code ? { isicCode: line.isic_code } : {}),
      ...(line.service_category ? { serviceCategory: line.service_category } : {}),
      ...taxedAmount(b.item, rounded[i]!, line.tax, line.other_taxes),
    };
  });
  const charges = (sale.charges ?? []).map((c, i): ChargeTotals => ({
    name: c.name,
    ...taxedAmount(chargeItems[i]!, rounded[lines.length + i]!, c.tax, c.other_taxes),
  }));

  const lineExtension = sumKobo(
    lines.map((l) => l.net),
    'lines',
  );
  const chargeTotal = sumKobo(
    charges.map((c) => c.net),
    'charges',
  );
  const taxTotal = sumKobo([...lines.map((l) => l.tax), ...charges.map((c) => c.tax)], 'lines');
  const otherTaxTotal = sumKobo(
    [...lines, ...charges].flatMap((x) => x.otherTaxes.map((o) => o.tax)),
    'lines',
  );
  const taxExclusive = sumKobo([lineExtension, chargeTotal], 'lines');
  const taxInclusive = sumKobo([taxExclusive, taxTotal, otherTaxTotal], 'lines');

  const byCategory = new Map<string, TaxSubtotal>();
  const byOther = new Map<string, OtherTaxSubtotal>();
  for (const item of [...lines, ...charges]) {
    const key = `${item.category}|${item.rate}`;
    const s = byCategory.get(key) ?? { category: item.category, rate: item.rate, taxable: 0, tax: 0 };
    s.taxable += item.net;
    s.tax += item.tax;
    byCategory.set(key, s);
    for (const o of item.otherTaxes) {
      const k = `${o.category}|${o.name}|${o.rate}`;
      const t = byOther.get(k) ?? { category: o.category, name: o.name, rate: o.rate, taxable: 0, tax: 0 };
      t.taxable += item.net;
      t.tax += o.tax;
      byOther.set(k, t);
    }
  }
  return {
    lines,
    charges,
    lineExtension,
    chargeTotal,
    taxExclusive,
    taxTotal,
    otherTaxTotal,
    taxInclusive,
    subtotals: [...byCategory.values()],
    otherSubtotals: [...byOther.values()],
  };
}

export function computeTotals(sale: Sale): SaleTotals {
  const amounts = computeInvoiceAmounts(sale);
  const { taxInclusive } = amounts;
  const tip = sale.tip ? parseKobo(sale.tip, 'tip') : 0;
  const payments = sale.payments.map((p, i) => ({ method: p.method, amount: parseKobo(p.amount, `payments[${i}].amount`) }));
  const paid = sumKobo(
    payments.map((p) => p.amount),
    'payments',
  );
  sumKobo([taxInclusive, tip], 'tip');
  if (sale.on_credit) {
    // Paid later (or partly now): never more than the invoice, and no change to give.
    if (paid > taxInclusive + tip) {
      throw new InvalidInput(
        `payments: a credit sale paid ${formatKobo(paid)}, more than the invoice total ${formatKobo(taxInclusive + tip)}`,
      );
    }
    return { ...amounts, tip, paid, change: 0, payments };
  }
  const change = paid - tip - taxInclusive;
  if (change < 0) {
    throw new InvalidInput(
      `payments: short by ${formatKobo(-change)} (invoice total ${formatKobo(taxInclusive)}, tip ${formatKobo(tip)}, paid ${formatKobo(paid)})`,
    );
  }
  const cash = sumKobo(
    payments.filter((p) => p.method === 'cash').map((p) => p.amount),
    'payments',
  );
  if (change > cash) {
    throw new InvalidInput(`payments: overpaid by ${formatKobo(change)} but only cash can give change (cash paid ${formatKobo(cash)})`);
  }
  return { ...amounts, tip, paid, change, payments };
}

/** "7.50" and "7.5" are the same rate: one subtotal per category and rate. */
function normaliseRate(rate: string): string {
  return new Big(rate).toString();
}
