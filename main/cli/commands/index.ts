// Command modules added by each capability (receipts, sync, capture, serve, …), registered in order.
// Each module lives in its own file here and owns its commands. They are loaded lazily: a run
// loads only the module of the command it runs (serialport, axios, pdfkit and the zod schemas of
// the others are not evaluated at every start; see docs/readme/coverage-main.md for the CPU saved).
// `commands` names the top-level commands a module registers (test/cli-command-loaders.test.ts
// checks them against what each module really registers).
import type { CommandModule } from '../context';

export interface CommandLoader {
  readonly commands: readonly string[];
  load(): Promise<CommandModule>;
}

export const COMMAND_LOADERS: readonly CommandLoader[] = [
  { commands: ['ingest', 'webhook-verify', 'review'], load: async () => (await import('./capture-ingest')).captureCommands },
  {
    commands: ['receipt', 'print-worker', 'print-queue', 'print-resolve', 'reprint'],
    load: async () => (await import('./receipt')).receiptCommands,
  },
  {
    commands: ['sync', 'sync-status', 'sync-problems', 'sync-attempts', 'sync-requeue'],
    load: async () => (await import('./sync')).syncCommands,
  },
  { commands: ['serve'], load: async () => (await import('./serve')).serveCommands },
  { commands: ['connect', 'poll', 'capture-webhooks'], load: async () => (await import('./capture-connect')).captureConnectCommands },
  { commands: ['sources'], load: async () => (await import('./sources')).sourcesCommands },
  { commands: ['set-pin'], load: async () => (await import('./access')).accessCommands },
  { commands: ['firs-check'], load: async () => (await import('./firs-check')).firsCheckCommands },
  { commands: ['register-link'], load: async () => (await import('./register-link')).registerLinkCommands },
  { commands: ['deals'], load: async () => (await import('./crm')).crmCommands },
  { commands: ['close-day', 'z-report'], load: async () => (await import('./z-report')).zReportCommands },
  { commands: ['shift'], load: async () => (await import('./shift')).shiftCommands },
];

/** Every module, in order (help, an unknown command, tests that drive the whole CLI). */
export async function loadAllCommandModules(): Promise<CommandModule[]> {
  return Promise.all(COMMAND_LOADERS.map((l) => l.load()));
}

/**
 * The modules a run needs: none when `command` is one the program itself defines, the one module
 * that registers it, else all of them (help, `help <cmd>`, a misspelt command: commander then
 * lists or suggests among all commands, as before).
 */
export async function commandModulesFor(command: string | undefined, builtIn: readonly string[]): Promise<CommandModule[]> {
  if (command !== undefined && builtIn.includes(command)) return [];
  const one = command === undefined ? undefined : COMMAND_LOADERS.find((l) => l.commands.includes(command));
  return one ? [await one.load()] : loadAllCommandModules();
}

/**
 * The command name in argv (after node and the script): the first word that is not an option or
 * the value of a global option taking one. Any other option before it (e.g. --help) means "not
 * known" (all modules are loaded, and commander handles it as before).
 */
export function commandNameIn(args: readonly string[], globalsWithValue: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('-')) return a;
    if (globalsWithValue.includes(a)) i++;
    else if (!globalsWithValue.some((g) => a.startsWith(`${g}=`))) return undefined;
  }
  return undefined;
}
