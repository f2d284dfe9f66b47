// What every source's connector provides to the poller, the webhook receiver, the CLI and the
// service: how its raw items are keyed and mapped (and paged, when it is polled), a precise
// connection test, and optionally a fetch of one full order (webhooks that carry only ids) or a
// long-lived link (a serial register, a streaming API) started and stopped with the service.
import type { SecretStore } from '../app/secret-store';
import type { CaptureVendor } from '../../shared/capture/outcome';
import { ConnectorError, type ConnectorProblem } from './errors';
import type { HttpClient } from './http';
import type { Ledger } from '../ledger/ledger';
import type { IngestSummary, ItemSource, PollResult, PollSource } from './polling/poller';
import type { BackoffPolicy, RetryClock } from '../net/retry';

export interface ConnectorDeps {
  http: HttpClient;
  secrets: SecretStore;
  clock: RetryClock;
  backoff: BackoffPolicy;
  /** Told about every wait (rate limit / outage backoff), for status and logs. */
  onWait?: (ms: number, error: ConnectorError) => void;
  /** The ledger, for sources that record their items themselves (CRM deals keep a deal memory). */
  ledger?: Ledger;
}

export type TestResult =
  | { ok: true; vendor: CaptureVendor; summary: string; details: Record<string, unknown> }
  | { ok: false; vendor: CaptureVendor; problem: ConnectorProblem | 'unknown_stage' | 'unknown_field'; message: string };

/** What a long-lived link is given when the capture service starts it. */
export interface SourceLink {
  /** Raw items the link received: keyed, mapped and issued like a poll page; `eventId` makes a redelivery a no-op. */
  ingest(items: unknown[], eventId?: string): Promise<IngestSummary>;
  /** The link's health for the status screen: a message while it is broken, undefined once it works again. */
  problem(message: string | undefined): void;
}

/** Any source's connector: POS vendor, CRM, register link. */
export interface SourceConnector {
  readonly vendor: CaptureVendor;
  /** Keys and maps this source's raw items; with `pages` (a PollSource) the service polls it. */
  readonly source: ItemSource | PollSource;
  testConnection(): Promise<TestResult>;
  /** The full order/sale by id (for webhooks that carry only an id). */
  fetchOrder?(id: string): Promise<unknown>;
  /** A long-lived link (serial port, stream): started with the service; resolves once listening. */
  start?(link: SourceLink): Promise<void>;
  /** Stops the link; the service awaits it on stop(). */
  stop?(): Promise<void>;
  /**
   * A source that keeps its own memory and watermark per item (CRM deals: one invoice per deal,
   * credit-note questions, write-back): the service polls through this instead of the shared
   * Poller, on the same schedule and backoff.
   */
  poll?(): Promise<PollResult>;
}

/** A polled POS connector (Square, Toast, Lightspeed X/R): a poll source and an order fetch. */
export interface Connector extends SourceConnector {
  readonly source: PollSource;
  fetchOrder(id: string): Promise<unknown>;
}

export const isPollSource = (s: ItemSource | PollSource): s is PollSource => typeof (s as Partial<PollSource>).pages === 'function';

/** Runs a test, turning a ConnectorError into the precise failure the user sees. */
export async function runTest(
  vendor: CaptureVendor,
  fn: () => Promise<{ summary: string; details: Record<string, unknown> }>,
): Promise<TestResult> {
  try {
    return { ok: true, vendor, ...(await fn()) };
  } catch (e) {
    if (e instanceof ConnectorError) return { ok: false, vendor, problem: e.problem, message: e.message };
    throw e;
  }
}

export function requireSecret(secrets: SecretStore, name: string, what: string): string {
  const v = secrets.get(name);
  if (!v) throw new ConnectorError('not_configured', `${what} is not stored: run \`taxpoynt-pos connect\` for this vendor`);
  return v;
}
