// A parsed receipt → a canonical Sale, only when the receipt adds up: the items give the printed
// total, the printed tax matches ours (within the template's tolerance), payments cover the total
// (less change). Anything else is a list of reasons for the review queue, never a guess.
import Big from 'big.js';
import { InvalidInput, parseSale, type Sale, type Tax } from '../../domain/sale';
import { computeTotals } from '../../domain/totals';
import { bigToKobo, formatKobo, MoneyError, roundKobo, type Kobo } from '../../domain/money';
import type { PaymentMethod } from '../../domain/payment-means';
import { normaliseNumber, type ParsedReceipt, type Template } from './template';

export type Reconciled =
  { kind: 'sale'; sale: Sale; totalKobo: Kobo } | { kind: 'not_sale'; reason: string } | { kind: 'mismatch'; reasons: string[] };

export interface ReconcileContext {
  /** When the receipt was received (its time when the layout prints no date). */
  receivedAt: Date;
  /** external_id when the layout prints no receipt number (e.g. a hash of the capture). */
  fallbackId: string;
  /** The canonical source id for sales from the link. */
  source: Sale['source'];
}

function num(text: string, t: Template, what: string, reasons: string[]): Big | undefined {
  const n = normaliseNumber(text, t.decimal);
  if (n === null) {
    reasons.push(`${what}: "${text}" is not a number in this layout (decimal "${t.decimal}")`);
    return undefined;
  }
  return new Big(n);
}

function kobo(b: Big, what: string, reasons: string[]): Kobo | undefined {
  try {
    return bigToKobo(b, what);
  } catch (e) {
    reasons.push((e as Error).message);
    return undefined;
  }
}

/** Up to 6 decimals, as the canonical sale allows for unit prices and quantities. */
function decimalString(b: Big): string {
  return b
    .round(6, Big.roundHalfUp)
    .toFixed()
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');
}

function methodFor(printed: string | undefined, t: Template): PaymentMethod | undefined {
  if (printed === undefined) return undefined;
  const key = printed.trim().toLowerCase();
  for (const [k, v] of Object.entries(t.payment_methods)) if (k.trim().toLowerCase() === key) return v;
  return undefined;
}

function pad(n: string, w: number): string {
  return n.padStart(w, '0');
}

/** The printed date and time → ISO 8601 with the register's offset; undefined when absent or odd. */
export function occurredAt(p: Pick<ParsedReceipt, 'date' | 'time'>, t: Template): string | undefined {
  if (!p.date) return undefined;
  const parts = p.date.match(/\d+/g);
  if (!parts || parts.length < 3) return undefined;
  const [a, b, c] = parts as [string, string, string];
  let [y, m, d] = t.date_order === 'YMD' ? [a, b, c] : t.date_order === 'MDY' ? [c, a, b] : [c, b, a];
  if (y.length === 2) y = `20${y}`;
  const yn = Number(y),
    mn = Number(m),
    dn = Number(d);
  if (mn < 1 || mn > 12 || dn < 1 || dn > 31 || yn < 2000 || yn > 2100) return undefined;
  let hh = 0,
    mm = 0,
    ss = 0;
  if (p.time) {
    const tm = /(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?/i.exec(p.time);
    if (!tm) return undefined;
    hh = Number(tm[1]);
    mm = Number(tm[2]);
    ss = tm[3] ? Number(tm[3]) : 0;
    const ampm = tm[4]?.toLowerCase().replace(/\./g, '');
    if (ampm === 'pm' && hh < 12) hh += 12;
    if (ampm === 'am' && hh === 12) hh = 0;
    if (hh > 23 || mm > 59 || ss > 59) return undefined;
  }
  y = String(yn);
  m = pad(String(mn), 2);
  d = pad(String(dn), 2);
  return `${y}-${m}-${d}T${pad(String(hh), 2)}:${pad(String(mm), 2)}:${pad(String(ss), 2)}${t.utc_offset}`;
}

function isoWithOffset(d: Date, offset: string): string {
  const sign = offset.startsWith('-') ? -1 : 1;
  const [oh, om] = offset.slice(1).split(':').map(Number) as [number, number];
  const shifted = new Date(d.getTime() + sign * (oh * 60 + om) * 60_000);
  return `${shifted.toISOString().slice(0, 19)}${offset}`;
}

export function reconcile(p: ParsedReceipt, t: Template, ctx: ReconcileContext): Reconciled {
  if (p.notSale) return { kind: 'not_sale', reason: 'the template marks this print as not a sale (an order ticket or report)' };
  const reasons: string[] = p.missing.map((f) => `no ${f} line matched the template`);
  if (reasons.length) return { kind: 'mismatch', reasons };

  const lines: Sale['lines'] = [];
  let itemsKobo = 0;
  p.items.forEach((it, i) => {
    const what = `item ${i + 1} ("${it.name}", line ${it.line + 1})`;
    const amount = num(it.amount, t, `${what} amount`, reasons);
    const qty = it.qty !== undefined ? num(it.qty, t, `${what} quantity`, reasons) : new Big(1);
    const unitPrinted = it.unit_price !== undefined ? num(it.unit_price, t, `${what} unit price`, reasons) : undefined;
    if (!amount || !qty) return;
    if (qty.lte(0)) {
      reasons.push(`${what}: quantity ${qty.toString()} is not positive`);
      return;
    }
    const amountK = kobo(amount, `${what} amount`, reasons);
    if (amountK === undefined) return;
    let unit = unitPrinted ?? amount.div(qty);
    if (unitPrinted && roundKobo(qty.times(unitPrinted).times(100)) !== amountK) {
      reasons.push(`${what}: ${qty.toString()} × ${unitPrinted.toString()} is not the printed ${amount.toString()}`);
      return;
    }
    unit = new Big(decimalString(unit));
    if (roundKobo(qty.times(unit).times(100)) !== amountK) {
      reasons.push(`${what}: no unit price with 6 decimals gives ${amount.toString()} for quantity ${qty.toString()}`);
      return;
    }
    let tax: Tax = t.tax;
    if (it.tax_class !== undefined) {
      const cls = t.tax_classes[it.tax_class];
      if (!cls) {
        reasons.push(`${what}: tax class "${it.tax_class}" is not in the template's tax_classes`);
        return;
      }
      tax = cls;
    }
    itemsKobo += amountK;
    lines.push({ name: it.name.slice(0, 200), quantity: decimalString(qty), unit_price: decimalString(unit), tax });
  });
  const totalB = num(p.total!, t, 'total', reasons);
  const totalK = totalB ? kobo(totalB, 'total', reasons) : undefined;
  if (reasons.length || totalK === undefined) return { kind: 'mismatch', reasons };

  // Payments as printed; none printed → the template's default, or review.
  const payments: Sale['payments'] = [];
  let paidK = 0;
  for (const pay of p.payments) {
    const what = `payment (line ${pay.line + 1})`;
    const method = methodFor(pay.method, t) ?? (pay.method === undefined ? (t.default_payment ?? undefined) : undefined);
    if (!method) {
      reasons.push(
        pay.method === undefined
          ? `${what}: no method printed and the template has no default_payment`
          : `${what}: method "${pay.method}" is not in the template's payment_methods`,
      );
      continue;
    }
    const a = num(pay.amount, t, `${what} amount`, reasons);
    const k = a ? kobo(a, `${what} amount`, reasons) : undefined;
    if (k === undefined) continue;
    paidK += k;
    payments.push({ method, amount: formatKobo(k) });
  }
  if (!p.payments.length) {
    if (t.default_payment) {
      payments.push({ method: t.default_payment, amount: formatKobo(totalK) });
      paidK = totalK;
    } else reasons.push('no payment line: an unpaid bill or order slip is not a sale (the template has no default_payment)');
  }
  if (reasons.length) return { kind: 'mismatch', reasons };

  const occurred = occurredAt(p, t);
  if (p.date && !occurred) reasons.push(`date "${p.date}${p.time ? ` ${p.time}` : ''}" is not a valid date in the order ${t.date_order}`);
  const externalId = p.receipt_no ? [t.id, p.date?.replace(/\D/g, ''), p.receipt_no].filter(Boolean).join('-') : ctx.fallbackId;
  let sale: Sale;
  try {
    sale = parseSale({
      source: ctx.source,
      external_id: externalId.slice(0, 128),
      occurred_at: occurred ?? isoWithOffset(ctx.receivedAt, t.utc_offset),
      currency: t.currency,
      lines,
      payments,
    });
  } catch (e) {
    if (e instanceof InvalidInput || e instanceof MoneyError) return { kind: 'mismatch', reasons: [...reasons, e.message] };
    throw e;
  }
  if (reasons.length) return { kind: 'mismatch', reasons };

  let totals;
  try {
    totals = computeTotals(sale);
  } catch (e) {
    if (e instanceof InvalidInput || e instanceof MoneyError) {
      const change = p.change !== undefined ? ` (change printed: ${p.change})` : '';
      return { kind: 'mismatch', reasons: [`${e.message}${change}`] };
    }
    throw e;
  }
  if (totals.taxInclusive !== totalK) {
    reasons.push(`the items add up to ${formatKobo(totals.taxInclusive)} but the printed total is ${formatKobo(totalK)}`);
  }
  if (p.subtotal !== undefined) {
    const sb = num(p.subtotal, t, 'subtotal', reasons);
    const sk = sb ? kobo(sb, 'subtotal', reasons) : undefined;
    const expected = t.tax.inclusive ? itemsKobo : totals.taxExclusive;
    if (sk !== undefined && sk !== expected && sk !== itemsKobo)
      reasons.push(`the printed subtotal ${formatKobo(sk)} is not the items' ${formatKobo(itemsKobo)}`);
  }
  const tolerance = bigToKobo(new Big(t.tax_tolerance)) * Math.max(1, lines.length);
  if (p.taxes.length) {
    let printedTax = 0;
    let printedNet: number | undefined;
    for (const tx of p.taxes) {
      const a = num(tx.amount, t, `tax (line ${tx.line + 1})`, reasons);
      const k = a ? kobo(a, 'tax', reasons) : undefined;
      if (k !== undefined) printedTax += k;
      if (tx.net !== undefined) {
        const nb = num(tx.net, t, `net (line ${tx.line + 1})`, reasons);
        const nk = nb ? kobo(nb, 'net', reasons) : undefined;
        if (nk !== undefined) printedNet = (printedNet ?? 0) + nk;
      }
    }
    if (Math.abs(printedTax - totals.taxTotal) > tolerance) {
      reasons.push(
        `the printed tax ${formatKobo(printedTax)} is not the ${formatKobo(totals.taxTotal)} the template's rates give (tolerance ${formatKobo(tolerance)})`,
      );
    }
    if (printedNet !== undefined && Math.abs(printedNet - totals.taxExclusive) > tolerance) {
      reasons.push(`the printed net ${formatKobo(printedNet)} is not the ${formatKobo(totals.taxExclusive)} the template's rates give`);
    }
  }
  if (p.change !== undefined) {
    const cb = num(p.change, t, 'change', reasons);
    const ck = cb ? kobo(cb, 'change', reasons) : undefined;
    if (ck !== undefined && ck !== totals.change)
      reasons.push(`the printed change ${formatKobo(ck)} is not paid ${formatKobo(paidK)} − total ${formatKobo(totalK)}`);
  }
  if (reasons.length) return { kind: 'mismatch', reasons };
  return { kind: 'sale', sale, totalKobo: totalK };
}
