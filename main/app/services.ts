// The composition root: one place that opens the ledger, the secret store and the settings, and
// runs the background services beside the till (sync, printing, capture, the demo feed). Both
// shells use it: Electron (main/electron/main.ts) and browser mode (main/server/). Services keep
// running while windows close; stop() (on quit) waits for work in flight first.
//
// Wiring: PrintService runs whenever a business exists (demo included: the default printer is
// the virtual one); the FIRS sync runs (in a worker thread) when FIRS credentials are configured and CaptureService
// (the enabled POS connectors and webhook receiver) for a real business — neither in the demo.
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type Db } from '../ledger/database';
import { openData, type Data } from '../ledger/data';
import type { Ledger } from '../ledger/ledger';
import type { ReportJobs } from '../ledger/report-jobs';
import { changeVersion } from '../ledger/change-version';
import { queueCounts } from '../sync/queue-status';
import { ClockStepWatch, SteadyClock } from '../sync/report-clock';
import { releaseDeadOwners, repairFutureSchedules } from '../ledger/schedule-repair';
import { DiskReserve, type DiskState } from '../ledger/disk-space';
import type { RegisterLinkService } from '../sources/register-link/service';
import type { SecretStore } from './secret-store';
import { FileSecretStore } from './file-secret-store';
import { AppSettings } from './settings';
import { ManagerPin, PinRule } from './manager-pin';
import { MANAGER_PIN_PATTERN, MANAGER_PIN_RULE } from '../../shared/domain/limits';
import type { DayView } from '../ledger/day-view';
import { DEMO_BUSINESS, DEMO_PIN, demoKeys, demoSale } from './demo-store';
import { ledgerFile } from './data-dir';
import { toLagos } from '../../shared/domain/lagos-time';
import type { CapturePort, PrintPort, SyncPort } from './ports';
import {
  startCaptureService,
  startDemoFeed,
  startPrintService,
  startRegisterLink,
  startSyncService,
  type BackgroundContext,
} from './background-services';
import { connectionRows, printerView, runningSyncView, stoppedSyncView } from './status-view';
import type { AppState, EventName, EventPayload, InvoiceSummary, StatusSnapshot, SyncStatusView } from '../../shared/ipc/contract';

export type { CapturePort, PrintPort } from './ports';

export interface AppServicesOptions {
  dataDir: string;
  mode: 'electron' | 'browser';
  secrets?: SecretStore;
  lan?: boolean;
  now?: () => Date;
  /** Simulated sale every N ms in the demo store (0: off). */
  demoFeedMs?: number;
  /** Sales captured later than this after they happened are not auto-printed (default 30 min). */
  lateCaptureMs?: number;
  /** How often to look for changes made outside this process (CLI, another service). */
  watchMs?: number;
  dev?: boolean;
  version?: string;
  log?: (message: string) => void;
}

type Which = 'real' | 'demo';

export class AppServices {
  readonly secrets: SecretStore;
  readonly now: () => Date;
  readonly opts: AppServicesOptions;
  private readonly emitter = new EventEmitter();
  private which: Which = 'real';
  private _db!: Db;
  private _data!: Data;
  private _ledger!: Ledger;
  private _settings!: AppSettings;
  private _pin!: ManagerPin;
  private _dayView!: DayView;
  private _jobs!: ReportJobs;
  private sync: SyncPort | undefined;
  print: PrintPort | undefined;
  capture: CapturePort | undefined;
  /** Register links (serial/TCP sale messages and print capture), when any is configured. */
  registerLink: RegisterLinkService | undefined;
  private demoTimer: NodeJS.Timeout | undefined;
  private watchTimer: NodeJS.Timeout | undefined;
  private pushTimer: NodeJS.Timeout | undefined;
  private demoSeq = 0;
  private lastCounter = 0;
  /** The ledger's change version at the last look (see change-version.ts). */
  private lookedAt: string | undefined;
  private lastOutboxUpdate = 0;
  private lastStatusJson = '';
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopped = false;
  private readonly clockSteps: ClockStepWatch;
  private readonly reserve: DiskReserve;
  private diskFullSince: number | undefined;
  private readonly steady: SteadyClock;
  /** Background work runs only between start() and stop() (tests drive handlers without it). */
  private started = false;

  constructor(opts: AppServicesOptions) {
    this.opts = opts;
    this.now = opts.now ?? (() => new Date());
    this.steady = new SteadyClock(() => this.now().getTime());
    this.clockSteps = new ClockStepWatch(() => this.now().getTime());
    this.reserve = new DiskReserve(opts.dataDir);
    this.secrets = opts.secrets ?? new FileSecretStore(opts.dataDir);
    // Demo only when no real business exists yet and the demo store was started before.
    const demo = this.demoLedgerFile();
    this.open('real');
    if (!this._ledger.getBusiness() && existsSync(demo) && !existsSync(join(opts.dataDir, 'demo.off'))) {
      this.open('demo');
      if (!this._ledger.getBusiness()) this.open('real');
    }
  }

  /** The ledger's data interface (main/ledger/data.ts): the raw connection stays in here. */
  get data(): Data {
    return this._data;
  }
  get ledger(): Ledger {
    return this._ledger;
  }
  get settings(): AppSettings {
    return this._settings;
  }
  get pin(): ManagerPin {
    return this._pin;
  }
  get dayView(): DayView {
    return this._dayView;
  }
  get jobs(): ReportJobs {
    return this._jobs;
  }
  get isDemo(): boolean {
    return this.which === 'demo';
  }
  get syncRunning(): boolean {
    return this.sync !== undefined;
  }

  private demoLedgerFile(): string {
    return join(this.opts.dataDir, 'demo', 'ledger.db');
  }

  private open(which: Which): void {
    if (this._db) this._db.close();
    this.which = which;
    this._db = openDatabase(which === 'demo' ? this.demoLedgerFile() : ledgerFile(this.opts.dataDir));
    this._data = openData(this._db, this.now);
    this._ledger = this._data.ledger;
    this._settings = new AppSettings(this._db);
    this._pin = new ManagerPin(this._settings, () => this.now().getTime());
    this._dayView = this._data.dayView;
    this._jobs = this._data.reportJobs;
    this.lastCounter = this._data.invoices.lastCounter();
    this.lastOutboxUpdate = this._data.outbox.lastUpdate();
    this.lookedAt = undefined;
  }

  // ---------- lifecycle ----------

  start(): void {
    if (this.started) return;
    this.started = true;
    this.startBackground();
    const every = this.opts.watchMs ?? 1000;
    this.watchTimer = setInterval(() => this.watch(), every);
    this.watchTimer.unref();
  }

  private startBackground(): void {
    this.repairSchedules(true);
    const ctx = this.backgroundContext();
    if (this._ledger.getBusiness()) this.print = startPrintService(ctx, this.opts.lateCaptureMs);
    if (this.which === 'demo') {
      this.demoTimer = startDemoFeed(this.opts.demoFeedMs ?? 20_000, () => this.demoSale(), ctx.log);
      return;
    }
    if (!this._ledger.getBusiness()) return;
    this.capture = startCaptureService(ctx);
    this.registerLink = startRegisterLink(ctx);
    const firs = this.firsConfig();
    if (firs) this.sync = startSyncService(ctx, firs);
  }

  private backgroundContext(): BackgroundContext {
    return {
      db: this._db,
      ledger: this._ledger,
      settings: this._settings,
      secrets: this.secrets,
      now: this.now,
      log: (m) => this.log(m),
      onChange: () => this.schedulePush(),
      onIssued: () => this.print?.kick?.(),
      disk: this.disk,
    };
  }

  private async stopBackground(): Promise<void> {
    if (this.demoTimer) clearInterval(this.demoTimer);
    this.demoTimer = undefined;
    const { sync, print, capture, registerLink } = this;
    this.sync = undefined;
    this.print = undefined;
    this.capture = undefined;
    this.registerLink = undefined;
    await Promise.all([sync?.stop(), print?.stop(), capture?.stop(), registerLink?.stop()]);
  }

  /** Restarts background work after settings changed (new FIRS credentials, demo ↔ real). */
  async restartBackground(): Promise<void> {
    await this.stopBackground();
    if (this.started && !this.stopped) this.startBackground();
  }

  /** Quit: no new work, in-flight requests and ledger writes finish, services stop, the file closes. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.watchTimer) clearInterval(this.watchTimer);
    if (this.pushTimer) clearTimeout(this.pushTimer);
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
    await this.stopBackground();
    this._db.close();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Runs a request's work, counted so that stop() waits for it. */
  track<T>(work: () => Promise<T> | T): Promise<T> {
    if (this.stopped) return Promise.reject(new Error('the app is shutting down'));
    const p = Promise.resolve().then(work);
    this.inFlight.add(p);
    const done = () => {
      this.inFlight.delete(p);
    };
    p.then(done, done);
    return p;
  }

  private log(message: string): void {
    (this.opts.log ?? ((m: string) => process.stderr.write(`${m}\n`)))(message);
  }

  // ---------- events ----------

  on<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void {
    this.emitter.on(event, cb);
    return () => {
      this.emitter.off(event, cb);
    };
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    this.emitter.emit(event, payload);
  }

  /** Pushes new invoices and changed report/print states, whoever wrote them (this process or another). */
  /**
   * Jobs a dead worker of this machine held, and schedules left in the future by a clock set
   * back, become due now (main/ledger/schedule-repair.ts); then the workers look again.
   */
  private repairSchedules(deadOwners: boolean): void {
    try {
      const now = this.now().getTime();
      const freed = deadOwners ? releaseDeadOwners(this._db, now) : 0;
      const moved = repairFutureSchedules(this._db, now);
      if (freed + moved > 0) {
        this.log(`queues: ${freed} job(s) of a stopped worker taken back, ${moved} schedule(s) ahead of the clock made due now`);
        this.print?.kick?.();
        this.sync?.wake(); // not retryNow(): backoffs that are not in the future stay as they are
      }
    } catch (e) {
      this.log(`queues: ${(e as Error).message}`);
    }
  }

  /**
   * A write just failed for lack of space: give back the reserve (SQLite can then checkpoint and
   * roll back) and pause the print queue's writes; watch() takes it back once there is room.
   */
  diskFull(): void {
    if (this.diskFullSince === undefined) this.log('disk: the disk is full: sales are refused until there is space again');
    this.diskFullSince ??= this.now().getTime();
    this.reserve.release();
  }

  get isDiskFull(): boolean {
    return this.diskFullSince !== undefined;
  }

  /** The disk state as background writers see it (webhook receiver, register links). */
  readonly disk: DiskState = ((app: AppServices): DiskState => ({
    get isFull() {
      return app.isDiskFull;
    },
    full: () => app.diskFull(),
  }))(this);

  private checkDisk(): void {
    try {
      if (this.reserve.ensure()) {
        if (this.diskFullSince !== undefined) {
          this.log('disk: there is space again: carrying on');
          this.diskFullSince = undefined;
          this.print?.kick?.();
        }
      } else this.diskFull();
    } catch (e) {
      this.log(`disk: ${(e as Error).message}`);
    }
  }

  watch(): void {
    if (this.stopped) return;
    this.checkDisk();
    const step = this.clockSteps.check();
    if (step !== 0) {
      this.log(`clock: the system clock was set ${step < 0 ? 'back' : 'forward'} by ${Math.round(Math.abs(step) / 1000)} s`);
      this.repairSchedules(false);
    }
    try {
      // Nothing written since the last look (by us, the sync's connection or another process):
      // no new invoices or outbox changes to look for, only the status (cached counts, the clock).
      const version = changeVersion(this._db);
      if (version !== this.lookedAt) {
        this.lookedAt = version;
        this.pushNewInvoices();
        // A bounded batch per look: a backlog (thousands printed or reported at once) drains over
        // several looks instead of blocking the event loop in one.
        const changed = this._data.outbox.changedSince(this.lastOutboxUpdate, 300);
        for (const row of changed) this.lastOutboxUpdate = Math.max(this.lastOutboxUpdate, row.updated_at);
        for (const s of this._dayView.summaries([...new Set(changed.map((r) => r.counter))])) this.emit('invoice.updated', s);
        if (changed.length === 300) {
          this.lookedAt = undefined; // more to read: the next look must not skip
          this.schedulePush();
        }
      }
      this.pushStatus();
    } catch (e) {
      this.log(`watch: ${(e as Error).message}`);
    }
  }

  /** Emits invoice.issued for every invoice newer than the last one pushed. */
  pushNewInvoices(): InvoiceSummary[] {
    const rows = this._data.invoices.countersAfter(this.lastCounter, 300);
    if (!rows.length) return [];
    this.lastCounter = rows.at(-1)!;
    const out = this._dayView.summaries(rows);
    for (const s of out) this.emit('invoice.issued', s);
    // Clearance: a new invoice from any source (till, POS capture, CRM) is sent at once, B2B/B2G
    // first (the sync claims them first), so "cleared" shows within seconds when online.
    this.sync?.wake();
    if (rows.length === 300) {
      this.lookedAt = undefined; // more to read: the next look must not skip
      this.schedulePush();
    }
    return out;
  }

  /** Services report changes per job; coalesce them into one look every 200 ms (status is a few queries). */
  private schedulePush(): void {
    if (this.pushTimer || this.stopped) return;
    this.pushTimer = setTimeout(() => {
      this.pushTimer = undefined;
      this.watch();
    }, 200);
    this.pushTimer.unref();
  }

  pushStatus(): void {
    const snap = this.status();
    const { at: _at, ...rest } = snap;
    const json = JSON.stringify(rest);
    if (json !== this.lastStatusJson) {
      this.lastStatusJson = json;
      this.emit('status.changed', snap);
    }
  }

  // ---------- state ----------

  firsConfig(): { baseUrl: string; apiKey: string; apiSecret: string } | undefined {
    const baseUrl = this._settings.get('firs')?.baseUrl;
    const apiKey = this.secrets.get('firs.apiKey');
    const apiSecret = this.secrets.get('firs.apiSecret');
    return baseUrl && apiKey && apiSecret ? { baseUrl, apiKey, apiSecret } : undefined;
  }

  /** `cashier`: who is signed in at the asking window (broadcasts carry none: each window keeps its own). */
  appState(managerUnlocked: boolean, cashier: string | null = null): AppState {
    const b = this._ledger.getBusiness();
    return {
      mode: this.opts.mode,
      setup: !b ? 'none' : this.which === 'demo' ? 'demo' : 'configured',
      business: b ? { name: b.name, tin: b.tin, terminal: b.terminal, service_id: b.service_id } : null,
      managerUnlocked,
      managerPinSet: this._pin.isSet(),
      cashiers: this._pin.cashiers(),
      cashier,
      lan: this.opts.lan === true,
      today: toLagos(this.now()).date,
      version: this.opts.version ?? '0.1.0',
    };
  }

  syncStatus(): SyncStatusView {
    if (this.sync) return runningSyncView(this.sync.status());
    // Not running (demo, or FIRS not configured): the same figures from the outbox, cached until the ledger changes.
    return stoppedSyncView(
      queueCounts(this._jobs),
      Math.floor(this.steady.now() / 1000),
      this.which === 'demo',
      !!this._ledger.getBusiness(),
    );
  }

  printerStatus(): StatusSnapshot['printer'] {
    return printerView(this.print, () => this._data.outbox.printQueued(), !!this._ledger.getBusiness());
  }

  status(): StatusSnapshot {
    return {
      sync: this.syncStatus(),
      printer: this.printerStatus(),
      capture: connectionRows(this.capture, this.registerLink),
      limitS: 86400,
      demo: this.which === 'demo',
      demoFeed: this.demoTimer !== undefined,
      at: this.now().getTime(),
    };
  }

  // ---------- sync actions ----------

  retryNow(): void {
    this._jobs.retryNow();
    this.sync?.wake();
  }

  requeue(irn: string): boolean {
    const ok = this._jobs.requeue(irn);
    this.sync?.wake();
    return ok;
  }

  // ---------- setup ----------

  /** Configures the real business (leaving the demo store if it was open). */
  async configure(business: unknown, keysText: string, managerPin: string): Promise<void> {
    // The PIN rule is checked before anything is written (a refused PIN leaves no half-set-up business).
    if (!MANAGER_PIN_PATTERN.test(managerPin)) throw new PinRule(MANAGER_PIN_RULE);
    if (this.which === 'demo') {
      await this.stopBackground();
      this.open('real');
    }
    this._ledger.configure(business, keysText);
    this._pin.set(managerPin);
    await this.restartBackground();
  }

  /** Opens (creating on first use) the demo store. Returns the demo's manager PIN. */
  async startDemo(pin: string | undefined, feed: boolean): Promise<string> {
    if (this._ledger.getBusiness() && this.which === 'real') {
      throw new DemoRefused('this terminal already has a real business; the demo store is only offered before setup');
    }
    await this.stopBackground();
    this.open('demo');
    if (!this._ledger.getBusiness()) {
      const { keysText, privatePem } = demoKeys();
      this._ledger.configure(DEMO_BUSINESS, keysText);
      this.secrets.set('demo.privateKey', privatePem);
    }
    const usePin = pin ?? DEMO_PIN;
    this._pin.set(usePin);
    if (!feed) this.opts.demoFeedMs = 0;
    if (this.started) this.startBackground();
    this.demoSale();
    return usePin;
  }

  /** One simulated demo sale, issued now. */
  demoSale(): InvoiceSummary {
    if (this.which !== 'demo') throw new DemoRefused('the demo feed runs only in the demo store');
    const r = this._ledger.issue(demoSale(this.now(), ++this.demoSeq));
    this.pushNewInvoices();
    return this._dayView.summary(r.invoice.counter)!;
  }
}

export class DemoRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoRefused';
  }
}
