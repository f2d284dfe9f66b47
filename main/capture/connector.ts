// What every vendor connector provides to the poller, the webhook receiver, the CLI and the
// service: its poll source, a precise connection test, and (where webhooks carry only ids) a
// fetch of one full order.
import type { SecretStore } from '../app/secret-store';
import type { CaptureVendor, MapOptionsInput, MapOutcome } from '../../shared/capture/outcome';
import { MAPPERS } from '../../shared/capture/index';
import { ConnectorError, type ConnectorProblem } from './errors';
import type { HttpClient } from './http';
import type { PollSource } from './polling/poller';
import type { BackoffSettings, RetryClock } from './polling/retry';

export interface ConnectorDeps {
  http: HttpClient;
  secrets: SecretStore;
  clock: RetryClock;
  backoff: BackoffSettings;
  /** Told about every wait (rate limit / outage backoff), for status and logs. */
  onWait?: (ms: number, error: ConnectorError) => void;
}

export type TestResult =
  | { ok: true; vendor: CaptureVendor; summary: string; details: Record<string, unknown> }
  | { ok: false; vendor: CaptureVendor; problem: ConnectorProblem; message: string };

export interface Connector {
  readonly vendor: CaptureVendor;
  readonly source: PollSource;
  testConnection(): Promise<TestResult>;
  /** The full order/sale by id (for webhooks that carry only an id). */
  fetchOrder(id: string): Promise<unknown>;
}

/** Runs a test, turning a ConnectorError into the precise failure the user sees. */
export async function runTest(vendor: CaptureVendor, fn: () => Promise<{ summary: string; details: Record<string, unknown> }>): Promise<TestResult> {
  try {
    return { ok: true, vendor, ...(await fn()) };
  } catch (e) {
    if (e instanceof ConnectorError) return { ok: false, vendor, problem: e.problem, message: e.message };
    throw e;
  }
}

/** The vendor's mapper from CAPTURE-MAP's registry (clear error while one is not there yet). */
export function mapperFor(vendor: CaptureVendor): (payload: unknown, options?: MapOptionsInput) => MapOutcome[] {
  const mapper = MAPPERS[vendor];
  if (!mapper) throw new Error(`no mapper for ${vendor} is installed in this build (shared/capture/${vendor})`);
  return mapper;
}

export function requireSecret(secrets: SecretStore, name: string, what: string): string {
  const v = secrets.get(name);
  if (!v) throw new ConnectorError('not_configured', `${what} is not stored: run \`taxpoynt-pos connect\` for this vendor`);
  return v;
}
