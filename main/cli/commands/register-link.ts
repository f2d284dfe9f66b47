// `taxpoynt-pos register-link …`: configure the links to cash registers (serial port or TCP print
// port), manage receipt templates, test a template on a capture, list captures, and run the links
// in the foreground (`serve` also runs them).
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { openDatabase } from '../../ledger/database';
import { Ledger } from '../../ledger/ledger';
import { ledgerFile, resolveDataDir } from '../../app/data-dir';
import { AppSettings, SettingsError } from '../../app/settings';
import { RegisterLinkStore, type CaptureStatus } from '../../ledger/register-link-store';
import { PrintService } from '../../print/print-service';
import { RegisterLinkService } from '../../sources/register-link/service';
import { passThroughPrinter } from '../../sources/register-link/pass-through';
import { testTemplate } from '../../sources/register-link/template-test';
import { parseTemplate, TemplateError } from '../../../shared/sources/register-link/template';
import { out, parseJson, readInput, type CliContext, type CommandModule } from '../context';
import { UsageError } from '../errors';

interface AddOpts {
  id: string;
  mode: string;
  serial?: string;
  tcp?: string;
  baud?: string;
  dataBits?: string;
  parity?: string;
  stopBits?: string;
  flow?: string;
  allowFrom?: string;
  template?: string;
  idleGapMs?: string;
  passThrough?: boolean;
  reconnectMs?: string;
}

const int = (v: string | undefined, flag: string): number | undefined => {
  if (v === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(v)) throw new UsageError(`${flag}: "${v}" is not a number`);
  return Number(v);
};

function open(ctx: CliContext) {
  const db = openDatabase(ledgerFile(resolveDataDir(ctx.globals().dataDir)));
  return { db, settings: new AppSettings(db), ledger: new Ledger(db) };
}

/** Settings errors are the user's input: exit 2 naming the field. */
function save(settings: AppSettings, value: unknown): void {
  try {
    settings.set('registerLink', value as never);
  } catch (e) {
    if (e instanceof SettingsError) throw new UsageError(e.message);
    throw e;
  }
}

export const registerLinkCommands: CommandModule = (program: Command, ctx: CliContext) => {
  const rl = program
    .command('register-link')
    .description('cash registers over a serial cable or a network print port (sale messages or print capture)');

  rl.command('ports')
    .description('list the serial ports of this computer')
    .action(async () => {
      const ports = await SerialPort.list();
      out(
        ports.map((p) => ({
          path: p.path,
          manufacturer: p.manufacturer ?? null,
          serialNumber: p.serialNumber ?? null,
          vendorId: p.vendorId ?? null,
          productId: p.productId ?? null,
        })),
      );
    });

  rl.command('add')
    .description('add or replace a link')
    .requiredOption('--id <id>', 'a name for the link, like till-1')
    .requiredOption('--mode <mode>', 'sales (canonical-sale JSON lines, ACK/NAK) or print (capture the receipts it prints)')
    .option('--serial <path>', 'serial device, like /dev/ttyUSB0 or COM3')
    .option('--tcp <host:port>', 'listen as a network printer, like 127.0.0.1:9100 (a LAN address needs --allow-from)')
    .option('--baud <n>', 'serial speed', '9600')
    .option('--data-bits <n>', '5, 6, 7 or 8', '8')
    .option('--parity <p>', 'none, even, odd, mark or space', 'none')
    .option('--stop-bits <n>', '1, 1.5 or 2', '1')
    .option('--flow <f>', 'none, rtscts or xonxoff', 'none')
    .option('--allow-from <ips>', 'comma-separated register addresses allowed on a LAN print port')
    .option('--template <id>', 'print mode: the receipt template')
    .option('--idle-gap-ms <n>', 'print mode: silence that ends a receipt without a paper cut')
    .option('--reconnect-ms <n>', 'how often to retry an unplugged port')
    .option('--pass-through', "print mode: print the register's own receipt on the real printer first", false)
    .action((o: AddOpts) => {
      if (!!o.serial === !!o.tcp) throw new UsageError('give exactly one of --serial <path> or --tcp <host:port>');
      let port: Record<string, unknown>;
      if (o.serial) {
        port = {
          kind: 'serial',
          path: o.serial,
          baudRate: int(o.baud, '--baud'),
          dataBits: int(o.dataBits, '--data-bits'),
          parity: o.parity,
          stopBits: int(o.stopBits, '--stop-bits'),
          flowControl: o.flow,
        };
      } else {
        const m = /^(.+):(\d{1,5})$/.exec(o.tcp!);
        if (!m) throw new UsageError(`--tcp: "${o.tcp}" is not host:port`);
        port = {
          kind: 'tcp',
          host: m[1],
          port: Number(m[2]),
          allowFrom: o.allowFrom
            ? o.allowFrom
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean)
            : [],
        };
      }
      const { db, settings } = open(ctx);
      try {
        const current = settings.get('registerLink')!;
        const link = {
          id: o.id,
          mode: o.mode,
          port,
          ...(o.template ? { template: o.template } : {}),
          passThrough: o.passThrough === true,
          ...(o.idleGapMs ? { idleGapMs: int(o.idleGapMs, '--idle-gap-ms') } : {}),
          ...(o.reconnectMs ? { reconnectMs: int(o.reconnectMs, '--reconnect-ms') } : {}),
        };
        save(settings, { ...current, links: [...current.links.filter((l) => l.id !== o.id), link] });
        out(settings.get('registerLink')!.links.find((l) => l.id === o.id));
      } finally {
        db.close();
      }
    });

  rl.command('remove <id>')
    .description('remove a link (its journal and captures stay)')
    .action((id: string) => {
      const { db, settings } = open(ctx);
      try {
        const current = settings.get('registerLink')!;
        if (!current.links.some((l) => l.id === id)) throw new UsageError(`id: no link "${id}"`);
        save(settings, { ...current, links: current.links.filter((l) => l.id !== id) });
        out({ removed: id });
      } finally {
        db.close();
      }
    });

  rl.command('list')
    .description('the links, with what their captures became')
    .action(() => {
      const { db, settings } = open(ctx);
      try {
        const store = new RegisterLinkStore(db);
        out(settings.get('registerLink')!.links.map((l) => ({ ...l, captures: store.counts(l.id), bytes: store.streamLength(l.id) })));
      } finally {
        db.close();
      }
    });

  rl.command('templates')
    .description('the receipt templates (JSON)')
    .action(() => {
      const { db, settings } = open(ctx);
      try {
        out(settings.get('registerLink')!.templates);
      } finally {
        db.close();
      }
    });

  rl.command('template-import <file>')
    .description('add or replace a template from a JSON file (- for stdin)')
    .action((file: string) => {
      let t;
      try {
        t = parseTemplate(parseJson(readInput(file, 'file'), 'template'));
      } catch (e) {
        if (e instanceof TemplateError) throw new UsageError(e.message);
        throw e;
      }
      const { db, settings } = open(ctx);
      try {
        const current = settings.get('registerLink')!;
        save(settings, { ...current, templates: [...current.templates.filter((x) => x.id !== t.id), t] });
        out({ imported: t.id });
      } finally {
        db.close();
      }
    });

  rl.command('test-template <template> [file]')
    .description('parse a captured receipt (raw printer bytes or text; - for stdin) with a template; exit 0 when it would be issued')
    .option('--capture <id>', 'a stored capture instead of a file')
    .action((templateId: string, file: string | undefined, o: { capture?: string }) => {
      const { db, settings } = open(ctx);
      try {
        const t = settings.get('registerLink')!.templates.find((x) => x.id === templateId);
        if (!t) throw new UsageError(`template: no template "${templateId}" (see register-link templates)`);
        let raw: Uint8Array;
        if (o.capture) {
          const c = new RegisterLinkStore(db).capture(int(o.capture, '--capture')!);
          if (!c) throw new UsageError(`--capture: no capture ${o.capture}`);
          raw = c.raw;
        } else if (file) {
          try {
            raw = readFileSync(file === '-' ? 0 : file);
          } catch (e) {
            throw new UsageError(`file: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
          }
        } else throw new UsageError('give a file (- for stdin) or --capture <id>');
        const result = testTemplate({ raw }, t, new Date());
        out(result);
        if (result.result.kind !== 'sale') process.exitCode = 2;
      } finally {
        db.close();
      }
    });

  rl.command('captures')
    .description('recent captures (newest first), with raw bytes as base64')
    .option('--link <id>')
    .option('--status <s>', 'issued, review, rejected or not_sale')
    .option('--limit <n>', 'how many', '50')
    .action((o: { link?: string; status?: string; limit: string }) => {
      if (o.status && !['issued', 'review', 'rejected', 'not_sale'].includes(o.status))
        throw new UsageError(`--status: "${o.status}" is not issued, review, rejected or not_sale`);
      const { db } = open(ctx);
      try {
        const rows = new RegisterLinkStore(db).captures({
          ...(o.link ? { link: o.link } : {}),
          ...(o.status ? { status: o.status as CaptureStatus } : {}),
          limit: int(o.limit, '--limit')!,
        });
        out(rows.map((c) => ({ ...c, raw: Buffer.from(c.raw).toString('base64') })));
      } finally {
        db.close();
      }
    });

  rl.command('run')
    .description('run the enabled links in the foreground (with the print queue) until Ctrl+C; `serve` runs them too')
    .action(async () => {
      const { db, settings, ledger } = open(ctx);
      if (!ledger.getBusiness()) {
        db.close();
        throw new UsageError('this terminal is not set up: run `taxpoynt-pos setup` first');
      }
      const rlSettings = settings.get('registerLink')!;
      if (!rlSettings.links.some((l) => l.enabled)) {
        db.close();
        throw new UsageError('no enabled link: add one with `register-link add`');
      }
      const printer = settings.get('printer');
      const print = new PrintService({ db, ledger, config: printer });
      const service = new RegisterLinkService({
        db,
        ledger,
        settings: rlSettings,
        onIssued: () => print.kick(),
        ...(rlSettings.links.some((l) => l.passThrough) ? { passThrough: passThroughPrinter(printer) } : {}),
        log: (m) => process.stderr.write(`${m}\n`),
      });
      service.on('capture', (e) => out({ event: 'capture', ...e }));
      await service.start();
      print.start();
      for (const s of service.status())
        out({
          event: 'link',
          id: s.id,
          mode: s.mode,
          state: s.state,
          description: s.description,
          ...(s.port !== undefined ? { port: s.port } : {}),
        });
      let last = '';
      service.on('change', () => {
        const states = JSON.stringify(service.status().map((s) => [s.id, s.state, s.message]));
        if (states !== last) {
          last = states;
          for (const s of service.status()) out({ event: 'state', id: s.id, state: s.state, message: s.message });
        }
      });
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      await service.stop();
      await print.stop();
      db.close();
    });
};
