// One handler per contract channel (the mapped type makes a missing or extra handler a compile
// error; test/app/contract.test.ts checks it at run time too). Handlers receive requests already
// validated by the dispatcher (main/app/dispatch.ts) and return plain data matching the contract.
import { existsSync } from 'node:fs';
import type { ChannelName, InvoiceDetail, ParsedRequest, Response, SettingsView } from '../../shared/ipc/contract';
import { InvalidInput, type Sale } from '../../shared/domain/sale';
import { toLagos, lagosDayBounds } from '../../shared/domain/lagos-time';
import { INVOICE_TYPE } from '../../shared/domain/firs-invoice';
import { buildReceipt } from '../../shared/receipt/receipt';
import { layoutReceipt, layoutToText } from '../../shared/receipt/layout';
import { summariseDay, buildZReport } from '../../shared/reports/day-summary';
import { reportInvoices } from '../reports/day-view';
import { invoicesToCsv, type CsvInvoice } from '../../shared/reports/csv';
import { renderPng } from '../print/png-render';
import { FirsClient } from '../firs/firs-client';
import { zReportPdf } from '../reports/z-report-pdf';
import { buildRefundSale, refundedQuantities } from './refund';
import { lagosIso } from './demo-store';
import type { AppServices } from './services';
import type { IssuedInvoice } from '../ledger/ledger';
import Big from 'big.js';
import { ConnectorSettings, parseConnectorConfig } from '../capture/config';
import { createConnector } from '../capture/create-connector';
import { HttpClient } from '../capture/http';
import { DEFAULT_BACKOFF, realClock } from '../capture/polling/retry';
import { secretName, writeTokens } from '../capture/tokens';
import { registerLinkHandlers } from '../sources/register-link/handlers';

export class AppError extends Error {
  constructor(readonly code: 'invalid_request' | 'locked' | 'not_found' | 'not_setup', message: string) {
    super(message);
    this.name = 'AppError';
  }
}

const MANAGER_IDLE_MS = 15 * 60_000;

/** One window's (Electron) or one browser's (cookie) manager unlock. */
export class ManagerSession {
  private until = 0;
  constructor(private readonly now: () => number = Date.now) {}
  isUnlocked(): boolean {
    return this.now() < this.until;
  }
  unlock(): number {
    this.until = this.now() + MANAGER_IDLE_MS;
    return this.until;
  }
  /** Activity keeps an unlocked session open (auto-lock after 15 idle minutes). */
  touch(): void {
    if (this.isUnlocked()) this.until = this.now() + MANAGER_IDLE_MS;
  }
  lock(): void {
    this.until = 0;
  }
}

export interface CallContext {
  services: AppServices;
  session: ManagerSession;
}

export type Handler<C extends ChannelName> = (req: ParsedRequest<C>, ctx: CallContext) => Response<C> | Promise<Response<C>>;
export type Handlers = { [C in ChannelName]: Handler<C> };

function requireInvoice(s: AppServices, irn: string): IssuedInvoice {
  const inv = s.ledger.findByIrn(irn);
  if (!inv) throw new AppError('not_found', `irn: no invoice ${irn} on this terminal`);
  return inv;
}

function requireBusiness(s: AppServices) {
  const b = s.ledger.getBusiness();
  if (!b) throw new AppError('not_setup', 'this terminal is not set up yet: run the setup wizard or try the demo store');
  return b;
}

function today(s: AppServices): string {
  return toLagos(s.now()).date;
}

function parseDetails(text: string | null): unknown {
  if (text === null) return null;
  try { return JSON.parse(text); } catch { return text; }
}

function creditNotesOf(s: AppServices, irn: string): { irn: string; invoice_number: string; payable_kobo: number; sale: Sale }[] {
  const rows = s.db.prepare('SELECT irn, invoice_number, payable_kobo, sale_json FROM invoices WHERE original_irn = ? ORDER BY counter').all(irn) as
    { irn: string; invoice_number: string; payable_kobo: number; sale_json: string }[];
  return rows.map((r) => ({ irn: r.irn, invoice_number: r.invoice_number, payable_kobo: r.payable_kobo, sale: JSON.parse(r.sale_json) as Sale }));
}

function detail(s: AppServices, inv: IssuedInvoice): InvoiceDetail {
  const summary = s.dayView.summary(inv.counter)!;
  const credits = inv.type === INVOICE_TYPE.invoice ? creditNotesOf(s, inv.irn) : [];
  const refunded = refundedQuantities(inv.sale, credits.map((c) => c.sale));
  const lastError = s.db.prepare("SELECT last_error FROM outbox WHERE invoice_counter = ? AND kind = 'report'").get(inv.counter) as { last_error: string | null } | undefined;
  return {
    ...summary,
    qr: inv.qr, hash: inv.hash, prev_hash: inv.prev_hash,
    firs: inv.invoice as unknown as Record<string, unknown>,
    sale: inv.sale as unknown as Record<string, unknown>,
    attempts: s.jobs.attempts(inv.irn).map((a) => ({
      at: a.finished_at ?? a.started_at, outcome: a.outcome, http_status: a.http_status, message: a.message, details: parseDetails(a.details),
    })),
    last_error: lastError?.last_error ?? null,
    credit_notes: credits.map(({ irn, invoice_number, payable_kobo }) => ({ irn, invoice_number, payable_kobo })),
    refundable: inv.type === INVOICE_TYPE.invoice
      ? inv.sale.lines.map((l, index) => ({
        index, name: l.name, quantity: l.quantity, refunded: refunded[index]!.toString(),
        remaining: new Big(l.quantity).minus(refunded[index]!).toString(), unit_price: l.unit_price,
      }))
      : [],
    remaining_kobo: inv.type === INVOICE_TYPE.invoice ? inv.payable_kobo - credits.reduce((a, c) => a + c.payable_kobo, 0) : 0,
  };
}

function zReportFor(s: AppServices, date: string) {
  lagosDayBounds(date);
  const b = requireBusiness(s);
  const closed = s.settings.get('dayCloses')?.[date] ?? null;
  return buildZReport(date, reportInvoices(s.db, date), {
    business: { name: b.name, tin: b.tin, terminal: b.terminal }, generatedAt: s.now().getTime(), closed, demo: s.isDemo,
  });
}

function settingsView(s: AppServices): SettingsView {
  const names = s.secrets.names();
  const pos = new ConnectorSettings(s.db).list();
  return {
    business: s.ledger.getBusiness() ?? null,
    keysLoaded: Boolean(s.db.prepare("SELECT 1 FROM settings WHERE key = 'crypto_keys'").get()),
    printer: s.settings.get('printer')!,
    firs: { baseUrl: s.settings.get('firs')?.baseUrl ?? null, apiKeySet: names.includes('firs.apiKey'), apiSecretSet: names.includes('firs.apiSecret') },
    cloud: { baseUrl: s.settings.get('cloud')?.baseUrl ?? null, tokenSet: names.includes('cloud.token') },
    pos: (['square', 'toast', 'lightspeed-x', 'lightspeed-r'] as const).map((vendor) => {
      const p = pos.find((x) => x.vendor === vendor);
      return {
        vendor, enabled: p?.enabled ?? false, baseUrl: p?.baseUrl ?? null,
        credentialsSet: names.some((n) => n.startsWith(`capture.${vendor}.`)), config: p ? { ...p } as Record<string, unknown> : null,
      };
    }),
    serial: s.settings.get('serial')!,
    // Names of stored secrets only; demo's private key is not a credential the manager manages.
    secretNames: names.filter((n) => n !== 'browser.token'),
  };
}

/** Stored key file text again (JSON form), so the business profile can change without re-importing keys. */
function storedKeysText(s: AppServices): string {
  const row = s.db.prepare("SELECT value FROM settings WHERE key = 'crypto_keys'").get() as { value: string } | undefined;
  if (!row) throw new AppError('not_setup', 'cryptoKeys: no keys are stored yet; choose the crypto_keys.txt file');
  const k = JSON.parse(row.value) as { publicKeyPem: string; certificate: string };
  return JSON.stringify({ public_key: Buffer.from(k.publicKeyPem).toString('base64'), certificate: k.certificate });
}

function printResult(s: AppServices, queued: boolean, copy: boolean) {
  return { queued, copy, printer: s.printerStatus() };
}

/** A POS connector's settings through the capture helper's own schemas; secrets to the store. */
function savePosConnector(s: AppServices, pos: NonNullable<ParsedRequest<'settings.update'>['pos']>): void {
  const settings = new ConnectorSettings(s.db);
  const prev = settings.get(pos.vendor) as Record<string, unknown> | undefined;
  const creds = pos.credentials ?? {};
  const merged: Record<string, unknown> = {
    ...(prev ?? {}), ...(pos.config ?? {}), vendor: pos.vendor,
    ...(pos.baseUrl ? { baseUrl: pos.baseUrl } : {}),
    ...(pos.enabled !== undefined ? { enabled: pos.enabled } : {}),
  };
  // A personal access token means token auth where the vendor has the choice (Square, Lightspeed X).
  if ((pos.vendor === 'square' || pos.vendor === 'lightspeed-x') && creds.accessToken && !pos.config?.auth) merged.auth = 'token';
  let config;
  try {
    config = parseConnectorConfig(merged);
  } catch (e) {
    throw new InvalidInput(`pos (${pos.vendor}): ${(e as Error).message}`);
  }
  // Validate everything first, then write: a refused update leaves the old settings whole.
  settings.save(config);
  if (creds.clientSecret) s.secrets.set(secretName(pos.vendor, 'client_secret'), creds.clientSecret);
  if (creds.webhookSecret) s.secrets.set(secretName(pos.vendor, 'webhook_secret'), creds.webhookSecret);
  if (creds.accessToken) writeTokens(s.secrets, pos.vendor, { accessToken: creds.accessToken });
  else if (creds.refreshToken) writeTokens(s.secrets, pos.vendor, { accessToken: '-', refreshToken: creds.refreshToken, expiresAt: 0 });
}

export const HANDLERS: Handlers = {
  'app.state': (_req, { services, session }) => services.appState(session.isUnlocked()),

  'setup.configure': async (req, { services, session }) => {
    const configured = services.ledger.getBusiness() && !services.isDemo;
    if (configured && !session.isUnlocked()) throw new AppError('locked', 'this terminal is already set up: unlock with the manager PIN to change it');
    await services.configure(req.business, req.cryptoKeys, req.managerPin);
    if (req.printer) services.settings.set('printer', req.printer);
    if (req.firs) {
      if (req.firs.baseUrl) services.settings.set('firs', { baseUrl: req.firs.baseUrl });
      if (req.firs.apiKey) services.secrets.set('firs.apiKey', req.firs.apiKey);
      if (req.firs.apiSecret) services.secrets.set('firs.apiSecret', req.firs.apiSecret);
    }
    if (req.printer || req.firs) await services.restartBackground();
    session.unlock();
    const state = services.appState(true);
    services.emit('app.changed', { ...state, managerUnlocked: false });
    services.pushStatus();
    return state;
  },

  'setup.startDemo': async (req, { services, session }) => {
    const pin = await services.startDemo(req.managerPin, req.feed ?? true);
    session.lock();
    const state = services.appState(false);
    services.emit('app.changed', state);
    services.pushStatus();
    return { state, managerPin: pin };
  },

  'demo.sale': (_req, { services }) => ({ invoice: services.demoSale() }),

  'sales.createManual': (req, { services }) => {
    requireBusiness(services);
    // In the demo store every sale is a demo sale: labelled DEMO, never reported.
    const sale = services.isDemo ? { ...req.sale, source: 'demo' as const } : req.sale;
    const r = services.ledger.issue(sale);
    services.pushNewInvoices();
    return { duplicate: r.duplicate, invoice: services.dayView.summary(r.invoice.counter)! };
  },

  'invoices.listByDay': (req, { services, session }) => {
    if (req.date !== today(services) && !session.isUnlocked()) {
      throw new AppError('locked', `date: other days than today (${today(services)}) are in the manager's day view: unlock with the manager PIN`);
    }
    return services.dayView.list(req);
  },

  'invoices.get': (req, { services }) => detail(services, requireInvoice(services, req.irn)),

  'invoices.refund': (req, { services }) => {
    const original = requireInvoice(services, req.irn);
    if (original.type !== INVOICE_TYPE.invoice) throw new InvalidInput(`irn: ${req.irn} is a credit note; refund the original invoice`);
    const source = original.source === 'demo' || services.isDemo ? 'demo' : 'manual';
    const existing = services.ledger.findBySourceId(source, `refund-${req.refundId}`);
    if (existing) return { duplicate: true, invoice: services.dayView.summary(existing.counter)! };
    const sale = buildRefundSale({
      original: original.sale, originalIrn: original.irn, creditNotes: creditNotesOf(services, original.irn).map((c) => c.sale),
      picks: req.lines, refundId: req.refundId, source, occurredAt: lagosIso(services.now()), method: req.method, reason: req.reason,
    });
    const r = services.ledger.issue(sale);
    services.pushNewInvoices();
    return { duplicate: r.duplicate, invoice: services.dayView.summary(r.invoice.counter)! };
  },

  'receipt.preview': (req, { services }) => {
    const inv = requireInvoice(services, req.irn);
    const business = requireBusiness(services);
    const width = req.width ?? services.settings.get('printer')!.width;
    const copy = req.copy ?? false;
    if (services.print?.preview) {
      const p = services.print.preview(inv.irn, { width, copy });
      return { png: p.png.toString('base64'), text: p.text, qr: inv.qr, width, copy };
    }
    const layout = layoutReceipt(buildReceipt(inv, business, { copy }), { width, nairaSymbol: true });
    return { png: renderPng(layout).toString('base64'), text: layoutToText(layout), qr: inv.qr, width, copy };
  },

  'receipt.print': (req, { services }) => {
    const inv = requireInvoice(services, req.irn);
    if (!services.print) return printResult(services, false, false);
    const row = services.db.prepare("SELECT status FROM outbox WHERE invoice_counter = ? AND kind = 'print'").get(inv.counter) as { status: string } | undefined;
    if (row?.status === 'done') throw new InvalidInput(`irn: the receipt of ${inv.invoice_number} was already printed; use reprint (marked COPY)`);
    services.print.kick?.(); // the print service drains the original's outbox job itself
    return printResult(services, true, false);
  },

  'receipt.reprint': async (req, { services }) => {
    requireInvoice(services, req.irn);
    if (!services.print) return printResult(services, false, true);
    await services.print.reprint(req.irn);
    return printResult(services, true, true);
  },

  'status.get': (_req, { services }) => services.status(),

  'manager.unlock': (req, { services, session }) => {
    const r = services.pin.check(req.pin);
    if (!r.ok) return { unlocked: false, message: r.message, ...(r.retryAfterS ? { retryAfterS: r.retryAfterS } : {}) };
    return { unlocked: true, expiresAt: session.unlock() };
  },

  'manager.lock': (_req, { session }) => {
    session.lock();
    return { unlocked: false as const };
  },

  'reports.daySummary': (req, { services }) => {
    requireBusiness(services);
    lagosDayBounds(req.date);
    return summariseDay(req.date, reportInvoices(services.db, req.date), { demo: services.isDemo });
  },

  'reports.zReport': (req, { services }) => zReportFor(services, req.date),

  'reports.closeDay': (req, { services }) => {
    requireBusiness(services);
    if (req.date > today(services)) throw new InvalidInput(`date: ${req.date} has not started yet (today is ${today(services)})`);
    const closes = { ...(services.settings.get('dayCloses') ?? {}) };
    if (!closes[req.date]) {
      const next = Math.max(0, ...Object.values(closes).map((c) => c.z_number)) + 1;
      closes[req.date] = { z_number: next, closed_at: services.now().getTime() };
      services.settings.set('dayCloses', closes);
    }
    return zReportFor(services, req.date);
  },

  'export.csv': (req, { services }) => {
    const b = requireBusiness(services);
    if (req.to < req.from) throw new InvalidInput(`to: ${req.to} is before from ${req.from}`);
    const days = (Date.parse(`${req.to}T00:00:00Z`) - Date.parse(`${req.from}T00:00:00Z`)) / 86_400_000 + 1;
    if (days > 92) throw new InvalidInput(`to: at most 92 days per export (asked for ${days})`);
    const invoices: CsvInvoice[] = [];
    for (let d = 0; d < days; d++) {
      const date = new Date(Date.parse(`${req.from}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10);
      invoices.push(...reportInvoices(services.db, date));
    }
    const name = req.from === req.to ? req.from : `${req.from}_${req.to}`;
    return { filename: `taxpoynt-${b.terminal}-${name}${services.isDemo ? '-DEMO' : ''}.csv`, csv: invoicesToCsv(invoices), rows: invoices.length };
  },

  'export.zReportPdf': async (req, { services }) => {
    const z = zReportFor(services, req.date);
    const pdf = await zReportPdf(z);
    return { filename: `z-report-${z.business.terminal}-${req.date}${z.demo ? '-DEMO' : ''}.pdf`, pdfBase64: pdf.toString('base64') };
  },

  'sync.status': (_req, { services }) => services.syncStatus(),

  'sync.retryNow': (_req, { services }) => {
    services.retryNow();
    return services.syncStatus();
  },

  'sync.problems': (_req, { services }) => ({
    items: services.jobs.problems().map((p) => ({
      irn: p.irn, invoice_number: p.invoice_number, status: p.status, attempts: p.attempts, last_error: p.message,
      details: parseDetails(p.details), updated_at: p.updated_at,
    })),
  }),

  'sync.requeue': (req, { services }) => {
    requireInvoice(services, req.irn);
    return { requeued: services.requeue(req.irn) };
  },

  'settings.get': (_req, { services }) => settingsView(services),

  'settings.update': async (req, { services }) => {
    if (req.managerPin) {
      const r = services.pin.check(req.managerPin.current);
      if (!r.ok) throw new InvalidInput(`managerPin.current: ${r.message}`);
    }
    let restart = false;
    let restartPrint = false;
    if (req.business || req.cryptoKeys) {
      const business = req.business ?? requireBusiness(services);
      services.ledger.configure(business, req.cryptoKeys ?? storedKeysText(services));
    }
    if (req.printer) { services.settings.set('printer', req.printer); restartPrint = true; }
    if (req.serial) services.settings.set('serial', { path: req.serial.path, baudRate: req.serial.baudRate ?? services.settings.get('serial')!.baudRate });
    if (req.firs) {
      if (req.firs.baseUrl) services.settings.set('firs', { baseUrl: req.firs.baseUrl });
      if (req.firs.apiKey) services.secrets.set('firs.apiKey', req.firs.apiKey);
      if (req.firs.apiSecret) services.secrets.set('firs.apiSecret', req.firs.apiSecret);
      restart = true;
    }
    if (req.cloud) {
      if (req.cloud.baseUrl) services.settings.set('cloud', { baseUrl: req.cloud.baseUrl });
      if (req.cloud.token) services.secrets.set('cloud.token', req.cloud.token);
      restart = true;
    }
    if (req.pos) {
      savePosConnector(services, req.pos);
      restart = true;
    }
    if (req.managerPin) services.pin.set(req.managerPin.next);
    if (restart || restartPrint) await services.restartBackground();
    services.pushStatus();
    return settingsView(services);
  },

  'settings.testConnection': async (req, { services }) => {
    const started = Date.now();
    switch (req.target) {
      case 'firs': {
        const cfg = services.firsConfig();
        if (!cfg) return { ok: false, message: 'FIRS is not configured: enter the base URL, API key and API secret' };
        const problem = await new FirsClient({ ...cfg, timeoutMs: 10_000 }).healthProblem();
        return { ok: !problem, message: problem ?? 'FIRS answered healthy', latencyMs: Date.now() - started };
      }
      case 'cloud': {
        const url = services.settings.get('cloud')?.baseUrl;
        const token = services.secrets.get('cloud.token');
        if (!url || !token) return { ok: false, message: 'the TaxPoynt cloud is not configured: enter its URL and token' };
        try {
          const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
          return { ok: res.status < 500 && res.status !== 401 && res.status !== 403, message: `the cloud answered HTTP ${res.status}`, latencyMs: Date.now() - started };
        } catch (e) {
          return { ok: false, message: `cannot reach ${url}: ${(e as Error).message}` };
        }
      }
      case 'printer': {
        const p = services.printerStatus();
        return { ok: p.printer === 'ready' || p.printer === 'virtual', message: p.message ?? `printer ${p.printer}` };
      }
      case 'serial': {
        const path = services.settings.get('serial')?.path;
        if (!path) return { ok: false, message: 'no serial port is configured' };
        return existsSync(path) ? { ok: true, message: `${path} exists` } : { ok: false, message: `${path} does not exist on this computer` };
      }
      default: {
        const config = new ConnectorSettings(services.db).get(req.target);
        if (!config) return { ok: false, message: `${req.target} is not configured: save its settings first` };
        const connector = createConnector(config, { http: new HttpClient(), secrets: services.secrets, clock: realClock, backoff: { ...DEFAULT_BACKOFF, maxAttempts: 1 } });
        const r = await connector.testConnection();
        return r.ok ? { ok: true, message: r.summary, latencyMs: Date.now() - started } : { ok: false, message: r.message, latencyMs: Date.now() - started };
      }
    }
  },

  'printer.testPrint': async (_req, { services }) => {
    if (!services.print) return { ok: false, message: 'the printing service is not running: set up the terminal first', printer: services.printerStatus() };
    const r = await services.print.testPrint();
    return { ok: r.ok, message: r.message, printer: services.printerStatus() };
  },

  ...registerLinkHandlers,
};

