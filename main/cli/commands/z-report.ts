// `close-day` and `z-report N`: the day close and the stored Z reports for scripts (issue 14).
// Same service as the manager's Z screen, so a Z closed here is the one the screen shows.
import type { Command } from 'commander';
import { openData } from '../../ledger/data';
import { toLagos } from '../../../shared/domain/lagos-time';
import { formatKobo } from '../../../shared/domain/money';
import type { CliContext, CommandModule } from '../context';
import { openLedger, out } from '../context';
import { UsageError } from '../errors';
import { closeDay, zReportByNumber, type ZContext, type ZReportDoc } from '../../features/reports/z-service';

function context(ctx: CliContext) {
  const ledger = openLedger(ctx.globals());
  const business = ledger.getBusiness();
  if (!business) throw new UsageError('this terminal is not set up yet (taxpoynt-pos setup)');
  const now = new Date();
  const z: ZContext = { business, now, demo: false, today: toLagos(now).date };
  return { data: openData(ledger.db), z };
}

function text(r: ZReportDoc): string {
  const head = r.closed ? `Z ${r.closed.z_number}  ${r.date}  closed ${new Date(r.closed.closed_at).toISOString()}` : `X ${r.date} (open)`;
  return `${head}\ninvoices ${r.total.count}  ${r.first_invoice ?? '-'} .. ${r.last_invoice ?? '-'}\ngross ${formatKobo(r.gross_kobo)}  VAT ${formatKobo(r.total.tax_kobo)}\n`;
}

export const zReportCommands: CommandModule = (program: Command, ctx: CliContext) => {
  program
    .command('close-day')
    .description('close a Lagos day: its Z report gets the next number and never changes (default: today)')
    .option('--date <YYYY-MM-DD>', 'the day to close (default: today in Lagos)')
    .option('--json', 'the Z report as JSON')
    .action((o: { date?: string; json?: boolean }) => {
      const { data, z } = context(ctx);
      const date = o.date ?? z.today;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new UsageError(`--date: "${date}" is not a date like 2026-11-24`);
      const r = closeDay(data, date, z);
      if (o.json) out(r);
      else process.stdout.write(text(r));
    });
  program
    .command('z-report <number>')
    .description('a closed Z report by its number, exactly as stored at the close')
    .option('--json', 'JSON output (byte-identical every time)')
    .action((n: string, o: { json?: boolean }) => {
      if (!/^[1-9]\d{0,8}$/.test(n)) throw new UsageError(`number: "${n}" is not a Z number like 1`);
      const { data, z } = context(ctx);
      const r = zReportByNumber(data, Number(n), z);
      if (!r) throw new UsageError(`number: no Z report ${n} (closed: ${data.zReports.latest()?.z_number ?? 'none yet'})`);
      if (o.json) out(r);
      else process.stdout.write(text(r));
    });
};
