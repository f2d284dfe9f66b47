// How each background service beside the till is built and started: printing, POS/CRM capture,
// register links, the FIRS sync and the demo feed. The composition root (services.ts) decides
// which run; these functions only construct one service each, wired to the app's change pushes.
import type { Db } from '../ledger/database';
import type { Ledger } from '../ledger/ledger';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SyncService } from '../sync/sync-service';
import { SyncThreadHost } from '../sync/sync-host';
import { DEFAULT_SYNC_TUNING, type SyncTuning } from '../sync/sync-tuning';
import { PrintService } from '../print/print-service';
import { openTransport } from '../print/open-transport';
import { parsePrinterConfig } from '../../shared/receipt/printer-config';
import { CaptureService } from '../capture/capture-service';
import { RegisterLinkService } from '../sources/register-link/service';
import { passThroughPrinter } from '../sources/register-link/pass-through';
import type { SecretStore } from './secret-store';
import type { SyncPort } from './ports';
import type { AppSettings } from './settings';
import type { DiskState } from '../ledger/disk-space';

/** What every service is built from, and how it tells the app something changed. */
export interface BackgroundContext {
  db: Db;
  ledger: Ledger;
  settings: AppSettings;
  secrets: SecretStore;
  now: () => Date;
  log: (message: string) => void;
  /** A job's state changed: the app coalesces these into one status push. */
  onChange: () => void;
  /** A register link issued an invoice: the printer looks at its queue. */
  onIssued: () => void;
  /** The disk as the app sees it: writers report "full" and refuse arrivals while it is. */
  disk: DiskState;
}

/** POS catch-ups captured later than this after the sale are not auto-printed. */
export const DEFAULT_LATE_CAPTURE_MS = 30 * 60_000;

export function startPrintService(ctx: BackgroundContext, lateCaptureMs = DEFAULT_LATE_CAPTURE_MS): PrintService {
  const config = ctx.settings.get('printer');
  const print = new PrintService({
    db: ctx.db,
    ledger: ctx.ledger,
    config,
    now: () => ctx.now().getTime(),
    transport: openTransport(parsePrinterConfig(config)),
    lateCaptureMs,
    onDiskFull: () => ctx.disk.full(),
  });
  print.on('change', ctx.onChange);
  print.start();
  return print;
}

/** A simulated sale every `ms` (none when 0); a failed one is logged, the feed carries on. */
export function startDemoFeed(ms: number, sale: () => unknown, log: (message: string) => void): NodeJS.Timeout | undefined {
  if (ms <= 0) return undefined;
  const timer = setInterval(() => {
    try {
      sale();
    } catch (e) {
      log(`demo feed: ${(e as Error).message}`);
    }
  }, ms);
  timer.unref();
  return timer;
}

export function startCaptureService(ctx: BackgroundContext): CaptureService {
  const capture = new CaptureService({ db: ctx.db, ledger: ctx.ledger, secrets: ctx.secrets, disk: ctx.disk });
  capture.on('change', ctx.onChange);
  void capture.start().catch((e: unknown) => ctx.log(`capture: ${(e as Error).message}`));
  return capture;
}

/** The register links, when any is configured and enabled (unreadable settings are logged, not fatal). */
export function startRegisterLink(ctx: BackgroundContext): RegisterLinkService | undefined {
  let settings;
  try {
    settings = ctx.settings.get('registerLink');
  } catch (e) {
    ctx.log(`register link: ${(e as Error).message}`);
    return undefined;
  }
  if (!settings?.links.some((l) => l.enabled)) return undefined;
  const printer = ctx.settings.get('printer');
  const rl = new RegisterLinkService({
    db: ctx.db,
    ledger: ctx.ledger,
    settings,
    now: () => ctx.now().getTime(),
    ...(settings.links.some((l) => l.passThrough) ? { passThrough: passThroughPrinter(printer) } : {}),
    onIssued: ctx.onIssued,
    onDiskFull: () => ctx.disk.full(),
    log: ctx.log,
  });
  rl.on('change', ctx.onChange);
  void rl.start().catch((e: unknown) => ctx.log(`register link: ${(e as Error).message}`));
  return rl;
}

/**
 * The FIRS report sync (and the cloud upload when the cloud is configured too), in a worker
 * thread with its own connection (sync-thread.ts): a drain of thousands of reports never holds
 * the till's event loop. On this thread only when the worker script is missing (a source checkout
 * that was never built): logged, since the till then shares its loop with the sync.
 */
export function startSyncService(
  ctx: BackgroundContext,
  firs: { baseUrl: string; apiKey: string; apiSecret: string },
  script: string | undefined = syncThreadScript(),
): SyncPort {
  const cloudUrl = ctx.settings.get('cloud')?.baseUrl;
  const cloudToken = ctx.secrets.get('cloud.token');
  const options = {
    firs,
    cloud: cloudUrl && cloudToken ? { baseUrl: cloudUrl, token: cloudToken } : undefined,
    ...syncTuning(ctx),
  };
  const log = (level: string, message: string) => ctx.log(`[sync] ${level}: ${message}`);
  let sync: SyncPort;
  if (script && !ctx.db.memory) {
    sync = new SyncThreadHost({ ...options, db: ctx.db, script, log });
  } else {
    log('warn', "the sync runs on the till's thread: dist/main/sync-thread.cjs was not found (npm run build)");
    sync = new SyncService({ ...options, db: ctx.db, ledger: ctx.ledger, now: ctx.now, log });
  }
  sync.on('change', ctx.onChange);
  sync.start();
  return sync;
}

/**
 * The bundled worker entry: beside the bundle that runs (dist/main/cli.cjs or electron.cjs, also
 * inside app.asar, which Electron's worker threads read), else dist/main of a source checkout (tests).
 */
export function syncThreadScript(): string | undefined {
  const candidates = [join(__dirname, 'sync-thread.cjs'), join(__dirname, '..', '..', 'dist', 'main', 'sync-thread.cjs')];
  return candidates.find((c) => existsSync(c));
}

/** The app.sync setting; a bad stored value is logged and the defaults are used (reports must flow). */
function syncTuning(ctx: BackgroundContext): SyncTuning {
  try {
    return ctx.settings.get('sync') ?? DEFAULT_SYNC_TUNING;
  } catch (e) {
    ctx.log(`sync: ${(e as Error).message}; using the defaults`);
    return DEFAULT_SYNC_TUNING;
  }
}
