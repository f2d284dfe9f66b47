// The CSV export, streamed: one day at a time, one page of invoices at a time (each row formatted
// as it is read, never the range's invoices in memory), the event loop given back between pages so
// a sale at the till is served while a manager exports a quarter (issue 15: 33 s blocking, 3.2 GB).
// The browser-mode server writes the chunks to the response (main/server/app-server.ts); the
// 'export.csv' channel joins them.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { InvalidInput } from '../../../shared/domain/sale';
import { CSV_HEADER, csvRow } from '../../../shared/reports/csv';
import type { AppServices } from '../../app/services';
import { requireBusiness } from '../common';
import type { Data } from '../../ledger/data';

/** At most this many days per export (the manager's screen says so). */
export const MAX_EXPORT_DAYS = 92;
/** Invoices per query: ~1.5 ms of decoding and formatting (0.145 ms of CPU an invoice, measured). */
export const EXPORT_PAGE = 10;
/**
 * The event loop is given back once a slice has run this long (pages read in between): a till
 * sale waits at most about this plus one page. With a fixed 100 invoices a turn (~12 ms of CPU
 * under load) the loop's p99 wait during a 10-day export was 27 ms (issue 15); measured with
 * 10 and 2 ms, the slices' CPU p50/p90/p99 are 2.5/4.0/6.2 ms (20 and 4 ms: 4.0/6.3/10.3).
 */
export const EXPORT_SLICE_MS = 2;

export interface CsvExportPlan {
  filename: string;
  days: string[];
}

/** Checks the range (refused with a reason naming it) and names the file. */
export function planCsvExport(services: AppServices, from: string, to: string): CsvExportPlan {
  const b = requireBusiness(services);
  if (to < from) throw new InvalidInput(`to: ${to} is before from ${from}`);
  const n = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (n > MAX_EXPORT_DAYS) throw new InvalidInput(`to: at most ${MAX_EXPORT_DAYS} days per export (asked for ${n})`);
  const days = Array.from({ length: n }, (_, d) => new Date(Date.parse(`${from}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10));
  const name = from === to ? from : `${from}_${to}`;
  return { filename: `taxpoynt-${b.terminal}-${name}${services.isDemo ? '-DEMO' : ''}.csv`, days };
}

/**
 * The export's text in chunks (the header first, then the rows read in one slice of at most about
 * `sliceMs` each), in day and chain order; `count.rows` counts the rows.
 */
export async function* csvChunks(
  data: Data,
  days: readonly string[],
  count = { rows: 0 },
  page = EXPORT_PAGE,
  sliceMs = EXPORT_SLICE_MS,
): AsyncGenerator<string> {
  yield CSV_HEADER;
  let chunk = '';
  let sliceStart = performance.now();
  for (const day of days) {
    let after = 0;
    for (;;) {
      const last = data.reports.invoicePage(day, after, page, (inv) => {
        chunk += csvRow(inv);
        count.rows++;
      });
      if (last === null) break;
      after = last;
      if (performance.now() - sliceStart >= sliceMs) {
        yield chunk;
        chunk = '';
        await nextTurn(); // the till's requests go first
        sliceStart = performance.now();
      }
    }
  }
  if (chunk) yield chunk;
}
