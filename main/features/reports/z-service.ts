// Z reports. An open day reads live (an X reading). Closing a day allocates the next Z number,
// fixes the chain range the report covers and stores the report as computed, in one transaction
// (main/ledger/z-reports.ts); from then on the Z report is that stored document, byte for byte.
// A fiscal period stays closed: an invoice issued after the close — a late POS sale dated that
// day, a refund — is beyond the closed range and belongs to a later period, whatever its date.
import { lagosDayBounds } from '../../../shared/domain/lagos-time';
import { buildZReport } from '../../../shared/reports/day-summary';
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

function build(data: Data, date: string, ctx: ZContext, close: { z_number: number; closed_at: number; head_counter: number } | null) {
  const invoices = data.reports.dayInvoices(date, close?.head_counter);
  const report = buildZReport(date, invoices, {
    business: { name: ctx.business.name, tin: ctx.business.tin, terminal: ctx.business.terminal },
    generatedAt: close ? close.closed_at : ctx.now.getTime(),
    closed: close ? { z_number: close.z_number, closed_at: close.closed_at } : null,
    demo: ctx.demo,
  });
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
  const json = JSON.stringify(build(data, date, ctx, close).report);
  data.zReports.seal(close.z_number, json);
  return zReport(data, date, ctx);
}

/** Closes `date` (once; closing again returns the same Z report). */
export function closeDay(data: Data, date: string, ctx: ZContext): ZReportDoc {
  lagosDayBounds(date);
  if (date > ctx.today) throw new InvalidInput(`date: ${date} has not started yet (today is ${ctx.today})`);
  data.zReports.close(date, ctx.now.getTime(), (fixed) => {
    const b = build(data, date, ctx, fixed);
    return { first_counter: b.first, last_counter: b.last, report_json: JSON.stringify(b.report) };
  });
  return zReport(data, date, ctx);
}
