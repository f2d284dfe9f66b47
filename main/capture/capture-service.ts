// Runs the configured connectors of the source registry: a poll loop per polled connector
// (interval when healthy, exponential backoff with jitter while the vendor is down, a slow retry
// while a person must fix credentials), the long-lived links of sources that have one, and, when
// enabled, the local webhook receiver with a route per source that has webhooks. status() per connector; 'change' events on every
// state change. stop() waits for in-flight polls so no page is cut mid-transaction.
import type { DiskState } from '../ledger/disk-space';
import { EventEmitter } from 'node:events';
import type { SecretStore } from '../app/secret-store';
import type { Db } from '../ledger/database';
import type { Ledger } from '../ledger/ledger';
import { ReviewQueue } from '../ledger/review-queue';
import type { CaptureVendor } from '../../shared/capture/outcome';
import { ConnectorSettings, type WebhookConfig } from './config';
import { isPollSource, type ConnectorDeps, type SourceConnector, type TestResult } from './connector';
import { BUILT_IN_SOURCES, type SourceRegistry } from '../sources/registry';
import type { BaseConnectorConfig, SourceDescriptor } from '../sources/source';
import { ConnectorError, type ConnectorProblem } from './errors';
import { HttpClient } from './http';
import { Poller, type PollResult } from './polling/poller';
import { backoffDelay, VENDOR_REQUEST_BACKOFF, realClock, type BackoffPolicy, type RetryClock } from '../net/retry';
import { CaptureState } from './polling/state';
import { ingestOutcomes } from './sink';
import { WebhookReceiver, type WebhookLog, type WebhookRoute } from './webhooks/receiver';

export type ConnectorState = 'idle' | 'polling' | 'backoff' | 'needs_attention' | 'stopped';

export interface ConnectorStatus {
  vendor: CaptureVendor;
  state: ConnectorState;
  lastPollAt: number | null;
  lastSuccessAt: number | null;
  lastError?: string;
  problem?: ConnectorProblem | 'internal';
  consecutiveFailures: number;
  nextPollAt: number | null;
  watermark: string | null;
  lastResult?: PollResult;
}

export interface CaptureStatus {
  connectors: ConnectorStatus[];
  webhooks: { enabled: boolean; listening: { host: string; port: number } | null; error?: string; lastEvent?: WebhookLog };
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface CaptureServiceOptions {
  db: Db;
  ledger: Ledger;
  secrets: SecretStore;
  reviewQueue?: ReviewQueue;
  http?: HttpClient;
  clock?: RetryClock;
  /** Per-request retries (rate limits, blips). */
  requestBackoff?: BackoffPolicy;
  /** Between failed polls while a vendor is down: first delay and ceiling. */
  outageBackoff?: { baseMs: number; capMs: number };
  /** Retry interval while a person must fix something (bad credentials, scope). */
  attentionRetryMs?: number;
  timers?: Timers;
  /** Overrides the stored settings (tests, or the composition root). */
  configs?: BaseConnectorConfig[];
  /** The sources it can run (default: the built-in registry). */
  sources?: SourceRegistry;
  webhooks?: WebhookConfig;
  /** The app's disk state: webhooks are answered 503 (redeliver) while the disk is full. */
  disk?: DiskState;
}

interface Running {
  config: BaseConnectorConfig;
  descriptor: SourceDescriptor;
  connector: SourceConnector;
  poller: Poller;
  status: ConnectorStatus;
  timer?: unknown;
  inFlight?: Promise<unknown>;
}

export class CaptureService extends EventEmitter {
  private readonly running = new Map<CaptureVendor, Running>();
  private readonly state: CaptureState;
  private readonly deps: ConnectorDeps;
  private readonly timers: Timers;
  private receiver: WebhookReceiver | undefined;
  private webhookStatus: CaptureStatus['webhooks'] = { enabled: false, listening: null };
  private started = false;
  private invalid: { vendor: string; error: string }[] = [];
  private readonly sources: SourceRegistry;

  constructor(private readonly o: CaptureServiceOptions) {
    super();
    this.sources = o.sources ?? BUILT_IN_SOURCES;
    const clock = o.clock ?? realClock;
    this.state = new CaptureState(o.db, clock.now);
    this.timers = o.timers ?? realTimers;
    this.deps = { http: o.http ?? new HttpClient(), secrets: o.secrets, clock, backoff: o.requestBackoff ?? VENDOR_REQUEST_BACKOFF };
  }

  private get clock(): RetryClock {
    return this.deps.clock;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const settings = new ConnectorSettings(this.o.db, this.clock.now, this.sources.infos());
    const checked: { configs: BaseConnectorConfig[]; invalid: { vendor: string; error: string }[] } = this.o.configs
      ? { configs: this.o.configs, invalid: [] }
      : settings.listChecked();
    const configs = checked.configs.filter((c) => c.enabled);
    this.invalid = [...checked.invalid];
    const review = this.o.reviewQueue ?? new ReviewQueue(this.o.db, this.clock.now);
    const ingest = (outcomes: Parameters<typeof ingestOutcomes>[2]) => ingestOutcomes(this.o.ledger, review, outcomes);
    const links: Running[] = [];
    for (const config of configs) {
      const descriptor = this.sources.get(config.vendor);
      if (!descriptor?.connector) {
        this.invalid.push({
          vendor: config.vendor,
          error: `${config.vendor} is not a source this build can run (known: ${this.sources
            .connectable()
            .map((d) => d.info.id)
            .join(', ')})`,
        });
        continue;
      }
      const connector = descriptor.connector(config, {
        ...this.deps,
        ledger: this.o.ledger,
        onWait: (ms, e) => this.noteWait(config.vendor, ms, e),
      });
      const r: Running = {
        config,
        descriptor,
        connector,
        poller: new Poller(this.o.db, this.state, connector.source, ingest),
        status: {
          vendor: config.vendor,
          state: 'idle',
          lastPollAt: null,
          lastSuccessAt: null,
          consecutiveFailures: 0,
          nextPollAt: null,
          watermark: this.state.watermark(config.vendor) ?? null,
        },
      };
      this.running.set(config.vendor, r);
      if (connector.poll || isPollSource(connector.source)) this.schedule(r, 0);
      if (connector.start) links.push(r);
    }
    for (const r of links) await this.startLink(r);
    const wh = this.o.webhooks ?? settings.webhooks();
    this.webhookStatus = { enabled: wh.enabled, listening: null };
    if (wh.enabled) {
      const routes = new Map<string, WebhookRoute>();
      for (const r of this.running.values()) {
        const handler = r.descriptor.webhook?.(r.config, { ...this.deps, ledger: this.o.ledger }, r.connector);
        if (handler) routes.set(r.config.vendor, { handler, poller: r.poller });
      }
      this.receiver = new WebhookReceiver(
        wh,
        routes,
        this.state,
        (entry) => {
          this.webhookStatus = { ...this.webhookStatus, lastEvent: entry };
          this.emit('change', this.status());
        },
        this.o.disk,
      );
      try {
        this.webhookStatus.listening = await this.receiver.start();
      } catch (e) {
        this.webhookStatus.error = (e as Error).message;
        this.receiver = undefined;
      }
    }
    this.emit('change', this.status());
  }

  async stop(): Promise<void> {
    this.started = false;
    for (const r of this.running.values()) {
      if (r.timer !== undefined) this.timers.clear(r.timer);
      r.timer = undefined;
    }
    await Promise.allSettled([...this.running.values()].map((r) => r.inFlight));
    await Promise.allSettled([...this.running.values()].map((r) => r.connector.stop?.()));
    for (const r of this.running.values()) r.status = { ...r.status, state: 'stopped', nextPollAt: null };
    await this.receiver?.stop();
    this.receiver = undefined;
    this.webhookStatus = { ...this.webhookStatus, listening: null };
    this.emit('change', this.status());
  }

  status(): CaptureStatus {
    const broken: ConnectorStatus[] = this.invalid.map((i) => ({
      vendor: i.vendor as CaptureVendor,
      state: 'needs_attention',
      lastPollAt: null,
      lastSuccessAt: null,
      lastError: i.error,
      problem: 'not_configured',
      consecutiveFailures: 0,
      nextPollAt: null,
      watermark: null,
    }));
    return { connectors: [...[...this.running.values()].map((r) => ({ ...r.status })), ...broken], webhooks: { ...this.webhookStatus } };
  }

  /** Polls one connector now (a "sync now" button, or a scripted `poll --once`). */
  async pollNow(vendor: CaptureVendor): Promise<PollResult> {
    const r = this.running.get(vendor);
    if (!r) throw new Error(`${vendor} is not a configured, enabled connector`);
    if (r.timer !== undefined) this.timers.clear(r.timer);
    r.timer = undefined;
    return this.poll(r, true) as Promise<PollResult>;
  }

  /** The settings screen's "test connection" for a running connector. */
  async testConnection(vendor: CaptureVendor): Promise<TestResult> {
    const c = this.running.get(vendor)?.connector;
    if (!c) return { ok: false, vendor, problem: 'not_configured', message: `${vendor} is not a configured, enabled connector` };
    return c.testConnection();
  }

  connector(vendor: CaptureVendor): SourceConnector | undefined {
    return this.running.get(vendor)?.connector;
  }

  /** Starts a long-lived link: what it delivers is ingested like a poll page; its problems show in the status. */
  private async startLink(r: Running): Promise<void> {
    const ingest = async (items: unknown[], eventId?: string) => {
      const s = await r.poller.ingestEvent(items, eventId ? { vendor: r.config.vendor, eventId } : undefined);
      this.update(r, { lastSuccessAt: this.clock.now() });
      return s;
    };
    const problem = (message: string | undefined) =>
      this.update(
        r,
        message
          ? { state: 'needs_attention', lastError: message, problem: 'unreachable' }
          : { state: 'idle', lastError: undefined, problem: undefined },
      );
    try {
      await r.connector.start!({ ingest, problem });
    } catch (e) {
      const ce = e instanceof ConnectorError ? e : undefined;
      this.update(r, { state: 'needs_attention', lastError: (e as Error).message, problem: ce?.problem ?? 'internal' });
    }
  }

  private schedule(r: Running, ms: number): void {
    if (!this.started) return;
    r.status = { ...r.status, nextPollAt: this.clock.now() + ms };
    r.timer = this.timers.set(() => {
      r.timer = undefined;
      void this.poll(r, false).catch(() => undefined);
    }, ms);
  }

  private async poll(r: Running, rethrow: boolean): Promise<PollResult | undefined> {
    const run = (async () => {
      this.update(r, { state: 'polling', lastPollAt: this.clock.now(), nextPollAt: null });
      try {
        const result = r.connector.poll ? await r.connector.poll() : await r.poller.runOnce();
        this.update(r, {
          state: 'idle',
          lastSuccessAt: this.clock.now(),
          consecutiveFailures: 0,
          lastError: undefined,
          problem: undefined,
          lastResult: result,
          watermark: result.watermark ?? null,
        });
        this.schedule(r, r.config.pollIntervalS * 1000);
        return result;
      } catch (e) {
        const failures = r.status.consecutiveFailures + 1;
        const ce = e instanceof ConnectorError ? e : undefined;
        const transient = ce?.transient ?? false;
        const outage = this.o.outageBackoff ?? { baseMs: 30_000, capMs: 15 * 60_000 };
        const delay = transient ? backoffDelay(failures, outage, () => this.clock.random()) : (this.o.attentionRetryMs ?? 15 * 60_000);
        this.update(r, {
          state: transient ? 'backoff' : 'needs_attention',
          consecutiveFailures: failures,
          lastError: (e as Error).message,
          problem: ce?.problem ?? 'internal',
          ...(r.connector.poll ? {} : { watermark: this.state.watermark(r.config.vendor) ?? null }),
        });
        this.schedule(r, delay);
        if (rethrow) throw e;
        return undefined;
      }
    })();
    r.inFlight = run.catch(() => undefined);
    return run;
  }

  private noteWait(vendor: CaptureVendor, ms: number, e: ConnectorError): void {
    const r = this.running.get(vendor);
    if (r) this.update(r, { lastError: `${e.message}; retrying in ${Math.round(ms / 1000)} s` });
  }

  private update(r: Running, patch: Partial<ConnectorStatus>): void {
    r.status = { ...r.status, ...patch };
    for (const k of Object.keys(patch) as (keyof ConnectorStatus)[]) if (patch[k] === undefined) delete r.status[k];
    this.emit('change', this.status());
  }
}
