// `ingest --source <source>` (canonical sale JSON, or a source's own JSON → invoices via its
// mapper and the sink; the sources come from the registry),
// `webhook-verify` (check a webhook signature offline) and `review` (the capture review queue).
import { canonicalIngest } from './canonical-ingest';
import { crmIngest, isCrmSource } from './crm';
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { openDatabase } from '../../ledger/database';
import { Ledger, NotSetUp } from '../../ledger/ledger';
import { ReviewQueue, ReviewNotFound } from '../../ledger/review-queue';
import { resolveDataDir, ledgerFile } from '../../app/data-dir';
import { ingestOutcomes } from '../../capture/sink';
import { ConnectorSettings } from '../../capture/config';
import { verifyHubspotV3, type VerifyResult } from '../../capture/signatures/verify';
import type { MapOptionsInput } from '../../../shared/capture/outcome';
import { InvalidInput } from '../../../shared/domain/sale';
import { formatKobo } from '../../../shared/domain/money';
import type { CliContext, CommandModule } from '../context';
import { openLedger, parseJson, readInput, out } from '../context';
import { UsageError } from '../errors';
import { BUILT_IN_SOURCES, type SourceRegistry } from '../../sources/registry';
import type { SignatureSpec } from '../../sources/source';

/**
 * Signature schemes whose source is not in the registry yet. HubSpot's check (CAPTURE-MAP) predates
 * the HubSpot source: its descriptor's `signature` takes this over when it lands.
 */
const UNATTACHED_SIGNATURES: Record<string, SignatureSpec> = {
  hubspot: {
    needs: {
      url: '--url: HubSpot v3 signs method + full URI + body + timestamp',
      timestamp: '--timestamp: the X-HubSpot-Request-Timestamp header (ms) is needed',
    },
    verify: (i) =>
      verifyHubspotV3({
        secret: i.secret,
        signature: i.signature,
        body: i.body,
        url: i.url ?? '',
        method: i.method ?? 'POST',
        timestamp: i.timestamp ?? '',
      }),
  },
};

function open(globals: { dataDir?: string }) {
  const db = openDatabase(ledgerFile(resolveDataDir(globals.dataDir)));
  return { db, ledger: new Ledger(db), reviews: new ReviewQueue(db) };
}

export interface CaptureIngestOptions {
  source: string;
  file: string;
  options?: string;
  currency?: string;
  tinField?: string;
}

/**
 * The vendor's JSON exactly as its API returns it → mapped (pure, all of it, before any write) →
 * issued through the sink. One JSON line per outcome on stdout (issued and review both listed);
 * exit 0 when anything was invoiced (or everything skipped), 2 only when every sale went to the
 * review queue (kept there with the reason) and nothing was invoiced.
 */
export function captureIngest(o: CaptureIngestOptions, globals: { dataDir?: string }, sources: SourceRegistry = BUILT_IN_SOURCES): void {
  const vendor = o.source;
  const mapper = sources.get(vendor)?.mapper;
  if (!mapper) throw new UsageError(`--source: ${vendor} mapping is not available`);
  const { db, ledger, reviews } = open(globals);
  // A stored connection's mapper options (its currency, tax mapping…) apply to its vendor's files too; --options overrides.
  let options: MapOptionsInput = {
    ...((new ConnectorSettings(db, undefined, sources.infos()).get(vendor)?.mapOptions ?? {}) as MapOptionsInput),
  };
  if (o.options) {
    const doc = parseJson(readInput(o.options, '--options'), o.options);
    if (!doc || typeof doc !== 'object' || Array.isArray(doc))
      throw new InvalidInput('--options: must be a JSON object of capture options');
    options = { ...options, ...(doc as MapOptionsInput) };
  }
  if (o.currency) options = { ...options, currency: o.currency };
  if (o.tinField) options = { ...options, tinField: o.tinField };
  const doc = parseJson(readInput(o.file), o.file === '-' ? 'stdin' : o.file);
  if (doc === null || typeof doc !== 'object') throw new InvalidInput(`${o.file}: expected a ${vendor} JSON object or array`);
  if (Array.isArray(doc) && doc.length === 0) throw new InvalidInput('the file holds an empty array: no sales to ingest');
  const outcomes = mapper(doc, options);

  if (!ledger.getBusiness()) throw new NotSetUp(); // before anything is written (reviews included)
  const results = ingestOutcomes(ledger, reviews, outcomes);
  for (const r of results) {
    if (r.kind === 'issued') {
      const inv = ledger.findByIrn(r.irn)!;
      out({
        outcome: 'issued',
        vendor: r.vendor,
        vendor_id: r.vendorId,
        version: r.version ?? null,
        irn: r.irn,
        invoice_number: r.invoiceNumber,
        type: r.type,
        duplicate: r.duplicate,
        payable: formatKobo(inv.payable_kobo),
        tax: formatKobo(inv.tax_kobo),
        tip: formatKobo(inv.tip_kobo),
        original_irn: inv.original_irn,
        status: inv.status,
      });
    } else if (r.kind === 'skipped') {
      out({ outcome: 'skipped', vendor: r.vendor, vendor_id: r.vendorId, version: r.version ?? null, reason: r.reason });
    } else {
      out({
        outcome: 'review',
        vendor: r.vendor,
        vendor_id: r.vendorId,
        version: r.version ?? null,
        reason: r.reason,
        review_id: r.reviewId,
        duplicate: r.duplicate,
      });
    }
  }
  const review = results.filter((r) => r.kind === 'review');
  if (review.length) {
    process.stderr.write(
      `ingest: ${review.length} of ${results.length} ${vendor} sale(s) kept in the review queue, not invoiced:\n${review.map((r) => `  ${r.vendorId}: ${(r as { reason: string }).reason}`).join('\n')}\n`,
    );
    if (!results.some((r) => r.kind === 'issued')) process.exitCode = 2;
  }
}

function verifyWebhook(
  o: { source: string; secret?: string; signature?: string; bodyFile: string; url?: string; method?: string; timestamp?: string },
  sources: SourceRegistry,
): VerifyResult {
  let body: Buffer;
  try {
    body = readFileSync(o.bodyFile);
  } catch (e) {
    throw new UsageError(`--body-file: cannot read ${o.bodyFile} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const known = [
    ...sources
      .all()
      .filter((d) => d.signature)
      .map((d) => d.info.id),
    ...Object.keys(UNATTACHED_SIGNATURES).filter((id) => !sources.has(id)),
  ];
  const spec = sources.get(o.source)?.signature ?? (known.includes(o.source) ? UNATTACHED_SIGNATURES[o.source] : undefined);
  if (!spec) throw new UsageError(`--source: "${o.source}" is not one of ${known.join(', ')}`);
  if (spec.needs.url && !o.url) throw new UsageError(spec.needs.url);
  if (spec.needs.timestamp && !o.timestamp) throw new UsageError(spec.needs.timestamp);
  return spec.verify({
    secret: o.secret ?? '',
    signature: o.signature ?? '',
    body,
    ...(o.url ? { url: o.url } : {}),
    ...(o.method ? { method: o.method } : {}),
    ...(o.timestamp ? { timestamp: o.timestamp } : {}),
  });
}

/** `ingest --source canonical`: canonical sale JSON, every sale validated before any is written. */
function canonicalIngestCommand(o: CaptureIngestOptions, globals: { dataDir?: string }): void {
  if (o.options || o.currency || o.tinField)
    throw new UsageError('--options, --currency and --tin-field apply to vendor sources only (canonical sales carry their own)');
  const results = canonicalIngest(readInput(o.file), o.file === '-' ? 'stdin' : o.file, () => openLedger(globals));
  for (const r of results) {
    out({
      irn: r.invoice.irn,
      invoice_number: r.invoice.invoice_number,
      status: r.invoice.status,
      duplicate: r.duplicate,
      qr: r.invoice.qr,
      hash: r.invoice.hash,
      invoice: r.invoice.invoice,
    });
  }
}

export const captureCommands: CommandModule = (program: Command, ctx: CliContext) => {
  const sources = ctx.sources ?? BUILT_IN_SOURCES;
  const vendorIds = sources.mappable().map((d) => d.info.id);
  const crmIds = sources
    .all()
    .filter((d) => d.info.kind === 'crm' && isCrmSource(d.info.id))
    .map((d) => d.info.id);
  program
    .command('ingest')
    .description("issue invoices from sales: canonical JSON (one sale or an array), or a POS vendor's own order/sale JSON")
    .requiredOption('--source <source>', `input format: canonical, or a source's own JSON: ${[...vendorIds, ...crmIds].join(' | ')}`)
    .requiredOption('--file <file>', 'JSON file, or - for standard input')
    .option('--options <file>', 'vendor sources: capture options JSON (currency, tinField, customers, taxRates…)')
    .option('--currency <code>', 'vendor sources: currency for payloads that carry none (Toast); default NGN')
    .option('--tin-field <field>', "vendor sources: the customer field that holds the buyer's TIN")
    .action((o: CaptureIngestOptions) => {
      // CRM deals (hubspot | salesforce | pipedrive): their own mappers and deal memory (main/cli/commands/crm.ts).
      if (crmIds.includes(o.source)) return crmIngest(o, ctx.globals());
      if (sources.get(o.source)?.mapper) return captureIngest(o, ctx.globals(), sources);
      if (o.source !== 'canonical')
        throw new UsageError(`--source: "${o.source}" is not one of canonical, ${[...vendorIds, ...crmIds].join(', ')}`);
      return canonicalIngestCommand(o, ctx.globals());
    });

  program
    .command('webhook-verify')
    .description('check a webhook signature: exit 0 valid, 1 invalid, 2 bad arguments')
    .requiredOption(
      '--source <vendor>',
      [
        ...sources
          .all()
          .filter((d) => d.signature)
          .map((d) => d.info.id),
        ...Object.keys(UNATTACHED_SIGNATURES),
      ].join(' | '),
    )
    .requiredOption('--secret <secret>', 'the signature key / client secret (empty fails closed)')
    .requiredOption('--signature <sig>', 'the signature header value')
    .requiredOption('--body-file <file>', 'the raw request body, byte for byte')
    .option('--url <url>', 'notification URL (Square) / full request URI (HubSpot)')
    .option('--method <method>', 'HTTP method (HubSpot)', 'POST')
    .option('--timestamp <t>', 'X-HubSpot-Request-Timestamp (ms) / Toast timestamp')
    .action((o) => {
      const r = verifyWebhook(o, sources);
      out(r.ok ? { valid: true } : { valid: false, reason: r.reason });
      if (!r.ok) process.exitCode = 1;
    });

  const review = program.command('review').description('sales from POS vendors that need a person (kept with their raw payload)');
  review
    .command('list')
    .description('open review items (or all with --all)')
    .option('--all', 'include resolved items')
    .option('--vendor <vendor>')
    .action((o) => {
      for (const item of open(ctx.globals()).reviews.list({ status: o.all ? 'all' : 'open', vendor: o.vendor })) {
        out({
          id: item.id,
          vendor: item.vendor,
          vendor_id: item.vendorId,
          version: item.version,
          reason: item.reason,
          status: item.status,
          received_at: new Date(item.receivedAt).toISOString(),
          seen_count: item.seenCount,
          resolution: item.resolution,
        });
      }
    });
  review
    .command('show <id>')
    .description('one review item with its raw vendor payload')
    .action((id) => {
      const item = open(ctx.globals()).reviews.get(Number(id));
      if (!item) throw new UsageError(`review: no item ${id}`);
      out(item);
    });
  review
    .command('resolve <id>')
    .description('mark an item handled, saying how')
    .requiredOption('--note <text>', 'how it was handled, e.g. "issued by hand as IRN …"')
    .action((id, o) => {
      if (!/^\d+$/.test(id)) throw new UsageError(`review resolve: "${id}" is not an item id`);
      try {
        out(open(ctx.globals()).reviews.resolve(Number(id), o.note));
      } catch (e) {
        if (e instanceof ReviewNotFound) throw new UsageError(e.message);
        throw e;
      }
    });
};
