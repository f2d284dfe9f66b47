// `taxpoynt-pos` command line: setup, invoices, show, qr, verify (ingest and the rest: commands/).
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import type { Ledger, IssuedInvoice } from '../ledger/ledger';
import { resolveDataDir } from '../app/data-dir';
import { openLedger, out } from './context';
import { InvoiceQueries } from '../ledger/invoice-queries';
import { commandModulesFor, commandNameIn } from './commands/index';
import { verifyFullParallel, verifyThreadScript } from '../ledger/verify-parallel';
import { formatKobo } from '../../shared/domain/money';
import { exitCodeFor, UsageError } from './errors';
import { pinsOf, readPin } from './commands/access';
import { profileCodeCheck } from '../firs/profile-check';

function summary(inv: IssuedInvoice) {
  return {
    irn: inv.irn,
    invoice_number: inv.invoice_number,
    type: inv.type,
    issue_date: inv.issue_date,
    source: inv.source,
    external_id: inv.external_id,
    currency: inv.currency,
    status: inv.status,
    b2b: inv.b2b,
    original_irn: inv.original_irn,
    totals: {
      net: formatKobo(inv.net_kobo),
      tax: formatKobo(inv.tax_kobo),
      payable: formatKobo(inv.payable_kobo),
      tip: formatKobo(inv.tip_kobo),
    },
  };
}

const program = new Command('taxpoynt-pos')
  .description('TaxPoynt POS: issue FIRS/NRS e-invoices (IRN + QR stamp) from sales, on a tamper-evident local ledger')
  .option('--data-dir <dir>', 'data directory (default: $TAXPOYNT_POS_DATA_DIR, else the OS app-data folder)')
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

const globals = () => program.opts<{ dataDir?: string }>();

program
  .command('setup')
  .description('record the business profile and the FIRS crypto_keys.txt for this terminal')
  .requiredOption('--name <name>')
  .requiredOption('--tin <tin>')
  .requiredOption('--business-id <uuid>')
  .requiredOption('--service-id <id>')
  .requiredOption('--keys <file>', 'crypto_keys.txt from the FIRS/NRS dashboard')
  .requiredOption('--terminal <code>', "this terminal's code, e.g. T01")
  .requiredOption('--email <email>')
  .option('--phone <phone>')
  .option('--street <street>', 'NRS v1.1: street of the business address (required)')
  .option('--city <city>', 'NRS v1.1: city (required)')
  .option('--postal-zone <zone>', 'NRS v1.1: postal code (required)')
  .option('--state <code>', 'NRS v1.1: state code from the NRS states list, e.g. NG-LA (required)')
  .option('--lga <code>', 'NRS v1.1: LGA code from the NRS lgas list, e.g. NG-LA-IKJ (required)')
  .option('--country <cc>', 'ISO alpha-2', 'NG')
  .option(
    '--default-hs-code <code>',
    'goods: the HS code for items without their own, e.g. 1006.30 (this or --default-isic-code is required)',
  )
  .option('--default-isic-code <code>', 'services: the ISIC class for items without their own, e.g. 9602')
  .option('--default-category <text>', "product/service category for those items (default: the code list's description)")
  .option(
    '--transmit',
    'B2B/B2G: after clearance, deliver the invoice to the buyer through the platform (needs a webhook URL on the NRS dashboard)',
  )
  .option('--manager-pin-file <file>', 'the manager PIN from this file (- for stdin), so the manager area and LAN log-in work')
  .action((o) => {
    // NRS v1.1 mandatory supplier data: named by flag before anything is read or written.
    const missing = [
      ['street', o.street],
      ['city', o.city],
      ['postal-zone', o.postalZone],
      ['state', o.state],
      ['lga', o.lga],
    ]
      .filter(([, v]) => !v)
      .map(([f]) => `--${f}`);
    if (missing.length)
      throw new UsageError(
        `${missing.join(', ')}: required (NRS v1.1: the business's postal address with its state code like NG-LA and LGA code like NG-LA-IKJ)`,
      );
    if (!o.defaultHsCode && !o.defaultIsicCode)
      throw new UsageError(
        '--default-hs-code or --default-isic-code: required (the item classification for lines without their own: an HS code like 1006.30 for goods, an ISIC code like 9602 for services)',
      );
    if (o.defaultHsCode && o.defaultIsicCode) throw new UsageError('--default-hs-code, --default-isic-code: give one of them, not both');
    // Read (and check) the PIN before anything is written.
    const managerPin = o.managerPinFile !== undefined ? readPin(o.managerPinFile, '--manager-pin-file', 'manager') : undefined;
    let keys: string;
    try {
      keys = readFileSync(o.keys, 'utf8');
    } catch (e) {
      throw new UsageError(`--keys: cannot read ${o.keys} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const ledger = openLedger(globals());
    const business = ledger.configure(
      {
        name: o.name,
        tin: o.tin,
        business_id: o.businessId,
        service_id: o.serviceId,
        terminal: o.terminal,
        email: o.email,
        ...(o.phone ? { phone: o.phone } : {}),
        ...(o.street ? { street: o.street } : {}),
        ...(o.city ? { city: o.city } : {}),
        ...(o.postalZone ? { postal_zone: o.postalZone } : {}),
        ...(o.state ? { state: o.state } : {}),
        ...(o.lga ? { lga: o.lga } : {}),
        country: o.country,
        ...(o.defaultHsCode ? { default_hs_code: o.defaultHsCode } : {}),
        ...(o.defaultIsicCode ? { default_isic_code: o.defaultIsicCode } : {}),
        ...(o.defaultCategory ? { default_category: o.defaultCategory } : {}),
        ...(o.transmit ? { transmit_to_buyer: true } : {}),
      },
      keys,
    );
    if (managerPin) pinsOf(ledger).set(managerPin);
    const { warnings } = profileCodeCheck(business, ledger.codeLists());
    for (const w of warnings) process.stderr.write(`setup: warning: ${w}\n`);
    out({ ok: true, business, manager_pin_set: pinsOf(ledger).isSet(), ...(warnings.length ? { warnings } : {}) });
  });

program
  .command('invoices')
  .description('list the invoices of one day (Lagos time)')
  .requiredOption('--date <YYYY-MM-DD>')
  .option('--json', 'JSON array output')
  .action((o) => {
    let list: IssuedInvoice[];
    try {
      list = openLedger(globals()).listByDate(o.date);
    } catch (e) {
      if (/is not a date/.test((e as Error).message)) throw new UsageError(`--${(e as Error).message}`);
      throw e;
    }
    if (o.json) {
      out(list.map(summary));
      return;
    }
    for (const inv of list)
      process.stdout.write(
        `${inv.invoice_number}  ${inv.irn}  ${inv.type === '380' ? 'CREDIT ' : 'INVOICE'}  ${formatKobo(inv.payable_kobo).padStart(14)} ${inv.currency}  ${inv.status}\n`,
      );
  });

function mustFind(ledger: Ledger, irn: string): IssuedInvoice {
  const inv = ledger.findByIrn(irn);
  if (!inv) throw new UsageError(`IRN: no invoice ${irn} in this ledger`);
  return inv;
}

program
  .command('show <irn>')
  .description('one invoice with its FIRS JSON, QR string and chain link')
  .option('--json', 'JSON output')
  .action((irn, o) => {
    const inv = mustFind(openLedger(globals()), irn);
    if (o.json) {
      out({
        ...summary(inv),
        counter: inv.counter,
        qr: inv.qr,
        hash: inv.hash,
        prev_hash: inv.prev_hash,
        invoice: inv.invoice,
        sale: inv.sale,
      });
      return;
    }
    process.stdout.write(`${JSON.stringify(inv.invoice, null, 2)}\n`);
  });

program
  .command('qr <irn>')
  .description("print the invoice's QR string (base64 of the RSA-encrypted stamp)")
  .action((irn) => {
    process.stdout.write(`${mustFind(openLedger(globals()), irn).qr}\n`);
  });

program
  .command('status')
  .description('is this terminal set up, how many invoices, the chain head (`verify` checks the chain)')
  .action(() => {
    const dataDir = resolveDataDir(globals().dataDir);
    const ledger = openLedger(globals());
    const business = ledger.getBusiness();
    // No chain walk here: at a year of sales that is ~40 s of CPU (issue 15). `verify` is its own command.
    const head = new InvoiceQueries(ledger.db).chainHead();
    const checkpoint = ledger.lastCheckpoint();
    out({
      data_dir: dataDir,
      set_up: Boolean(business),
      business: business ?? null,
      invoices: ledger.count(),
      chain: {
        head_counter: head?.counter ?? 0,
        head_hash: head?.hash ?? null,
        verified: false,
        verify_with: 'taxpoynt-pos verify',
        last_verified: checkpoint
          ? { counter: checkpoint.counter, full: checkpoint.full, at: new Date(checkpoint.verified_at).toISOString() }
          : null,
      },
    });
  });

program
  .command('verify')
  .description('check the hash chain from the last verified checkpoint (tied to the chain), or from the start with --full')
  .option('--full', 'walk the whole chain from its first invoice (finds edits below the checkpoint too)')
  .option(
    '--threads <n>',
    'with --full: worker threads sharing the walk (default: one a core, at most 4, or 1 when the load average is at or above the cores; 1: this thread only)',
  )
  .action(async (o: { full?: boolean; threads?: string }) => {
    const threads = o.threads === undefined ? undefined : Number(o.threads);
    if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 64))
      throw new UsageError(`--threads: a whole number from 1 to 64, not ${JSON.stringify(o.threads)}`);
    const ledger = openLedger(globals());
    // A full walk shares its ranges among worker threads when the worker was built.
    const script = o.full && threads !== 1 ? verifyThreadScript() : undefined;
    const result = script
      ? await verifyFullParallel(ledger, { script, threads, record: true })
      : ledger.verify({ from: o.full ? 'start' : 'checkpoint', record: true });
    out(result);
    if (!result.ok) {
      const b = result.broken!;
      process.stderr.write(
        `verify: chain broken at counter ${b.counter}${b.invoice_number ? ` (${b.invoice_number})` : ''}: ${b.reason}\n`,
      );
      process.exitCode = 1;
    }
  });

// Only the module of the command being run is loaded (commands/index.ts).
async function run(): Promise<void> {
  const builtIn = program.commands.map((c) => c.name());
  const command = commandNameIn(process.argv.slice(2), ['--data-dir']);
  for (const register of await commandModulesFor(command, builtIn)) register(program, { globals });
  await program.parseAsync(process.argv);
}

run().catch((e: unknown) => {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : 2; // commander already printed its message
  } else {
    process.stderr.write(`taxpoynt-pos: ${(e as Error).message}\n`);
    process.exitCode = exitCodeFor(e);
  }
});
