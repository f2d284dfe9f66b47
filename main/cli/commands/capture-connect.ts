// `connect <source>`: stores a connector's settings (ledger DB) and credentials (encrypted
// SecretStore), completes the OAuth step given on the command line (each source's descriptor
// says how), and runs the connection test. The sources and their flags come from the registry. `poll <vendor> [--once]`: polls from the durable watermark (once, or until stopped).
// `capture-webhooks`: turns the local webhook receiver on/off and sets its bind/port.
import { crmConnect, crmPoll, isCrmSource, type CrmConnectOpts } from './crm';
import type { CrmSource } from '../../../shared/capture/crm/outcome';
import type { Command } from 'commander';
import { resolveDataDir } from '../../app/data-dir';
import { FileSecretStore } from '../../app/file-secret-store';
import type { SecretStore } from '../../app/secret-store';
import { openLedger, out, readInput, parseJson, type CliContext, type CommandModule } from '../context';
import { UsageError } from '../errors';
import { secretArg } from '../secret-arg';
import { ConnectorSettings, parseConnectorConfig } from '../../capture/config';
import type { ConnectorDeps } from '../../capture/connector';
import { BUILT_IN_SOURCES, type SourceRegistry } from '../../sources/registry';
import type { BaseConnectorConfig, ConnectFlags, ConnectHelpers, SourceDescriptor } from '../../sources/source';
import { HttpClient } from '../../capture/http';
import { VENDOR_REQUEST_BACKOFF, realClock } from '../../net/retry';
import { Poller } from '../../capture/polling/poller';
import { CaptureState } from '../../capture/polling/state';
import { CaptureService } from '../../capture/capture-service';
import { ingestOutcomes } from '../../capture/sink';
import { ReviewQueue } from '../../ledger/review-queue';
import { secretName, writeTokens, type TokenSet } from '../../capture/tokens';
import { randomState } from '../../capture/oauth';

/** The common flags every connector has; each source adds its own (descriptor.connect.flags). */
type ConnectOpts = ConnectFlags & {
  baseUrl?: string;
  authorize?: boolean;
  webhookSecret?: string;
  pollInterval?: string;
  currency?: string;
  tinField?: string;
  mapOptions?: string;
  test?: boolean;
  disable?: boolean;
  taxMap?: string;
  foreignCurrency?: string;
};

function sourceArg(sources: SourceRegistry, v: string): SourceDescriptor & Required<Pick<SourceDescriptor, 'connect' | 'connector'>> {
  const d = sources.get(v);
  if (!d?.connect || !d.connector)
    throw new UsageError(
      `vendor: "${v}" is not one of ${sources
        .connectable()
        .map((s) => s.info.id)
        .join(', ')}`,
    );
  return d as SourceDescriptor & Required<Pick<SourceDescriptor, 'connect' | 'connector'>>;
}

const num = (v: string | undefined, flag: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`${flag}: "${v}" is not a number`);
  return n;
};

function need<T>(v: T | undefined, flag: string, vendor: string): T {
  if (v === undefined || v === '') throw new UsageError(`${flag} is required for ${vendor}`);
  return v;
}

function deps(secrets: SecretStore): ConnectorDeps {
  return { http: new HttpClient(), secrets, clock: realClock, backoff: VENDOR_REQUEST_BACKOFF };
}

function helpers(vendor: string, stored: BaseConnectorConfig | undefined): ConnectHelpers {
  const prev = (stored ?? {}) as Record<string, unknown>;
  return {
    prev,
    pick: (k, v) => (v !== undefined ? { [k]: v } : prev[k] !== undefined ? { [k]: prev[k] } : {}),
    num,
    need: (v, flag) => need(v, flag, vendor),
  };
}

function jsonObject(source: string, flag: string): Record<string, unknown> {
  const doc = parseJson(readInput(source, flag), source);
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new UsageError(`${flag}: must be a JSON object`);
  return doc as Record<string, unknown>;
}

/** The connector config from flags, merged over what is stored (so a second `connect` can add a code). */
function buildConfig(
  d: SourceDescriptor & Required<Pick<SourceDescriptor, 'connect'>>,
  o: ConnectOpts,
  h: ConnectHelpers,
  sources: SourceRegistry,
): BaseConnectorConfig {
  let mapOptions = (h.prev.mapOptions as Record<string, unknown> | undefined) ?? undefined;
  if (o.mapOptions) mapOptions = parseJson(readInput(o.mapOptions, '--map-options'), o.mapOptions) as Record<string, unknown>;
  if (o.currency) mapOptions = { ...mapOptions, currency: o.currency };
  if (o.tinField) mapOptions = { ...mapOptions, tinField: o.tinField };
  // Issue #13: the connection's tax mapping and foreign-currency invoicing (validated with the rest below).
  if (o.taxMap) mapOptions = { ...mapOptions, taxMap: jsonObject(o.taxMap, '--tax-map') };
  if (o.foreignCurrency) mapOptions = { ...mapOptions, foreignCurrency: jsonObject(o.foreignCurrency, '--foreign-currency') };
  const common = {
    ...(num(o.pollInterval, '--poll-interval') !== undefined ? { pollIntervalS: num(o.pollInterval, '--poll-interval') } : {}),
    ...(mapOptions ? { mapOptions } : {}),
    enabled: !o.disable,
  };
  return parseConnectorConfig({ vendor: d.info.id, ...d.connect.settings(o, h), ...common }, sources.infos());
}

async function connect(ctx: CliContext, sources: SourceRegistry, vendor: string, raw: ConnectOpts): Promise<void> {
  const d = sourceArg(sources, vendor);
  const o: ConnectOpts = {
    ...raw,
    clientSecret: secretArg(raw.clientSecret, '--client-secret'),
    accessToken: secretArg(raw.accessToken, '--access-token'),
    refreshToken: secretArg(raw.refreshToken, '--refresh-token'),
    webhookSecret: secretArg(raw.webhookSecret, '--webhook-secret'),
  };
  const dataDir = resolveDataDir(ctx.globals().dataDir);
  const ledger = openLedger(ctx.globals());
  const settings = new ConnectorSettings(ledger.db, undefined, sources.infos());
  const h = helpers(vendor, settings.get(vendor));
  const config = buildConfig(d, o, h, sources);
  const secrets = new FileSecretStore(dataDir);
  const d_ = deps(secrets);
  const now = Date.now();
  if (o.clientSecret) secrets.set(secretName(vendor, 'client_secret'), o.clientSecret);
  if (o.webhookSecret) secrets.set(secretName(vendor, 'webhook_secret'), o.webhookSecret);

  // Step 1 of an OAuth code flow: print where the merchant approves access.
  if (o.authorize) {
    const state = randomState();
    if (!d.connect.authorize) throw new UsageError(`--authorize: ${d.connect.noCodeFlow ?? `${vendor} has no authorize step`}`);
    const { url, verifier } = d.connect.authorize(config, o, { ...h, state });
    if (verifier) secrets.set(secretName(vendor, 'pkce_verifier'), verifier);
    settings.save(config);
    out({
      ok: true,
      vendor,
      step: 'authorize',
      url,
      state,
      next: `open the URL, approve, then run: taxpoynt-pos connect ${vendor} --code <code from the redirect>`,
    });
    return;
  }

  // Step 2 (or a token given directly).
  let tokens: TokenSet | undefined;
  if (o.accessToken) tokens = { accessToken: o.accessToken };
  else if (o.refreshToken)
    tokens = { accessToken: '-', refreshToken: o.refreshToken, expiresAt: 0 }; // refreshed on first use
  else if (o.code) {
    const clientSecret = () => need(o.clientSecret ?? secrets.get(secretName(vendor, 'client_secret')), '--client-secret', vendor);
    if (!d.connect.exchangeCode) throw new UsageError(`--code: ${d.connect.noCodeFlow ?? `${vendor} has no authorization code step`}`);
    tokens = await d.connect.exchangeCode(config, o, { ...h, http: d_.http, secrets, now, code: o.code, clientSecret });
  }
  if (tokens) writeTokens(secrets, vendor, tokens);
  settings.save(config);
  if (o.test === false) {
    out({ ok: true, vendor, saved: true, tested: false });
    return;
  }
  const result = await d.connector(config, d_).testConnection();
  out({ ...result, saved: true });
  if (!result.ok) {
    process.stderr.write(`connect ${vendor}: ${result.problem}: ${result.message}\n`);
    process.exitCode = 1;
  }
}

async function poll(ctx: CliContext, sources: SourceRegistry, vendor: string, o: { once?: boolean }): Promise<void> {
  const d = sourceArg(sources, vendor);
  const dataDir = resolveDataDir(ctx.globals().dataDir);
  const ledger = openLedger(ctx.globals());
  const config = new ConnectorSettings(ledger.db, undefined, sources.infos()).get(vendor);
  if (!config) throw new UsageError(`${vendor} is not connected: run \`taxpoynt-pos connect ${vendor}\` first`);
  const secrets = new FileSecretStore(dataDir);
  if (o.once) {
    const review = new ReviewQueue(ledger.db);
    const connector = d.connector(config, {
      ...deps(secrets),
      onWait: (ms, e) => process.stderr.write(`${vendor}: ${e.message}; waiting ${Math.round(ms / 1000)} s\n`),
    });
    const poller = new Poller(ledger.db, new CaptureState(ledger.db), connector.source, (outcomes) =>
      ingestOutcomes(ledger, review, outcomes),
    );
    out({ ok: true, vendor, ...(await poller.runOnce()) });
    return;
  }
  const service = new CaptureService({
    db: ledger.db,
    ledger,
    secrets,
    configs: [config],
    sources,
    webhooks: new ConnectorSettings(ledger.db).webhooks(),
  });
  service.on('change', (s: { connectors: { vendor: string; state: string; lastError?: string; lastResult?: unknown }[] }) => {
    const c = s.connectors.find((x) => x.vendor === vendor);
    if (c && c.state !== 'polling') out(c);
  });
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  const keepAlive = setInterval(() => undefined, 1 << 30); // the service's timers are unref'd
  await service.start();
  await stopped;
  await service.stop();
  clearInterval(keepAlive);
}

/** A PEM key given as @file (whole file) or env:NAME. */
function privateKeyArg(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const text = v.startsWith('@') ? readInput(v.slice(1), '--private-key') : v.startsWith('env:') ? (process.env[v.slice(4)] ?? '') : v;
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(text)) throw new UsageError('--private-key: not a PEM private key (give it as @file)');
  return text;
}

/** A CRM of the registry (kind crm) this build runs through the deal poller. */
const isCrm = (sources: SourceRegistry, v: string): v is CrmSource => sources.get(v)?.info.kind === 'crm' && isCrmSource(v);

export const captureConnectCommands: CommandModule = (program: Command, ctx: CliContext) => {
  const sources = ctx.sources ?? BUILT_IN_SOURCES;
  const collect = (v: string, prev: string[] = []) => [...prev, v];
  const connectCmd = program
    .command('connect <vendor>')
    .description(
      `connect a source (${sources
        .connectable()
        .map((s) => s.info.id)
        .join(' | ')}): store settings and encrypted credentials, then test the connection`,
    )
    .option('--base-url <url>', 'API base URL (Toast: the host Toast issued; tests: a local fake)')
    .option('--client-id <id>', 'OAuth application / API client id')
    .option(
      '--client-secret <secret>',
      'OAuth application secret / Toast client secret (stored encrypted): @FILE or env:NAME, never the value itself',
    )
    .option('--access-token <token>', 'a personal access token (Square, Lightspeed X), stored encrypted: @FILE or env:NAME')
    .option('--refresh-token <token>', 'an OAuth refresh token obtained elsewhere: @FILE or env:NAME')
    .option('--authorize', 'OAuth step 1: print the authorize URL (Square: with a PKCE challenge)')
    .option('--code <code>', 'OAuth step 2: the authorization code from the redirect')
    .option('--redirect-uri <uri>', 'OAuth redirect URI registered with the vendor')
    .option(
      '--webhook-secret <secret>',
      'webhook signature key (Square subscription key, Toast secret; X uses the client secret): @FILE or env:NAME',
    )
    .option('--poll-interval <s>', 'seconds between polls (default 60)')
    .option('--currency <code>', 'currency for vendors whose orders carry none (Toast; default NGN)')
    .option('--tin-field <name>', 'customer field holding the buyer TIN (makes the invoice B2B)')
    .option('--map-options <file>', 'JSON file of mapper options (tax rate ids, tip/service products…)')
    .option(
      '--tax-map <file>',
      'JSON file: vendor tax id or name → {"category":"STANDARD_VAT|ZERO_VAT|EXEMPTED|LOCAL_SALES_TAX|…","rate":"7.5"} (replaces the stored mapping)',
    )
    .option(
      '--foreign-currency <file>',
      'JSON file: {"enabled":true,"rates":{"USD":{"rate":"1530.25","source":"CBN","date":"2026-11-23"}}}',
    )
    .option('--disable', 'store the settings but do not poll')
    .option('--no-test', 'do not run the connection test');
  // Each source's own flags (a flag two sources share, like --overlap-minutes, is declared once).
  const declared = new Set<string>();
  for (const d of sources.connectable()) {
    for (const f of d.connect?.flags ?? []) {
      if (declared.has(f.flags)) continue;
      declared.add(f.flags);
      if (f.repeatable) connectCmd.option(f.flags, f.description, collect);
      else connectCmd.option(f.flags, f.description);
    }
  }
  connectCmd.action(async (v: string, o: ConnectOpts & CrmConnectOpts) => {
    // CRMs keep a deal memory and have their own auth steps (JWT key, api_domain): main/cli/commands/crm.ts.
    if (isCrm(sources, v)) {
      return crmConnect(ctx, v, {
        ...o,
        clientSecret: secretArg(o.clientSecret, '--client-secret'),
        accessToken: secretArg(o.accessToken, '--access-token'),
        refreshToken: secretArg(o.refreshToken, '--refresh-token'),
        webhookSecret: secretArg(o.webhookSecret, '--webhook-secret'),
        privateKey: privateKeyArg(o.privateKey),
      });
    }
    return connect(ctx, sources, v, o);
  });

  program
    .command('poll <vendor>')
    .description('poll a connected POS or CRM from its durable watermark: --once for one pass (scripts), else until Ctrl-C')
    .option('--once', 'one pass to the end of the feed, then exit')
    .option('--webhook-port <port>', 'CRMs: also receive HubSpot/Pipedrive webhooks on 127.0.0.1:<port>')
    .action(async (v: string, o: { once?: boolean; webhookPort?: string }) =>
      isCrm(sources, v) ? crmPoll(ctx, v, o) : poll(ctx, sources, v, o),
    );

  program
    .command('capture-webhooks')
    .description('configure the local webhook receiver (off by default; loopback unless --allow-remote)')
    .option('--enable')
    .option('--disable')
    .option('--host <host>', 'bind address (default 127.0.0.1)')
    .option('--port <port>', 'port (default 8787)')
    .option('--allow-remote', 'allow a non-loopback bind address (requests are still signature-checked)')
    .action((o: { enable?: boolean; disable?: boolean; host?: string; port?: string; allowRemote?: boolean }) => {
      if (o.enable && o.disable) throw new UsageError('--enable and --disable together');
      const settings = new ConnectorSettings(openLedger(ctx.globals()).db);
      const cur = settings.webhooks();
      const saved = settings.saveWebhooks({
        ...cur,
        ...(o.enable ? { enabled: true } : {}),
        ...(o.disable ? { enabled: false } : {}),
        ...(o.host ? { host: o.host } : {}),
        ...(o.port !== undefined ? { port: num(o.port, '--port') } : {}),
        ...(o.allowRemote ? { allowRemote: true } : {}),
      });
      out({ ok: true, webhooks: saved });
    });
};
