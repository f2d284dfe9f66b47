// Per-line tax and invoice totals, exact in kobo. Rules (issue #2):
//   gross = quantity × unit price − discount          (rounded half-up to the kobo)
//   inclusive: tax = gross × r/(100+r); exclusive: tax = net × r/100   (half-up per line)
//   invoice totals are sums of lines, so tax_inclusive = Σ net + Σ tax exactly.
import Big from 'big.js';
import { InvalidInput, type Sale, type Tax } from './sale';
import { formatKobo, formatNaira, parseDecimal, parseKobo, roundKobo, type Kobo } from './money';
import { MAX_KOBO } from './limits';
import type { PaymentMethod } from './payment-means';

export interface TaxedAmount {
  gross: Kobo; // what the customer pays for it (after discount, incl. tax)
  net: Kobo; // excluding tax
  tax: Kobo;
  category: Tax['category'];
  rate: string;
}

export interface LineTotals extends TaxedAmount {
  name: string;
  sku?: string;
  quantity: string;
  unitPrice: Kobo; // as given (incl. tax when inclusive), rounded to the kobo for display
  /** The unit price excluding tax, exact (kobo, not rounded): the FIRS price_amount's source. */
  unitPriceExclusiveExact: string;
  discount: Kobo;
  hsCode?: string;
  isicCode?: string;
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

export interface SaleTotals {
  lines: LineTotals[];
  charges: ChargeTotals[];
  lineExtension: Kobo; // Σ line nets
  chargeTotal: Kobo; // Σ charge nets
  taxExclusive: Kobo; // lineExtension + chargeTotal
  taxTotal: Kobo;
  taxInclusive: Kobo; // = payable
  subtotals: TaxSubtotal[];
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

function applyTax(gross: Kobo, tax: Tax): { net: Kobo; tax: Kobo } {
  const rate = parseDecimal(tax.rate, 'tax.rate');
  if (rate.eq(0)) return { net: gross, tax: 0 };
  if (tax.inclusive) {
    const t = roundKobo(new Big(gross).times(rate).div(rate.plus(100)));
    return { net: gross - t, tax: t };
  }
  const t = roundKobo(new Big(gross).times(rate).div(100));
  return { net: gross, tax: t };
}

export function computeTotals(sale: Sale): SaleTotals {
  const lines = sale.lines.map((line, i): LineTotals => {
    const qty = parseDecimal(line.quantity, `lines[${i}].quantity`);
    const priceKoboExact = parseDecimal(line.unit_price, `lines[${i}].unit_price`).times(100);
    const discount = line.discount ? parseKobo(line.discount, `lines[${i}].discount`) : 0;
    const extended = boundedKobo(qty.times(priceKoboExact), `lines[${i}].quantity`);
    boundedKobo(priceKoboExact, `lines[${i}].unit_price`);
    const gross = extended - discount;
    if (gross < 0) {
      throw new InvalidInput(`lines[${i}].discount: ${formatKobo(discount)} is more than the line amount ${formatKobo(extended)}`);
    }
    const taxed = applyTax(gross, line.tax);
    const exclusiveGross = line.tax.inclusive ? gross : sumKobo([gross, taxed.tax], `lines[${i}].tax`);
    const rate = parseDecimal(line.tax.rate, `lines[${i}].tax.rate`);
    const exclusiveExact = line.tax.inclusive && !rate.eq(0) ? priceKoboExact.times(100).div(rate.plus(100)) : priceKoboExact;
    return {
      name: line.name, ...(line.sku ? { sku: line.sku } : {}), quantity: qty.toString(), unitPrice: roundKobo(priceKoboExact), discount,
      unitPriceExclusiveExact: exclusiveExact.toString(),
      ...(line.hs_code ? { hsCode: line.hs_code } : {}), ...(line.isic_code ? { isicCode: line.isic_code } : {}),
      gross: exclusiveGross, net: taxed.net, tax: taxed.tax, category: line.tax.category, rate: normaliseRate(line.tax.rate),
    };
  });
  const charges = (sale.charges ?? []).map((c, i): ChargeTotals => {
    const amount = parseKobo(c.amount, `charges[${i}].amount`);
    const taxed = applyTax(amount, c.tax);
    return { name: c.name, gross: c.tax.inclusive ? amount : sumKobo([amount, taxed.tax], `charges[${i}].tax`), net: taxed.net, tax: taxed.tax, category: c.tax.category, rate: normaliseRate(c.tax.rate) };
  });

  const lineExtension = sumKobo(lines.map((l) => l.net), 'lines');
  const chargeTotal = sumKobo(charges.map((c) => c.net), 'charges');
  const taxTotal = sumKobo([...lines.map((l) => l.tax), ...charges.map((c) => c.tax)], 'lines');
  const taxExclusive = sumKobo([lineExtension, chargeTotal], 'lines');
  const taxInclusive = sumKobo([taxExclusive, taxTotal], 'lines');

  const byCategory = new Map<string, TaxSubtotal>();
  for (const item of [...lines, ...charges]) {
    const key = `${item.category}|${item.rate}`;
    const s = byCategory.get(key) ?? { category: item.category, rate: item.rate, taxable: 0, tax: 0 };
    s.taxable += item.net;
    s.tax += item.tax;
    byCategory.set(key, s);
  }

  const tip = sale.tip ? parseKobo(sale.tip, 'tip') : 0;
  const payments = sale.payments.map((p, i) => ({ method: p.method, amount: parseKobo(p.amount, `payments[${i}].amount`) }));
  const paid = sumKobo(payments.map((p) => p.amount), 'payments');
  sumKobo([taxInclusive, tip], 'tip');
  if (sale.on_credit) {
    // Paid later (or partly now): never more than the invoice, and no change to give.
    if (paid > taxInclusive + tip) {
      throw new InvalidInput(`payments: a credit sale paid ${formatKobo(paid)}, more than the invoice total ${formatKobo(taxInclusive + tip)}`);
    }
    return { lines, charges, lineExtension, chargeTotal, taxExclusive, taxTotal, taxInclusive, subtotals: [...byCategory.values()], tip, paid, change: 0, payments };
  }
  const change = paid - tip - taxInclusive;
  if (change < 0) {
    throw new InvalidInput(
      `payments: short by ${formatKobo(-change)} (invoice total ${formatKobo(taxInclusive)}, tip ${formatKobo(tip)}, paid ${formatKobo(paid)})`,
    );
  }
  const cash = sumKobo(payments.filter((p) => p.method === 'cash').map((p) => p.amount), 'payments');
  if (change > cash) {
    throw new InvalidInput(`payments: overpaid by ${formatKobo(change)} but only cash can give change (cash paid ${formatKobo(cash)})`);
  }

  return {
    lines, charges, lineExtension, chargeTotal, taxExclusive, taxTotal, taxInclusive,
    subtotals: [...byCategory.values()], tip, paid, change, payments,
  };
}

/** "7.50" and "7.5" are the same rate: one subtotal per category and rate. */
function normaliseRate(rate: string): string {
  return new Big(rate).toString();
}
