// CRM connectors on the command line: `ingest --source hubspot|salesforce|pipedrive --file F` (the
// CRM's own JSON, see each mapper's header for the exact shape), `connect <crm> …`, `poll <crm>
// [--once]` (dispatched here from the POS connect/poll commands), and `deals …` (list, credit, keep).
import type { Command } from 'commander';
import { openDatabase } from '../../ledger/database';
import { Ledger, NotSetUp } from '../../ledger/ledger';
import { ReviewQueue } from '../../ledger/review-queue';
import { CrmDeals } from '../../ledger/crm-deals';
import { resolveDataDir, ledgerFile } from '../../app/data-dir';
import { FileSecretStore } from '../../app/file-secret-store';
import { HttpClient } from '../../capture/http';
import { VENDOR_REQUEST_BACKOFF, realClock } from '../../net/retry';
import { writeTokens, type TokenSet } from '../../capture/tokens';
import { randomState } from '../../capture/oauth';
import type { ConnectorDeps } from '../../capture/connector';
import { recordDeals, issueDealCreditNote, keepDealInvoice, DealActionError, type DealResult } from '../../capture/crm/deal-sink';
import { connectionFromSettings, crmSecret, settingsFromConnection } from '../../capture/crm/config';
import { buildConnection, type CrmConnectOpts } from '../../capture/crm/connect-settings';
import { ConnectorSettings } from '../../capture/config';
import { createDealPoller, createDealSource } from '../../capture/crm/create-source';
import { CrmWebhookServer, hubspotWebhookRoute, pipedriveWebhookRoute, type CrmWebhookRoute } from '../../capture/crm/webhooks';
import { hubspotAuthorizeUrl, hubspotExchangeCode } from '../../sources/hubspot/hubspot-source';
import { salesforceAuthorizeUrl, salesforceExchangeCode } from '../../sources/salesforce/salesforce-source';
import { pipedriveAuthorizeUrl, pipedriveExchangeCode } from '../../sources/pipedrive/pipedrive-source';
import { DEAL_MAPPERS } from '../../../shared/capture/crm/index';
import { CRM_SOURCES, isCrmSource, type CrmSource } from '../../../shared/capture/crm/outcome';
import { DEAL_STATES, type DealState } from '../../../shared/capture/crm/decide';
import { InvalidInput } from '../../../shared/domain/sale';
import { formatKobo } from '../../../shared/domain/money';
import type { CliContext, CommandModule } from '../context';
import { out, parseJson, readInput } from '../context';
import { UsageError } from '../errors';

export { isCrmSource };
export type { CrmConnectOpts };

function open(globals: { dataDir?: string }) {
  const db = openDatabase(ledgerFile(resolveDataDir(globals.dataDir)));
  return { ledger: new Ledger(db), reviews: new ReviewQueue(db), deals: new CrmDeals(db) };
}

function printResult(ledger: Ledger, deals: CrmDeals, r: DealResult): void {
  const base = { source: r.source, deal_id: r.dealId, version: r.version ?? null };
  const irn = r.irn ?? (r.outcome === 'none' ? (deals.get(r.source, r.dealId)?.irn ?? undefined) : undefined);
  const inv = irn ? ledger.findByIrn(irn) : undefined;
  if ((r.outcome === 'issued' || r.outcome === 'duplicate' || r.outcome === 'none') && inv) {
    // The canonical ingest's line (irn, invoice_number, status, duplicate, qr, hash, invoice), plus which deal.
    out({
      outcome: r.outcome === 'issued' ? 'issued' : 'duplicate',
      ...base,
      irn: inv.irn,
      invoice_number: inv.invoice_number,
      status: inv.status,
      duplicate: r.outcome !== 'issued',
      payable: formatKobo(inv.payable_kobo),
      qr: inv.qr,
      hash: inv.hash,
      invoice: inv.invoice,
    });
  } else if (r.outcome === 'review' || r.outcome === 'credit_review') {
    out({ outcome: r.outcome, ...base, reason: r.reason, missing: r.missing ?? [], review_id: r.reviewId ?? null });
  } else {
    out({ outcome: r.outcome === 'none' ? 'skipped' : r.outcome, ...base, reason: r.reason ?? null });
  }
}

export interface CrmIngestOptions {
  source: string;
  file: string;
  options?: string;
  currency?: string;
  tinField?: string;
}

/**
 * The CRM's own JSON (one deal bundle, an array of them, or a Salesforce query result) → deals
 * mapped (pure, before any write) → recorded in one transaction. Exit 2 when a deal went to review.
 */
export function crmIngest(o: CrmIngestOptions, globals: { dataDir?: string }): void {
  const source = o.source as CrmSource;
  let options: Record<string, unknown> = {};
  if (o.options) {
    const doc = parseJson(readInput(o.options, '--options'), o.options);
    if (!doc || typeof doc !== 'object' || Array.isArray(doc))
      throw new InvalidInput('--options: must be a JSON object of CRM mapper options');
    options = doc as Record<string, unknown>;
  }
  if (o.currency) options = { ...options, currency: o.currency };
  if (o.tinField) options = { ...options, buyerFields: { ...(options.buyerFields as object | undefined), tin: o.tinField } };
  const doc = parseJson(readInput(o.file), o.file === '-' ? 'stdin' : o.file);
  if (doc === null || typeof doc !== 'object') throw new InvalidInput(`${o.file}: expected ${source} JSON (an object or an array)`);
  if (Array.isArray(doc) && doc.length === 0) throw new InvalidInput('the file holds an empty array: no deals to ingest');
  const outcomes = DEAL_MAPPERS[source](doc, { ...options, now: Date.now() });
  const { ledger, reviews, deals } = open(globals);
  if (!ledger.getBusiness()) throw new NotSetUp();
  const results = ledger.db.transaction(() => recordDeals(ledger, reviews, deals, outcomes, { writeback: false })).immediate();
  for (const r of results) printResult(ledger, deals, r);
  const review = results.filter((r) => r.outcome === 'review' || r.outcome === 'credit_review');
  if (review.length) {
    process.stderr.write(
      `ingest: ${review.length} of ${results.length} ${source} deal(s) need a person:\n${review.map((r) => `  ${r.dealId}: ${r.reason}`).join('\n')}\n`,
    );
    process.exitCode = 2;
  }
}

// ---------- connect / poll ----------

function deps(secrets: FileSecretStore): ConnectorDeps {
  return {
    http: new HttpClient(),
    secrets,
    clock: realClock,
    backoff: VENDOR_REQUEST_BACKOFF,
    onWait: (ms, e) => process.stderr.write(`${e.message}; waiting ${Math.round(ms / 1000)} s\n`),
  };
}

/** Secrets arrive already resolved (@file / env:NAME) by the caller. */
export async function crmConnect(ctx: CliContext, source: CrmSource, o: CrmConnectOpts): Promise<void> {
  const dataDir = resolveDataDir(ctx.globals().dataDir);
  const { ledger } = open(ctx.globals());
  const settings = new ConnectorSettings(ledger.db);
  const stored = settings.get(source);
  const config = buildConnection(source, o, stored ? connectionFromSettings(stored) : undefined);
  const secrets = new FileSecretStore(dataDir);
  const d = deps(secrets);
  if (o.clientSecret) secrets.set(crmSecret(source, 'client_secret'), o.clientSecret);
  if (o.webhookSecret) secrets.set(crmSecret(source, source === 'pipedrive' ? 'webhook_basic' : 'client_secret'), o.webhookSecret);
  if (o.privateKey) secrets.set(crmSecret(source, 'jwt_private_key'), o.privateKey);
  if (o.authorize) {
    const redirectUri =
      o.redirectUri ??
      (() => {
        throw new UsageError('--redirect-uri is required with --authorize');
      })();
    const state = randomState();
    const clientId =
      config.clientId ??
      (() => {
        throw new UsageError('--client-id is required with --authorize');
      })();
    const url =
      config.source === 'hubspot'
        ? hubspotAuthorizeUrl({ clientId, redirectUri, state })
        : config.source === 'salesforce'
          ? salesforceAuthorizeUrl({ loginUrl: config.loginUrl, clientId, redirectUri, state })
          : pipedriveAuthorizeUrl({ oauthUrl: config.oauthUrl, clientId, redirectUri, state });
    settings.save(settingsFromConnection(config));
    out({
      ok: true,
      source,
      step: 'authorize',
      url,
      state,
      next: `open the URL, approve, then run: taxpoynt-pos connect ${source} --code <code> --redirect-uri ${redirectUri}`,
    });
    return;
  }
  let tokens: TokenSet | undefined;
  const now = Date.now();
  if (o.accessToken) tokens = { accessToken: o.accessToken };
  else if (o.refreshToken) tokens = { accessToken: '-', refreshToken: o.refreshToken, expiresAt: 0 };
  else if (o.code) {
    const secret = o.clientSecret ?? secrets.get(crmSecret(source, 'client_secret'));
    if (!secret) throw new UsageError(`--client-secret is required to exchange a code for ${source}`);
    const redirectUri =
      o.redirectUri ??
      (() => {
        throw new UsageError('--redirect-uri is required with --code');
      })();
    if (config.source === 'hubspot')
      tokens = await hubspotExchangeCode(d.http, {
        baseUrl: config.baseUrl,
        clientId: config.clientId ?? '',
        clientSecret: secret,
        code: o.code,
        redirectUri,
        now,
      });
    else if (config.source === 'salesforce')
      tokens = await salesforceExchangeCode(d.http, secrets, { config, clientSecret: secret, code: o.code, redirectUri, now });
    else tokens = await pipedriveExchangeCode(d.http, secrets, { config, clientSecret: secret, code: o.code, redirectUri, now });
  }
  if (tokens) writeTokens(secrets, source, tokens);
  settings.save(settingsFromConnection(config));
  if (o.test === false) return out({ ok: true, source, saved: true, tested: false });
  const result = await createDealSource(config, d).testConnection();
  out({ ...result, saved: true });
  if (!result.ok) {
    process.stderr.write(`connect ${source}: ${result.problem}: ${result.message}\n`);
    process.exitCode = 1;
  }
}

export async function crmPoll(ctx: CliContext, source: CrmSource, o: { once?: boolean; webhookPort?: string }): Promise<void> {
  const dataDir = resolveDataDir(ctx.globals().dataDir);
  const { ledger } = open(ctx.globals());
  const stored = new ConnectorSettings(ledger.db).get(source);
  if (!stored) throw new UsageError(`${source} is not connected: run \`taxpoynt-pos connect ${source}\` first`);
  const config = connectionFromSettings(stored);
  if (!ledger.getBusiness()) throw new NotSetUp();
  const secrets = new FileSecretStore(dataDir);
  const poller = createDealPoller(ledger, config, deps(secrets));
  const summary = (r: Awaited<ReturnType<typeof poller.runOnce>>) => {
    const { results, ...rest } = r;
    return {
      ok: true,
      source,
      ...rest,
      deals: results
        .filter((x) => x.outcome !== 'none')
        .map((x) => ({ deal: x.dealId, outcome: x.outcome, ...(x.irn ? { irn: x.irn } : {}), ...(x.reason ? { reason: x.reason } : {}) })),
    };
  };
  if (o.once) return out(summary(await poller.runOnce()));
  let server: CrmWebhookServer | undefined;
  if (o.webhookPort !== undefined) {
    const port = Number(o.webhookPort);
    const route: CrmWebhookRoute | undefined =
      source === 'hubspot'
        ? hubspotWebhookRoute(secrets, poller, (p) =>
            config.source === 'hubspot' && config.webhookUrl
              ? `${config.webhookUrl.replace(/\/webhooks\/hubspot$/, '')}${p}`
              : `http://127.0.0.1:${port}${p}`,
          )
        : source === 'pipedrive'
          ? pipedriveWebhookRoute(secrets, poller)
          : undefined;
    if (!route) throw new UsageError('--webhook-port: Salesforce has no signed webhooks (poll only)');
    server = new CrmWebhookServer([route], { host: '127.0.0.1', port, allowRemote: false });
    out({ ok: true, source, webhooks: await server.start() });
  }
  let stop = false;
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', () => {
      stop = true;
      resolve();
    });
    process.once('SIGTERM', () => {
      stop = true;
      resolve();
    });
  });
  while (!stop) {
    try {
      out(summary(await poller.runOnce()));
    } catch (e) {
      out({ ok: false, source, error: (e as Error).message, problem: (e as { problem?: string }).problem ?? 'internal' });
    }
    await Promise.race([stopped, new Promise((r) => setTimeout(r, config.pollIntervalS * 1000))]);
  }
  await server?.stop();
}

// ---------- deals ----------

export const crmCommands: CommandModule = (program: Command, ctx: CliContext) => {
  const deals = program
    .command('deals')
    .description(`won CRM deals (${CRM_SOURCES.join(', ')}): waiting, in review, invoiced; credit-note decisions`);
  deals
    .command('list')
    .description('deals and what became of them (one JSON line each)')
    .option('--source <crm>')
    .option('--state <state>', DEAL_STATES.join(' | '))
    .action((o: { source?: string; state?: string }) => {
      if (o.source && !isCrmSource(o.source)) throw new UsageError(`--source: "${o.source}" is not one of ${CRM_SOURCES.join(', ')}`);
      if (o.state && !(DEAL_STATES as readonly string[]).includes(o.state))
        throw new UsageError(`--state: "${o.state}" is not one of ${DEAL_STATES.join(', ')}`);
      for (const d of open(ctx.globals()).deals.list({
        ...(o.source ? { source: o.source as CrmSource } : {}),
        ...(o.state ? { states: [o.state as DealState] } : {}),
      })) {
        out({
          source: d.source,
          deal_id: d.dealId,
          state: d.state,
          title: d.title,
          amount: d.amountKobo === null ? null : formatKobo(d.amountKobo),
          currency: d.currency,
          irn: d.irn,
          credit_irn: d.creditIrn,
          reason: d.reason,
          missing: d.missing,
          review_id: d.reviewId,
          writeback: d.writeback,
          record_url: d.recordUrl,
        });
      }
    });
  const action = (name: string, description: string, fn: (source: CrmSource, dealId: string) => unknown) =>
    deals
      .command(`${name} <crm> <dealId>`)
      .description(description)
      .action((source: string, dealId: string) => {
        if (!isCrmSource(source)) throw new UsageError(`crm: "${source}" is not one of ${CRM_SOURCES.join(', ')}`);
        try {
          out(fn(source, dealId));
        } catch (e) {
          if (e instanceof DealActionError) throw new UsageError(e.message);
          throw e;
        }
      });
  action('credit', "issue the credit note (380) the review asks for, referencing the deal's invoice", (s, id) => {
    const { ledger, reviews, deals: store } = open(ctx.globals());
    return issueDealCreditNote(ledger, reviews, store, s, id, new Date());
  });
  action('keep', 'keep the invoice without a credit note (the same change is not asked about again)', (s, id) => {
    const { reviews, deals: store } = open(ctx.globals());
    return keepDealInvoice(reviews, store, s, id);
  });
};
