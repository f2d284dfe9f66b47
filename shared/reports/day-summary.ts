// Day summary and Z report, pure: computed from the day's issued invoices exactly as the ledger
// holds them. Amounts are recomputed from each canonical sale by the same computeTotals the ledger
// used, and checked against the stored columns, so a report can never silently disagree with it.
// Credit notes subtract everywhere: totals, VAT per category, payments per method.
import type { Sale } from '../domain/sale';
import { computeTotals, type SaleTotals } from '../domain/totals';
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

/** The figures of one issued invoice that a report adds up (what the ledger stores for it). */
export interface ContributingInvoice {
  type: string;
  source: string;
  issued_at: number; // unix s
}

/**
 * What one invoice adds to its day's reports: its document totals (as stored, positive), its VAT
 * subtotals and the money taken per method (signed: credit notes subtract), and its Lagos hour.
 * The ledger keeps these added up per day as each sale is issued (main/ledger/report-totals.ts).
 */
export interface Contribution {
  credit: boolean;
  demo: boolean;
  hour: number;
  payable_kobo: number;
  net_kobo: number;
  tax_kobo: number;
  tip_kobo: number;
  vat: DaySummary['vat'];
  /** amount_kobo: taken (cash net of the change given back); tendered_kobo: as the sale states it. */
  payments: { method: PaymentMethod; amount_kobo: number; tendered_kobo: number }[];
}

export function contribution(inv: ContributingInvoice, t: SaleTotals): Contribution {
  const sign = inv.type === CREDIT_NOTE ? -1 : 1;
  // Money actually taken per method: cash gives the change back.
  let change = t.change;
  const payments = t.payments.map((p) => {
    let amount = p.amount;
    if (p.method === 'cash' && change > 0) {
      const back = Math.min(change, amount);
      amount -= back;
      change -= back;
    }
    return { method: p.method, amount_kobo: sign * amount, tendered_kobo: sign * p.amount };
  });
  return {
    credit: sign < 0,
    demo: inv.source === 'demo',
    hour: Number(toLagos(new Date(inv.issued_at * 1000)).time.slice(0, 2)),
    payable_kobo: t.taxInclusive,
    net_kobo: t.taxExclusive,
    tax_kobo: t.taxTotal,
    tip_kobo: t.tip,
    vat: t.subtotals.map((s) => ({ category: s.category, rate: s.rate, taxable_kobo: sign * s.taxable, tax_kobo: sign * s.tax })),
    payments,
  };
}

/**
 * Contributions added up, each group in the order it first appeared (the chain order). This is
 * what the ledger's running totals give back for a day or a Z period, and what summariseDay folds
 * the day's invoices into: the summary is then built from it the same way for both.
 */
export interface ReportTotals {
  docs: { credit: boolean; demo: boolean; count: number; payable_kobo: number; net_kobo: number; tax_kobo: number; tip_kobo: number }[];
  vat: DaySummary['vat'];
  payments: DaySummary['payments'];
  hourly: DaySummary['hourly'];
}

export function emptyTotals(): ReportTotals {
  return { docs: [], vat: [], payments: [], hourly: Array.from({ length: 24 }, (_, hour) => ({ hour, count: 0, payable_kobo: 0 })) };
}

/** Adds one invoice's contribution to `totals` (in place). */
export function addContribution(totals: ReportTotals, c: Contribution): void {
  let doc = totals.docs.find((d) => d.credit === c.credit && d.demo === c.demo);
  if (!doc) totals.docs.push((doc = { credit: c.credit, demo: c.demo, count: 0, payable_kobo: 0, net_kobo: 0, tax_kobo: 0, tip_kobo: 0 }));
  doc.count++;
  doc.payable_kobo += c.payable_kobo;
  doc.net_kobo += c.net_kobo;
  doc.tax_kobo += c.tax_kobo;
  doc.tip_kobo += c.tip_kobo;
  for (const s of c.vat) {
    let row = totals.vat.find((v) => v.category === s.category && v.rate === s.rate);
    if (!row) totals.vat.push((row = { category: s.category, rate: s.rate, taxable_kobo: 0, tax_kobo: 0 }));
    row.taxable_kobo += s.taxable_kobo;
    row.tax_kobo += s.tax_kobo;
  }
  for (const p of c.payments) {
    let row = totals.payments.find((x) => x.method === p.method);
    if (!row) totals.payments.push((row = { method: p.method, amount_kobo: 0, count: 0 }));
    row.amount_kobo += p.amount_kobo;
    row.count++;
  }
  const hour = totals.hourly[c.hour]!;
  hour.count++;
  hour.payable_kobo += c.credit ? -c.payable_kobo : c.payable_kobo;
}

/** Recomputes an invoice's totals from its sale and refuses one whose stored columns disagree. */
export function checkedTotals(inv: ReportInvoice): SaleTotals {
  const t = computeTotals(inv.sale);
  if (t.taxInclusive !== inv.payable_kobo || t.taxTotal !== inv.tax_kobo || t.taxExclusive !== inv.net_kobo || t.tip !== inv.tip_kobo) {
    throw new ReportMismatch(`invoice ${inv.invoice_number}: stored totals differ from its sale; run \`taxpoynt-pos verify\``);
  }
  return t;
}

export function summariseDay(date: string, invoices: readonly ReportInvoice[], options: { demo?: boolean } = {}): DaySummary {
  const totals = emptyTotals();
  for (const inv of invoices) addContribution(totals, contribution(inv, checkedTotals(inv)));
  return summaryFromTotals(date, totals, options);
}

/** The day summary from added-up totals (the ledger's running totals, or summariseDay's fold). */
export function summaryFromTotals(date: string, totals: ReportTotals, options: { demo?: boolean } = {}): DaySummary {
  const sales = zero();
  const credits = zero();
  for (const d of totals.docs) {
    const bucket = d.credit ? credits : sales;
    bucket.count += d.count;
    bucket.payable_kobo += d.payable_kobo;
    bucket.net_kobo += d.net_kobo;
    bucket.tax_kobo += d.tax_kobo;
    bucket.tip_kobo += d.tip_kobo;
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
    vat: totals.vat.map((v) => ({ ...v })).sort((a, b) => a.category.localeCompare(b.category) || Number(a.rate) - Number(b.rate)),
    payments: totals.payments.map((p) => ({ ...p })).sort((a, b) => a.method.localeCompare(b.method)),
    hourly: totals.hourly.map((h) => ({ ...h })),
    demo: options.demo ?? totals.docs.some((d) => d.demo && d.count > 0),
  };
}

export interface ZReportContext {
  business: { name: string; tin: string; terminal: string };
  generatedAt: number; // unix ms
  closed: { z_number: number; closed_at: number } | null;
  demo?: boolean;
}

/** What a Z report states of its period beyond the totals: its chain range and report state. */
export interface PeriodFacts {
  first_invoice: string | null;
  last_invoice: string | null;
  chain_head: string | null;
  /** Invoices reported to FIRS (demo ones never are). */
  reported: number;
}

export function buildZReport(date: string, invoices: readonly ReportInvoice[], ctx: ZReportContext): ZReport {
  const ordered = [...invoices].sort((a, b) => a.counter - b.counter);
  const totals = emptyTotals();
  for (const inv of ordered) addContribution(totals, contribution(inv, checkedTotals(inv)));
  return zReportFromTotals(
    date,
    totals,
    {
      first_invoice: ordered[0]?.invoice_number ?? null,
      last_invoice: ordered.at(-1)?.invoice_number ?? null,
      chain_head: ordered.at(-1)?.hash ?? null,
      reported: ordered.filter((i) => i.status === 'reported').length,
    },
    ctx,
  );
}

/** The Z report from a period's added-up totals and facts (the ledger's running totals, or buildZReport's fold). */
export function zReportFromTotals(date: string, totals: ReportTotals, facts: PeriodFacts, ctx: ZReportContext): ZReport {
  const summary = summaryFromTotals(date, totals, ctx.demo === undefined ? {} : { demo: ctx.demo });
  return {
    ...summary,
    business: ctx.business,
    generated_at: ctx.generatedAt,
    first_invoice: facts.first_invoice,
    last_invoice: facts.last_invoice,
    chain_head: facts.chain_head,
    reported: facts.reported,
    unreported: summary.total.count - facts.reported,
    closed: ctx.closed,
  };
}
