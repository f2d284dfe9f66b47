// Z reports. An open day reads live (an X reading). Closing a day allocates the next Z number,
// fixes the chain range the report covers and stores the report as computed, in one transaction
// (main/ledger/z-reports.ts); from then on the Z report is that stored document, byte for byte.
// A fiscal period stays closed: an invoice issued after the close — a late POS sale dated that
// day, a refund — is beyond the closed range and belongs to the next period (the next Z, or the
// open X reading), whatever its date; closes go forward in date order.
import { lagosDayBounds } from '../../../shared/domain/lagos-time';
import { buildZReport, zReportFromTotals } from '../../../shared/reports/day-summary';
import { InvalidInput } from '../../../shared/domain/sale';
import { ZReportSchema } from '../../../shared/ipc/contract';
import type { z } from 'zod';
import type { Business } from '../../../shared/domain/business';
import type { Data } from '../../ledger/data';
import type { ZClose } from '../../ledger/z-reports';

export type ZReportDoc = z.output<typeof ZReportSchema>;

export interface ZContext {
  business: Business;
  now: Date;
  demo: boolean;
  /** Today's Lagos date. */
  today: string;
}

export class ZReportCorrupt extends Error {
  constructor(zNumber: number, why: string) {
    super(`stored Z report ${zNumber} is unreadable (${why}): the ledger file may be damaged`);
    this.name = 'ZReportCorrupt';
  }
}

type Fixed = { z_number: number; closed_at: number; head_counter: number };

/** A period's report: `close` fixed (a new close, or an X reading as the next Z would be). */
function build(data: Data, date: string, ctx: ZContext, close: Fixed | null, legacy = false) {
  const zctx = {
    business: { name: ctx.business.name, tin: ctx.business.tin, terminal: ctx.business.terminal },
    generatedAt: close ? close.closed_at : ctx.now.getTime(),
    closed: close ? { z_number: close.z_number, closed_at: close.closed_at } : null,
    demo: ctx.demo,
  };
  let invoices;
  if (legacy) {
    // Carried over from the settings blob: those closes covered their own date only.
    invoices = data.reports.dayInvoices(date, close!.head_counter);
  } else {
    const next = close ?? { z_number: (data.zReports.latest()?.z_number ?? 0) + 1, head_counter: Number.MAX_SAFE_INTEGER };
    // The running totals answer in a few rows; the invoices are read only when they cannot say it exactly.
    const prev = data.zReports.previous(next.z_number);
    const sums = data.reportTotals.period(date, next.head_counter, prev ?? { z_number: 0, head_counter: 0, day: '' });
    if (sums) return { report: zReportFromTotals(date, sums.totals, sums.facts, zctx), first: sums.first, last: sums.last };
    invoices = data.zReports.periodInvoices(date, next.head_counter, next.z_number);
  }
  const report = buildZReport(date, invoices, zctx);
  return { report, first: invoices[0]?.counter ?? null, last: invoices.at(-1)?.counter ?? null };
}

function stored(close: ZClose & { report_json: string }): ZReportDoc {
  let value: unknown;
  try {
    value = JSON.parse(close.report_json);
  } catch (e) {
    throw new ZReportCorrupt(close.z_number, (e as Error).message);
  }
  const r = ZReportSchema.safeParse(value);
  if (!r.success) throw new ZReportCorrupt(close.z_number, r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return r.data;
}

/** The Z report of `date`: the stored one when the day is closed, else a live X reading. */
export function zReport(data: Data, date: string, ctx: ZContext): ZReportDoc {
  lagosDayBounds(date);
  const close = data.zReports.get(date);
  if (!close) return build(data, date, ctx, null).report;
  if (close.report_json !== null) return stored({ ...close, report_json: close.report_json });
  // A close carried over from the old settings blob: computed over its range, sealed once.
  const json = JSON.stringify(build(data, date, ctx, close, true).report);
  data.zReports.seal(close.z_number, json);
  return zReport(data, date, ctx);
}

/** The stored Z report numbered `zNumber`. */
export function zReportByNumber(data: Data, zNumber: number, ctx: ZContext): ZReportDoc | undefined {
  const close = data.zReports.byNumber(zNumber);
  return close ? zReport(data, close.day, ctx) : undefined;
}

/** The till's banner: the latest close, when today's is among the closed (new sales go to the next Z). */
export function periodState(data: Data, today: string): { closed_today: boolean; last_z: number | null; next_z: number } {
  const latest = data.zReports.latest();
  return { closed_today: latest?.day === today, last_z: latest?.z_number ?? null, next_z: (latest?.z_number ?? 0) + 1 };
}

/** Closes `date` (once; closing again returns the same Z report). */
export function closeDay(data: Data, date: string, ctx: ZContext): ZReportDoc {
  lagosDayBounds(date);
  if (date > ctx.today) throw new InvalidInput(`date: ${date} has not started yet (today is ${ctx.today})`);
  const latest = data.zReports.latest();
  if (latest && date < latest.day && !data.zReports.get(date))
    throw new InvalidInput(
      `date: ${date} is before ${latest.day}, already closed as Z ${latest.z_number}; its late sales are in the next period`,
    );
  data.zReports.close(date, ctx.now.getTime(), (fixed) => {
    const b = build(data, date, ctx, fixed);
    return { first_counter: b.first, last_counter: b.last, report_json: JSON.stringify(b.report) };
  });
  return zReport(data, date, ctx);
}
