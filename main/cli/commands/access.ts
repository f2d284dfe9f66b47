// `set-pin`: the manager PIN (or a cashier's) for a terminal set up from the command line, so its
// manager area and LAN log-in can be reached. The PIN comes from a file, standard input or the
// TAXPOYNT_POS_PIN environment variable, never from a flag value (those show in `ps`).
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { AppSettings } from '../../app/settings';
import { ManagerPin, PinInUse } from '../../app/manager-pin';
import { CASHIER_PIN_PATTERN, CASHIER_PIN_RULE, MANAGER_PIN_PATTERN, MANAGER_PIN_RULE, MAX_LEN } from '../../../shared/domain/limits';
import type { CliContext, CommandModule } from '../context';
import { openLedger, out } from '../context';
import { UsageError } from '../errors';
import type { Ledger } from '../../ledger/ledger';

export const PIN_ENV = 'TAXPOYNT_POS_PIN';

/** The PIN from --pin-file (a path, or - for stdin), else $TAXPOYNT_POS_PIN; checked against the role's rule. */
export function readPin(
  file: string | undefined,
  option: string,
  role: 'manager' | 'cashier',
  env: NodeJS.ProcessEnv = process.env,
): string {
  let text: string | undefined;
  if (file !== undefined) {
    try {
      text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`${option}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  } else {
    text = env[PIN_ENV];
    if (text === undefined)
      throw new UsageError(`${option}: give the PIN in a file (${option} F, or - for stdin) or in $${PIN_ENV}; never as a flag value`);
  }
  const pin = text.trim();
  if (role === 'manager' && !MANAGER_PIN_PATTERN.test(pin))
    throw new UsageError(`${option}: ${MANAGER_PIN_RULE} (a cashier's may be 4 to 8)`);
  if (role === 'cashier' && !CASHIER_PIN_PATTERN.test(pin)) throw new UsageError(`${option}: ${CASHIER_PIN_RULE}`);
  return pin;
}

export function pinsOf(ledger: Ledger): ManagerPin {
  return new ManagerPin(new AppSettings(ledger.db));
}

export const accessCommands: CommandModule = (program: Command, ctx: CliContext) => {
  program
    .command('set-pin')
    .description(`set the manager PIN, or a cashier's with --cashier (PIN from --pin-file F, - for stdin, or $${PIN_ENV})`)
    .option('--pin-file <file>', 'file holding the PIN (- for standard input)')
    .option('--cashier <name>', "set this cashier's PIN instead of the manager's")
    .option('--remove', "with --cashier: remove that cashier's PIN")
    .action((o: { pinFile?: string; cashier?: string; remove?: boolean }) => {
      const ledger = openLedger(ctx.globals());
      const pins = pinsOf(ledger);
      if (o.remove) {
        if (!o.cashier) throw new UsageError('--remove: name the cashier with --cashier');
        if (!pins.removeCashier(o.cashier))
          throw new UsageError(`--cashier: no cashier "${o.cashier}" (cashiers: ${pins.cashiers().join(', ') || 'none'})`);
        out({ ok: true, removed: o.cashier, cashiers: pins.cashiers() });
        return;
      }
      if (o.cashier !== undefined) {
        const name = o.cashier.trim();
        if (!name || name.length > MAX_LEN.name) throw new UsageError(`--cashier: a name of 1 to ${MAX_LEN.name} characters`);
        if (!pins.isSet()) throw new UsageError('--cashier: set the manager PIN first (taxpoynt-pos set-pin)');
        const pin = readPin(o.pinFile, '--pin-file', 'cashier');
        try {
          pins.setCashier(name, pin);
        } catch (e) {
          if (e instanceof PinInUse) throw new UsageError(`--pin-file: ${e.message}`);
          throw e;
        }
        out({ ok: true, role: 'cashier', cashier: name, cashiers: pins.cashiers() });
        return;
      }
      pins.set(readPin(o.pinFile, '--pin-file', 'manager'));
      out({ ok: true, role: 'manager' });
    });
};
