// Day summary and Z report, pure: computed from the day's issued invoices exactly as the ledger
// holds them. Amounts are recomputed from each canonical sale by the same computeTotals the ledger
// used, and checked against the stored columns, so a report can never silently disagree with it.
// Credit notes subtract everywhere: totals, VAT per category, payments per method.
import type { Sale } from '../domain/sale';
import { computeTotals } from '../domain/totals';
import { toLagos } from '../domain/lagos-time';
import type { PaymentMethod } from '../domain/payment-means';
import type { DaySummary, ZReport } from '../ipc/contract';
import { INVOICE_TYPE } from '../domain/firs-invoice';

/** The fields of an issued invoice a report needs (IssuedInvoice satisfies it). */
export interface ReportInvoice {
  counter: number;
  invoice_number: string;
  irn: string;
  type: string; // FIRS codes: '381' invoice, '380' credit note
  source: string;
  issued_at: number; // unix s
  payable_kobo: number;
  net_kobo: number;
  tax_kobo: number;
  tip_kobo: number;
  hash: string;
  status: string; // ledger report status
  sale: Sale;
}

export const CREDIT_NOTE: string = INVOICE_TYPE.creditNote; // FIRS: 381 invoice, 380 credit note

export class ReportMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportMismatch';
  }
}

type Sums = DaySummary['sales'];
const zero = (): Sums => ({ count: 0, payable_kobo: 0, net_kobo: 0, tax_kobo: 0, tip_kobo: 0 });

export function summariseDay(date: string, invoices: readonly ReportInvoice[], options: { demo?: boolean } = {}): DaySummary {
  const sales = zero();
  const credits = zero();
  const vat = new Map<string, DaySummary['vat'][number]>();
  const payments = new Map<PaymentMethod, DaySummary['payments'][number]>();
  const hourly = Array.from({ length: 24 }, (_, hour) => ({ hour, count: 0, payable_kobo: 0 }));

  for (const inv of invoices) {
    const t = computeTotals(inv.sale);
    if (t.taxInclusive !== inv.payable_kobo || t.taxTotal !== inv.tax_kobo || t.taxExclusive !== inv.net_kobo || t.tip !== inv.tip_kobo) {
      throw new ReportMismatch(`invoice ${inv.invoice_number}: stored totals differ from its sale; run \`taxpoynt-pos verify\``);
    }
    const sign = inv.type === CREDIT_NOTE ? -1 : 1;
    const bucket = sign < 0 ? credits : sales;
    bucket.count++;
    bucket.payable_kobo += inv.payable_kobo;
    bucket.net_kobo += inv.net_kobo;
    bucket.tax_kobo += inv.tax_kobo;
    bucket.tip_kobo += inv.tip_kobo;

    for (const s of t.subtotals) {
      const key = `${s.category}|${s.rate}`;
      const row = vat.get(key) ?? { category: s.category, rate: s.rate, taxable_kobo: 0, tax_kobo: 0 };
      row.taxable_kobo += sign * s.taxable;
      row.tax_kobo += sign * s.tax;
      vat.set(key, row);
    }
    // Money actually taken per method: cash gives the change back.
    let change = t.change;
    for (const p of t.payments) {
      let amount = p.amount;
      if (p.method === 'cash' && change > 0) {
        const back = Math.min(change, amount);
        amount -= back;
        change -= back;
      }
      const row = payments.get(p.method) ?? { method: p.method, amount_kobo: 0, count: 0 };
      row.amount_kobo += sign * amount;
      row.count++;
      payments.set(p.method, row);
    }
    const hour = Number(toLagos(new Date(inv.issued_at * 1000)).time.slice(0, 2));
    hourly[hour]!.count++;
    hourly[hour]!.payable_kobo += sign * inv.payable_kobo;
  }

  const total: Sums = {
    count: sales.count + credits.count,
    payable_kobo: sales.payable_kobo - credits.payable_kobo,
    net_kobo: sales.net_kobo - credits.net_kobo,
    tax_kobo: sales.tax_kobo - credits.tax_kobo,
    tip_kobo: sales.tip_kobo - credits.tip_kobo,
  };
  return {
    date,
    sales,
    credits,
    total,
    gross_kobo: total.payable_kobo,
    net_kobo: total.net_kobo,
    vat: [...vat.values()].sort((a, b) => a.category.localeCompare(b.category) || Number(a.rate) - Number(b.rate)),
    payments: [...payments.values()].sort((a, b) => a.method.localeCompare(b.method)),
    hourly,
    demo: options.demo ?? invoices.some((i) => i.source === 'demo'),
  };
}

export interface ZReportContext {
  business: { name: string; tin: string; terminal: string };
  generatedAt: number; // unix ms
  closed: { z_number: number; closed_at: number } | null;
  demo?: boolean;
}

export function buildZReport(date: string, invoices: readonly ReportInvoice[], ctx: ZReportContext): ZReport {
  const ordered = [...invoices].sort((a, b) => a.counter - b.counter);
  const summary = summariseDay(date, ordered, ctx.demo === undefined ? {} : { demo: ctx.demo });
  const reported = ordered.filter((i) => i.status === 'reported').length;
  return {
    ...summary,
    business: ctx.business,
    generated_at: ctx.generatedAt,
    first_invoice: ordered[0]?.invoice_number ?? null,
    last_invoice: ordered.at(-1)?.invoice_number ?? null,
    chain_head: ordered.at(-1)?.hash ?? null,
    reported,
    unreported: ordered.length - reported,
    closed: ctx.closed,
  };
}
