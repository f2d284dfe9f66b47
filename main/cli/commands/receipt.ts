// Receipt and print-queue commands:
//   receipt IRN --format escpos|png|text --out FILE [--copy] [--width 58|80] [--type epson|star] [--qr native|raster]
//   print-worker [--printer URI …] [--until-idle]   drains the print queue (runs until stopped)
//   print-queue                                    queued jobs and printed-unconfirmed problems
//   reprint IRN                                    queues a COPY
//   print-resolve JOB --printed|--reprint          settles a printed-unconfirmed job after checking the paper
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliContext, CommandModule } from '../context';
import { openLedger, out } from '../context';
import { UsageError } from '../errors';
import { resolveDataDir } from '../../app/data-dir';
import { buildReceipt } from '../../../shared/receipt/receipt';
import { layoutReceipt, layoutToText, type PaperWidth } from '../../../shared/receipt/layout';
import { PrinterConfigError, parsePrinterConfig, type PrinterConfigInput } from '../../../shared/receipt/printer-config';
import { renderEscpos } from '../../print/escpos-render';
import { renderPng } from '../../print/png-render';
import { PrintService } from '../../print/print-service';
import { PrintJobs, UnknownProblem } from '../../ledger/print-jobs';

const FORMATS = ['escpos', 'png', 'text'] as const;

function parseWidth(value: string): PaperWidth {
  if (value !== '58' && value !== '80') throw new UsageError(`--width: "${value}" must be 58 or 80 (mm)`);
  return Number(value) as PaperWidth;
}

function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${option}: "${value}" must be one of ${allowed.join(', ')}`);
  return value as T;
}

function intOption(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${option}: "${value}" must be a whole number of milliseconds`);
  return Number(value);
}

function writeOut(file: string, data: Buffer | string): void {
  if (file === '-') {
    process.stdout.write(data);
    return;
  }
  try {
    writeFileSync(file, data);
  } catch (e) {
    throw new UsageError(`--out: cannot write ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

function printerConfig(o: Record<string, string | boolean | undefined>, dataDir: string): ReturnType<typeof parsePrinterConfig> {
  const input: PrinterConfigInput = {
    interface: (o.printer as string | undefined) ?? 'virtual',
    type: oneOf('--type', (o.type as string | undefined) ?? 'epson', ['epson', 'star'] as const),
    width: parseWidth((o.width as string | undefined) ?? '80'),
    qr: oneOf('--qr', (o.qr as string | undefined) ?? 'auto', ['auto', 'native', 'raster'] as const),
    cash_drawer: o.cashDrawer !== false,
    status_check: o.statusCheck !== false,
    virtual_dir: (o.virtualDir as string | undefined) ?? join(dataDir, 'receipts'),
  };
  const timeout = intOption('--timeout-ms', o.timeoutMs as string | undefined);
  const statusTimeout = intOption('--status-timeout-ms', o.statusTimeoutMs as string | undefined);
  if (timeout !== undefined) input.timeout_ms = timeout;
  if (statusTimeout !== undefined) input.status_timeout_ms = statusTimeout;
  if (o.baudRate !== undefined) input.baud_rate = intOption('--baud-rate', o.baudRate as string);
  try {
    return parsePrinterConfig(input);
  } catch (e) {
    if (e instanceof PrinterConfigError) throw new UsageError(e.message);
    throw e;
  }
}

export const receiptCommands: CommandModule = (program: Command, ctx: CliContext) => {
  program
    .command('receipt <irn>')
    .description("render an issued invoice's fiscal receipt as ESC/POS bytes, a PNG image or plain text")
    .requiredOption('--format <format>', `one of ${FORMATS.join(', ')}`)
    .requiredOption('--out <file>', 'output file, or - for standard output')
    .option('--copy', 'mark it COPY (a reprint)')
    .option('--width <mm>', 'paper width: 58 or 80', '80')
    .option('--type <type>', 'ESC/POS command set: epson or star', 'epson')
    .option('--qr <mode>', 'ESC/POS QR: native or raster', 'native')
    .option('--naira <mode>', 'auto (₦ in png/text) or code (NGN)', 'auto')
    .action((irn: string, o) => {
      const format = oneOf('--format', o.format, FORMATS);
      const width = parseWidth(o.width);
      const type = oneOf('--type', o.type, ['epson', 'star'] as const);
      const qr = oneOf('--qr', o.qr, ['native', 'raster'] as const);
      const naira = oneOf('--naira', o.naira, ['auto', 'code'] as const);
      const ledger = openLedger(ctx.globals());
      const inv = ledger.findByIrn(irn);
      if (!inv) throw new UsageError(`IRN: no invoice ${irn} in this ledger`);
      const business = ledger.getBusiness();
      if (!business) throw new UsageError('this terminal is not set up: run `taxpoynt-pos setup` first');
      const layout = layoutReceipt(buildReceipt(inv, business, { copy: o.copy === true }), {
        width,
        nairaSymbol: naira === 'auto' && format !== 'escpos',
      });
      if (format === 'text') writeOut(o.out, layoutToText(layout));
      else if (format === 'png') writeOut(o.out, renderPng(layout));
      else writeOut(o.out, renderEscpos(layout, { commands: type, qr, cut: true, drawer: false }));
    });

  program
    .command('print-worker')
    .description('print queued receipts to the printer (retries while it is offline); runs until stopped')
    .option('--printer <uri>', 'virtual, tcp://host:9100, serial:/dev/ttyUSB0, /dev/usb/lp0 or printer:NAME', 'virtual')
    .option('--type <type>', 'epson or star', 'epson')
    .option('--width <mm>', '58 or 80', '80')
    .option('--qr <mode>', 'auto, native or raster', 'auto')
    .option('--no-cash-drawer', 'never pulse the cash drawer')
    .option('--no-status-check', 'do not ask the printer for its status')
    .option('--timeout-ms <ms>', 'connect timeout')
    .option('--status-timeout-ms <ms>', 'how long to wait for a status answer')
    .option('--baud-rate <n>', 'serial speed')
    .option('--lease-ms <ms>', 'how long a job may stay in progress before a restarted worker recovers it')
    .option('--virtual-dir <dir>', 'where the virtual printer writes .bin and .png files (default DATA_DIR/receipts)')
    .option('--until-idle', 'print what is due now, then exit')
    .action(async (o) => {
      const globals = ctx.globals();
      const config = printerConfig(o, resolveDataDir(globals.dataDir));
      const ledger = openLedger(globals);
      const service = new PrintService({
        db: ledger.db,
        ledger,
        config,
        ...(o.leaseMs ? { leaseMs: intOption('--lease-ms', o.leaseMs)! } : {}),
      });
      if (o.untilIdle) {
        const printed = await service.runUntilIdle();
        out({ processed: printed, ...service.status(), problems: service.problems() });
        return;
      }
      service.on('change', (s) => process.stderr.write(`print-worker: ${JSON.stringify(s)}\n`));
      service.start();
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await service.stop();
    });

  program
    .command('print-queue')
    .description('print jobs waiting, and receipts whose printing is unconfirmed (check the paper, reprint if needed)')
    .action(() => {
      const ledger = openLedger(ctx.globals());
      const jobs = new PrintJobs(ledger.db);
      out({ queued: jobs.queued(), problems: jobs.problems() });
    });

  program
    .command('print-resolve <job>')
    .description('after checking the paper of an unconfirmed receipt (see print-queue): it --printed, or --reprint a COPY')
    .option('--printed', 'it did print: close the problem')
    .option('--reprint', 'it did not print: queue a COPY and close the problem')
    .action((job: string, o) => {
      if (Boolean(o.printed) === Boolean(o.reprint)) throw new UsageError('print-resolve: say either --printed or --reprint');
      const ledger = openLedger(ctx.globals());
      try {
        out({ ok: true, job, ...new PrintJobs(ledger.db).resolve(job, o.printed ? 'printed' : 'reprint', Date.now()) });
      } catch (e) {
        if (e instanceof UnknownProblem || /is not a print job id/.test((e as Error).message)) throw new UsageError((e as Error).message);
        throw e;
      }
    });

  program
    .command('reprint <irn>')
    .description("queue a reprint (marked COPY) of an issued invoice's receipt")
    .action((irn: string) => {
      const ledger = openLedger(ctx.globals());
      const inv = ledger.findByIrn(irn);
      if (!inv) throw new UsageError(`IRN: no invoice ${irn} in this ledger`);
      const request = new PrintJobs(ledger.db).enqueueCopy(inv.counter, Date.now());
      out({ ok: true, irn, request });
    });
};
