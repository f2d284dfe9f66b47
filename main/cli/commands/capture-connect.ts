// `connect <vendor>`: stores a POS connector's settings (ledger DB) and credentials (encrypted
// SecretStore), completes the OAuth step given on the command line, and runs the connection
// test. `poll <vendor> [--once]`: polls from the durable watermark (once, or until stopped).
// `capture-webhooks`: turns the local webhook receiver on/off and sets its bind/port.
import type { Command } from 'commander';
import { resolveDataDir } from '../../app/data-dir';
import { FileSecretStore } from '../../app/file-secret-store';
import type { SecretStore } from '../../app/secret-store';
import { openLedger, out, readInput, parseJson, type CliContext, type CommandModule } from '../context';
import { UsageError } from '../errors';
import { CAPTURE_VENDORS, type CaptureVendor } from '../../../shared/capture/outcome';
import { ConnectorSettings, parseConnectorConfig, type ConnectorConfig } from '../../capture/config';
import { createConnector } from '../../capture/create-connector';
import type { ConnectorDeps } from '../../capture/connector';
import { HttpClient } from '../../capture/http';
import { DEFAULT_BACKOFF, realClock } from '../../capture/polling/retry';
import { Poller } from '../../capture/polling/poller';
import { CaptureState } from '../../capture/polling/state';
import { CaptureService } from '../../capture/capture-service';
import { ingestOutcomes } from '../../capture/sink';
import { ReviewQueue } from '../../ledger/review-queue';
import { secretName, writeTokens, type TokenSet } from '../../capture/tokens';
import { pkcePair } from '../../capture/oauth';
import { squareAuthorizeUrl, squareExchangeCode } from '../../capture/square/auth';
import { lightspeedXAuthorizeUrl, lightspeedXBaseUrl, lightspeedXExchangeCode } from '../../capture/lightspeed-x/auth';
import { lightspeedRAuthorizeUrl, lightspeedRExchangeCode } from '../../capture/lightspeed-r/auth';
import { randomState } from '../../capture/oauth';
import { crmConnect, crmPoll, isCrmSource, type CrmConnectOpts } from './crm';

interface ConnectOpts {
  baseUrl?: string; authUrl?: string; clientId?: string; clientSecret?: string; accessToken?: string; refreshToken?: string;
  code?: string; codeVerifier?: string; redirectUri?: string; authorize?: boolean; location?: string[]; restaurant?: string;
  domainPrefix?: string; outlet?: string; account?: string; shop?: string; notificationUrl?: string; webhookSecret?: string;
  overlapHours?: string; overlapMinutes?: string; pollInterval?: string; currency?: string; tinField?: string; mapOptions?: string;
  pkce?: boolean; test?: boolean; disable?: boolean;
}

function vendorArg(v: string): CaptureVendor {
  if (!(CAPTURE_VENDORS as readonly string[]).includes(v)) throw new UsageError(`vendor: "${v}" is not one of ${CAPTURE_VENDORS.join(', ')}`);
  return v as CaptureVendor;
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
  return { http: new HttpClient(), secrets, clock: realClock, backoff: DEFAULT_BACKOFF };
}

/** The connector config from flags, merged over what is stored (so a second `connect` can add a code). */
function buildConfig(vendor: CaptureVendor, o: ConnectOpts, stored: ConnectorConfig | undefined): ConnectorConfig {
  const prev = (stored ?? {}) as Record<string, unknown>;
  let mapOptions = (prev.mapOptions as Record<string, unknown> | undefined) ?? undefined;
  if (o.mapOptions) mapOptions = parseJson(readInput(o.mapOptions, '--map-options'), o.mapOptions) as Record<string, unknown>;
  if (o.currency) mapOptions = { ...mapOptions, currency: o.currency };
  if (o.tinField) mapOptions = { ...mapOptions, tinField: o.tinField };
  const common = {
    ...(num(o.pollInterval, '--poll-interval') !== undefined ? { pollIntervalS: num(o.pollInterval, '--poll-interval') } : {}),
    ...(mapOptions ? { mapOptions } : {}), enabled: !o.disable,
  };
  const pick = (k: string, v: unknown) => (v !== undefined ? { [k]: v } : prev[k] !== undefined ? { [k]: prev[k] } : {});
  let input: Record<string, unknown>;
  switch (vendor) {
    case 'square':
      input = {
        vendor, ...pick('baseUrl', o.baseUrl), auth: o.accessToken ? 'token' : o.clientId || o.code || o.refreshToken ? 'oauth' : prev.auth ?? 'token',
        ...pick('clientId', o.clientId), ...pick('pkce', o.clientSecret ? false : o.pkce ?? undefined), ...pick('locationIds', o.location?.length ? o.location : undefined),
        ...pick('overlapHours', num(o.overlapHours, '--overlap-hours')), ...pick('notificationUrl', o.notificationUrl), ...common,
      };
      break;
    case 'toast':
      input = { vendor, ...pick('baseUrl', o.baseUrl), ...pick('clientId', o.clientId), ...pick('restaurantGuid', o.restaurant), ...pick('overlapMinutes', num(o.overlapMinutes, '--overlap-minutes')), ...common };
      break;
    case 'lightspeed-x':
      input = {
        vendor, ...pick('domainPrefix', o.domainPrefix), ...pick('baseUrl', o.baseUrl), auth: o.accessToken ? 'token' : o.clientId || o.code || o.refreshToken ? 'oauth' : prev.auth ?? 'token',
        ...pick('clientId', o.clientId), ...pick('outletId', o.outlet), ...common,
      };
      break;
    case 'lightspeed-r':
      input = {
        vendor, ...pick('accountId', o.account), ...pick('baseUrl', o.baseUrl), ...pick('authUrl', o.authUrl), ...pick('clientId', o.clientId),
        ...pick('shopId', o.shop), ...pick('overlapMinutes', num(o.overlapMinutes, '--overlap-minutes')), ...common,
      };
      break;
  }
  return parseConnectorConfig(input);
}

/** A secret flag's value: literal, `@file` (first line), or `env:NAME`, so it need not show in `ps`. */
function secretArg(v: string | undefined, flag: string): string | undefined {
  if (v === undefined) return undefined;
  let value = v;
  if (v.startsWith('@')) value = readInput(v.slice(1), flag).split(/\r?\n/)[0] ?? '';
  else if (v.startsWith('env:')) {
    const e = process.env[v.slice(4)];
    if (e === undefined) throw new UsageError(`${flag}: environment variable ${v.slice(4)} is not set`);
    value = e;
  }
  if (!value.trim()) throw new UsageError(`${flag}: empty`);
  return value.trim();
}

/** A PEM key given as @file (whole file) or env:NAME. */
function privateKeyArg(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const text = v.startsWith('@') ? readInput(v.slice(1), '--private-key') : v.startsWith('env:') ? process.env[v.slice(4)] ?? '' : v;
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(text)) throw new UsageError('--private-key: not a PEM private key (give it as @file)');
  return text;
}

async function connect(ctx: CliContext, vendor: CaptureVendor, raw: ConnectOpts): Promise<void> {
  const o: ConnectOpts = {
    ...raw, clientSecret: secretArg(raw.clientSecret, '--client-secret'), accessToken: secretArg(raw.accessToken, '--access-token'),
    refreshToken: secretArg(raw.refreshToken, '--refresh-token'), webhookSecret: secretArg(raw.webhookSecret, '--webhook-secret'),
  };
  const dataDir = resolveDataDir(ctx.globals().dataDir);
  const ledger = openLedger(ctx.globals());
  const settings = new ConnectorSettings(ledger.db);
  const config = buildConfig(vendor, o, settings.get(vendor));
  const secrets = new FileSecretStore(dataDir);
  const d = deps(secrets);
  const now = Date.now();
  if (o.clientSecret) secrets.set(secretName(vendor, 'client_secret'), o.clientSecret);
  if (o.webhookSecret) secrets.set(secretName(vendor, 'webhook_secret'), o.webhookSecret);

  // Step 1 of an OAuth code flow: print where the merchant approves access.
  if (o.authorize) {
    const state = randomState();
    let url: string;
    let verifier: string | undefined;
    if (config.vendor === 'square') {
      const clientId = need(config.clientId, '--client-id', vendor);
      const pair = config.pkce ? pkcePair() : undefined;
      verifier = pair?.verifier;
      url = squareAuthorizeUrl({ baseUrl: config.baseUrl, clientId, state, ...(pair ? { codeChallenge: pair.challenge } : {}), ...(o.redirectUri ? { redirectUri: o.redirectUri } : {}) });
    } else if (config.vendor === 'lightspeed-x') {
      url = lightspeedXAuthorizeUrl({ clientId: need(config.clientId, '--client-id', vendor), redirectUri: need(o.redirectUri, '--redirect-uri', vendor), state });
    } else if (config.vendor === 'lightspeed-r') {
      url = lightspeedRAuthorizeUrl({ authUrl: config.authUrl, clientId: config.clientId, state, ...(o.redirectUri ? { redirectUri: o.redirectUri } : {}) });
    } else {
      throw new UsageError('--authorize: Toast machine clients log in with --client-id and --client-secret; there is no authorize step');
    }
    if (verifier) secrets.set(secretName(vendor, 'pkce_verifier'), verifier);
    settings.save(config);
    out({ ok: true, vendor, step: 'authorize', url, state, next: `open the URL, approve, then run: taxpoynt-pos connect ${vendor} --code <code from the redirect>` });
    return;
  }

  // Step 2 (or a token given directly).
  let tokens: TokenSet | undefined;
  if (o.accessToken) tokens = { accessToken: o.accessToken };
  else if (o.refreshToken) tokens = { accessToken: '-', refreshToken: o.refreshToken, expiresAt: 0 }; // refreshed on first use
  else if (o.code) {
    const clientSecret = () => need(o.clientSecret ?? secrets.get(secretName(vendor, 'client_secret')), '--client-secret', vendor);
    if (config.vendor === 'square') {
      const verifier = o.codeVerifier ?? secrets.get(secretName('square', 'pkce_verifier'));
      tokens = await squareExchangeCode(d.http, {
        baseUrl: config.baseUrl, clientId: need(config.clientId, '--client-id', vendor), code: o.code, now,
        ...(config.pkce ? { codeVerifier: need(verifier, '--code-verifier (or run --authorize first)', vendor) } : { clientSecret: clientSecret() }),
        ...(o.redirectUri ? { redirectUri: o.redirectUri } : {}),
      });
      secrets.delete(secretName('square', 'pkce_verifier'));
    } else if (config.vendor === 'lightspeed-x') {
      tokens = await lightspeedXExchangeCode(d.http, { baseUrl: lightspeedXBaseUrl(config), clientId: need(config.clientId, '--client-id', vendor), clientSecret: clientSecret(), code: o.code, redirectUri: need(o.redirectUri, '--redirect-uri', vendor), now });
    } else if (config.vendor === 'lightspeed-r') {
      tokens = await lightspeedRExchangeCode(d.http, { authUrl: config.authUrl, clientId: config.clientId, clientSecret: clientSecret(), code: o.code, now, ...(o.redirectUri ? { redirectUri: o.redirectUri } : {}) });
    } else throw new UsageError('--code: Toast has no authorization code; give --client-secret');
  }
  if (tokens) writeTokens(secrets, vendor, tokens);
  settings.save(config);
  if (o.test === false) {
    out({ ok: true, vendor, saved: true, tested: false });
    return;
  }
  const result = await createConnector(config, d).testConnection();
  out({ ...result, saved: true });
  if (!result.ok) {
    process.stderr.write(`connect ${vendor}: ${result.problem}: ${result.message}\n`);
    process.exitCode = 1;
  }
}

async function poll(ctx: CliContext, vendor: CaptureVendor, o: { once?: boolean }): Promise<void> {
  const dataDir = resolveDataDir(ctx.globals().dataDir);
  const ledger = openLedger(ctx.globals());
  const config = new ConnectorSettings(ledger.db).get(vendor);
  if (!config) throw new UsageError(`${vendor} is not connected: run \`taxpoynt-pos connect ${vendor}\` first`);
  const secrets = new FileSecretStore(dataDir);
  if (o.once) {
    const review = new ReviewQueue(ledger.db);
    const connector = createConnector(config, { ...deps(secrets), onWait: (ms, e) => process.stderr.write(`${vendor}: ${e.message}; waiting ${Math.round(ms / 1000)} s\n`) });
    const poller = new Poller(ledger.db, new CaptureState(ledger.db), connector.source, (outcomes) => ingestOutcomes(ledger, review, outcomes));
    out({ ok: true, vendor, ...(await poller.runOnce()) });
    return;
  }
  const service = new CaptureService({ db: ledger.db, ledger, secrets, configs: [config], webhooks: new ConnectorSettings(ledger.db).webhooks() });
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

export const captureConnectCommands: CommandModule = (program: Command, ctx: CliContext) => {
  const collect = (v: string, prev: string[] = []) => [...prev, v];
  program
    .command('connect <vendor>')
    .description(`connect a POS (${CAPTURE_VENDORS.join(' | ')}) or a CRM (hubspot | salesforce | pipedrive): store settings and encrypted credentials, then test the connection`)
    .option('--base-url <url>', 'API base URL (Toast: the host Toast issued; tests: a local fake)')
    .option('--auth-url <url>', 'Lightspeed R OAuth host (default https://cloud.lightspeedapp.com)')
    .option('--client-id <id>', 'OAuth application / API client id')
    .option('--client-secret <secret>', 'OAuth application secret / Toast client secret (stored encrypted); secrets may be given as @file or env:NAME')
    .option('--access-token <token>', 'a personal access token (Square, Lightspeed X), stored encrypted')
    .option('--refresh-token <token>', 'an OAuth refresh token obtained elsewhere')
    .option('--authorize', 'OAuth step 1: print the authorize URL (Square: with a PKCE challenge)')
    .option('--code <code>', 'OAuth step 2: the authorization code from the redirect')
    .option('--code-verifier <v>', 'Square PKCE verifier (default: the one saved by --authorize)')
    .option('--redirect-uri <uri>', 'OAuth redirect URI registered with the vendor')
    .option('--no-pkce', 'Square: code flow with the application secret instead of PKCE')
    .option('--location <id>', 'Square location id (repeat for several, ≤10)', collect)
    .option('--restaurant <guid>', 'Toast restaurant external id (GUID)')
    .option('--domain-prefix <prefix>', 'Lightspeed X store domain prefix')
    .option('--outlet <id>', 'Lightspeed X outlet id (only its sales)')
    .option('--account <id>', 'Lightspeed R account id')
    .option('--shop <id>', 'Lightspeed R shop id (only its sales)')
    .option('--notification-url <url>', 'Square: the webhook URL as registered (Square signs URL + body)')
    .option('--webhook-secret <secret>', 'webhook signature key (Square subscription key, Toast secret; X uses the client secret)')
    .option('--overlap-hours <h>', 'Square: re-read this far behind the watermark (default 72)')
    .option('--overlap-minutes <m>', 'Toast / Lightspeed R overlap (default 60)')
    .option('--poll-interval <s>', 'seconds between polls (default 60)')
    .option('--currency <code>', 'currency for vendors whose orders carry none (Toast; default NGN)')
    .option('--tin-field <name>', 'customer field holding the buyer TIN (makes the invoice B2B)')
    .option('--map-options <file>', 'JSON file of mapper options (tax rate ids, tip/service products…)')
    .option('--disable', 'store the settings but do not poll')
    .option('--no-test', 'do not run the connection test')
    // CRMs (hubspot | salesforce | pipedrive): see docs/readme/crm.md
    .option('--auth <kind>', 'CRM auth: hubspot private_app|oauth, salesforce web_server|jwt, pipedrive api_token|oauth')
    .option('--login-url <url>', 'Salesforce login host (default https://login.salesforce.com)')
    .option('--oauth-url <url>', 'Pipedrive OAuth host (default https://oauth.pipedrive.com)')
    .option('--username <user>', 'Salesforce JWT bearer flow: the integration user')
    .option('--private-key <key>', 'Salesforce JWT bearer flow: the connected app\'s RSA private key (@file), stored encrypted')
    .option('--portal-id <id>', 'HubSpot portal (hub) id, for record links')
    .option('--won-stage <id>', 'HubSpot deal stage id that issues an invoice (repeat; default: stages whose metadata says closed-won)', collect)
    .option('--buyer-field <key=field>', 'CRM buyer field mapping: tin|email|street|city|postalZone|state|lga|country|government=<property/field> (repeat)', collect)
    .option('--vat-rate <percent>', 'CRM: VAT for lines the CRM gives no tax for (Salesforce default 7.5, exclusive)')
    .option('--allow-no-line-items', 'CRM: invoice a won deal without line items from its amount, as one line')
    .option('--multi-currency', 'Salesforce: the org is multi-currency (select CurrencyIsoCode)')
    .option('--writeback', 'CRM: write the IRN and clearance state back onto the deal')
    .option('--writeback-field <key=field>', 'CRM write-back target: irn=<property/field/custom-field key>, status=<…> (repeat)', collect)
    .option('--webhook-url <url>', 'HubSpot: the public URL HubSpot delivers to (v3 signs the full URI)')
    .action(async (v: string, o: ConnectOpts & CrmConnectOpts) => {
      if (isCrmSource(v)) {
        return crmConnect(ctx, v, {
          ...o, clientSecret: secretArg(o.clientSecret, '--client-secret'), accessToken: secretArg(o.accessToken, '--access-token'),
          refreshToken: secretArg(o.refreshToken, '--refresh-token'), webhookSecret: secretArg(o.webhookSecret, '--webhook-secret'), privateKey: privateKeyArg(o.privateKey),
        });
      }
      return connect(ctx, vendorArg(v), o);
    });

  program
    .command('poll <vendor>')
    .description('poll a connected POS from its durable watermark: --once for one pass (scripts), else until Ctrl-C')
    .option('--once', 'one pass to the end of the feed, then exit')
    .option('--webhook-port <port>', 'CRMs: also receive HubSpot/Pipedrive webhooks on 127.0.0.1:<port>')
    .action(async (v: string, o: { once?: boolean; webhookPort?: string }) => (isCrmSource(v) ? crmPoll(ctx, v, o) : poll(ctx, vendorArg(v), o)));

  program
    .command('capture-webhooks')
    .description('configure the local webhook receiver (off by default; loopback unless --allow-remote)')
    .option('--enable').option('--disable')
    .option('--host <host>', 'bind address (default 127.0.0.1)')
    .option('--port <port>', 'port (default 8787)')
    .option('--allow-remote', 'allow a non-loopback bind address (requests are still signature-checked)')
    .action((o: { enable?: boolean; disable?: boolean; host?: string; port?: string; allowRemote?: boolean }) => {
      if (o.enable && o.disable) throw new UsageError('--enable and --disable together');
      const settings = new ConnectorSettings(openLedger(ctx.globals()).db);
      const cur = settings.webhooks();
      const saved = settings.saveWebhooks({
        ...cur, ...(o.enable ? { enabled: true } : {}), ...(o.disable ? { enabled: false } : {}), ...(o.host ? { host: o.host } : {}),
        ...(o.port !== undefined ? { port: num(o.port, '--port') } : {}), ...(o.allowRemote ? { allowRemote: true } : {}),
      });
      out({ ok: true, webhooks: saved });
    });
};
