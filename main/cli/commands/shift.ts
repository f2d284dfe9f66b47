// `shift open|cash-in|cash-out|close|x-report|list`: the till's shifts for scripts (issue 14), through
// the same service as the till's shift dialog. In a shop with cashier PINs the caller names the
// cashier (--cashier NAME) or acts as the manager (--manager), and proves it with the PIN from
// --pin-file or $TAXPOYNT_POS_PIN (never a flag value); a single-till shop needs neither.
import type { Command } from 'commander';
import { openData } from '../../ledger/data';
import { AppSettings } from '../../app/settings';
import { MANAGER_AS_CASHIER } from '../../features/common';
import { parseMoneyEntry } from '../../../shared/catalogue/money-entry';
import { formatKobo } from '../../../shared/domain/money';
import { PAYMENT_METHODS, type PaymentMethod } from '../../../shared/domain/payment-means';
import { toLagos } from '../../../shared/domain/lagos-time';
import type { ShiftReport } from '../../../shared/shifts/report';
import type { CliContext, CommandModule } from '../context';
import { openLedger, out } from '../context';
import { UsageError } from '../errors';
import { pinsOf, readPin } from './access';
import {
  cashMove,
  closeShift,
  currentShift,
  NeedsManager,
  openShift,
  shiftReport,
  shiftsOfDay,
  type ShiftContext,
} from '../../features/shifts/service';

interface Who {
  cashier?: string;
  manager?: boolean;
  pinFile?: string;
  json?: boolean;
}

function money(option: string, text: string): number {
  try {
    return parseMoneyEntry(text);
  } catch (e) {
    throw new UsageError(`${option}: ${(e as Error).message}`);
  }
}

/** Who acts, checked with their PIN when the shop has cashier PINs (or --manager is asked for). */
function context(ctx: CliContext, o: Who): { shift: ShiftContext; manager: boolean; settings: AppSettings } {
  const ledger = openLedger(ctx.globals());
  const business = ledger.getBusiness();
  if (!business) throw new UsageError('this terminal is not set up yet (taxpoynt-pos setup)');
  const pins = pinsOf(ledger);
  const settings = new AppSettings(ledger.db);
  let cashier: string | null = null;
  let manager = false;
  if (o.manager) {
    const r = pins.check(readPin(o.pinFile, '--pin-file', 'manager'));
    if (!r.ok) throw new UsageError(`--pin-file: ${r.message}`);
    manager = true;
    if (pins.cashiers().length) cashier = MANAGER_AS_CASHIER;
  } else if (o.cashier !== undefined) {
    const r = pins.signIn(o.cashier, readPin(o.pinFile, '--pin-file', 'cashier'));
    if (!r.ok) throw new UsageError(`--pin-file: ${r.message} for cashier "${o.cashier}"`);
    cashier = r.cashier!;
  } else if (pins.cashiers().length) {
    throw new UsageError(`--cashier: this shop has cashier PINs (${pins.cashiers().join(', ')}): name the cashier, or use --manager`);
  }
  return { shift: { data: openData(ledger.db), terminal: business.terminal, cashier, now: new Date() }, manager, settings };
}

function text(r: ShiftReport): string {
  const s = r.shift;
  const lines = [
    `${r.kind === 'X' ? 'X report (open)' : 'shift closed'}  shift ${s.id}  ${s.cashier ?? 'till'}  opened ${toLagos(new Date(s.opened_at)).time}`,
    `sales ${r.sales_count} ${formatKobo(r.sales_kobo)}  refunds ${r.refunds_count} ${formatKobo(r.refunds_kobo)}  float ${formatKobo(s.float_kobo)}  change ${formatKobo(r.change_kobo)}  in ${formatKobo(r.cash_in_kobo)}  out ${formatKobo(r.cash_out_kobo)}`,
    ...r.methods.map(
      (l) =>
        `${l.method.padEnd(12)} expected ${formatKobo(l.expected_kobo)}` +
        (l.counted_kobo === null ? '' : `  counted ${formatKobo(l.counted_kobo)}  over/short ${formatKobo(l.over_short_kobo!)}`),
    ),
  ];
  return `${lines.join('\n')}\n`;
}

const print = (r: ShiftReport, json?: boolean) => (json ? out(r) : process.stdout.write(text(r)));

function who(c: Command): Command {
  return c
    .option('--cashier <name>', 'the cashier acting (a shop with cashier PINs); the PIN from --pin-file or $TAXPOYNT_POS_PIN')
    .option('--manager', "act as the manager (the manager's PIN from --pin-file or $TAXPOYNT_POS_PIN)")
    .option('--pin-file <file>', 'file holding the PIN (- for standard input)')
    .option('--json', 'the shift report as JSON');
}

export const shiftCommands: CommandModule = (program: Command, ctx: CliContext) => {
  const shift = program.command('shift').description('till shifts: open with a float, cash in/out, X report, close with counted amounts');
  who(
    shift
      .command('open')
      .description('open a shift with the counted cash float')
      .requiredOption('--float <amount>', 'the float, like 5000 or 5,000.00'),
  ).action((o: Who & { float: string }) => {
    const c = context(ctx, o);
    print(openShift(c.shift, money('--float', o.float)), o.json);
  });
  for (const kind of ['in', 'out'] as const) {
    who(
      shift
        .command(`cash-${kind}`)
        .description(
          kind === 'in'
            ? 'cash put into the drawer, with a reason'
            : 'cash taken out of the drawer, with a reason (above the cashier limit: --manager)',
        )
        .requiredOption('--amount <amount>', 'the amount, like 1000 or 1,000.00')
        .requiredOption('--reason <text>', 'why (e.g. "change from the bank", "paid supplier")'),
    ).action((o: Who & { amount: string; reason: string }) => {
      const c = context(ctx, o);
      try {
        const r = cashMove(
          c.shift,
          { kind, amount_kobo: money('--amount', o.amount), reason: o.reason },
          { manager: c.manager, limitKobo: c.settings.get('access')!.refundLimitKobo },
        );
        print(r, o.json);
      } catch (e) {
        if (e instanceof NeedsManager) throw new UsageError(`${e.message.replace(/the manager PIN$/, 'the manager (--manager)')}`);
        throw e;
      }
    });
  }
  const close = who(
    shift.command('close').description('close the shift with the counted amounts: expected vs counted, over/short per method'),
  );
  for (const m of PAYMENT_METHODS)
    close.option(
      `--${m.replace('_', '-')} <amount>`,
      m === 'cash' ? 'the counted cash (required)' : `the counted ${m.replace('_', ' ')} total (optional)`,
    );
  close.action((o: Who & Partial<Record<string, string>>) => {
    const counted: { method: PaymentMethod; amount_kobo: number }[] = [];
    for (const m of PAYMENT_METHODS) {
      const key = m.replace(/_(\w)/, (_s, ch: string) => ch.toUpperCase()); // direct_debit → directDebit
      const v = o[key];
      if (typeof v === 'string') counted.push({ method: m, amount_kobo: money(`--${m.replace('_', '-')}`, v) });
    }
    if (!counted.some((x) => x.method === 'cash')) throw new UsageError('--cash: count the drawer and give the counted cash');
    const c = context(ctx, o);
    print(closeShift(c.shift, counted), o.json);
  });
  who(shift.command('x-report').description("the open shift's figures so far (nothing is closed)")).action((o: Who) => {
    const c = context(ctx, o);
    const s = currentShift(c.shift);
    if (!s) throw new UsageError(`${c.shift.cashier ?? 'this till'} has no open shift (taxpoynt-pos shift open --float …)`);
    print(shiftReport(c.shift.data, s, c.shift.now), o.json);
  });
  shift
    .command('list')
    .description("the shifts opened on a Lagos day, with over/short (the manager's view: --manager when the shop has cashier PINs)")
    .option('--date <YYYY-MM-DD>', 'the day (default: today in Lagos)')
    .option('--manager', "the manager's PIN from --pin-file or $TAXPOYNT_POS_PIN")
    .option('--pin-file <file>', 'file holding the PIN (- for standard input)')
    .action((o: { date?: string; manager?: boolean; pinFile?: string }) => {
      const c = context(ctx, { manager: o.manager, pinFile: o.pinFile });
      if (c.shift.cashier !== null && !c.manager) throw new UsageError('--manager: the day list needs the manager');
      // (A shop with cashier PINs has to say --manager here: context() refuses an anonymous caller.)
      const date = o.date ?? toLagos(c.shift.now).date;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new UsageError(`--date: "${date}" is not a date like 2026-11-24`);
      out({ date, shifts: shiftsOfDay(c.shift.data, date, c.shift.now) });
    });
};
