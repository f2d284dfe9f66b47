// Rate limits and outages: honour Retry-After (seconds or an HTTP date), otherwise exponential
// backoff with jitter. Clock, sleep and randomness are injected so tests run "hours" instantly.
import { ConnectorError } from '../errors';

export interface RetryClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
}

export const realClock: RetryClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

export interface BackoffSettings {
  /** First delay; doubles per attempt. */
  baseMs: number;
  /** Ceiling for one delay (also caps a vendor's Retry-After). */
  maxMs: number;
  /** Attempts per request before the error is handed up (the poll then fails and is rescheduled). */
  maxAttempts: number;
}

export const DEFAULT_BACKOFF: BackoffSettings = { baseMs: 1_000, maxMs: 15 * 60_000, maxAttempts: 5 };

/** Retry-After header → milliseconds from now, or undefined when absent/unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** "Equal jitter": half the exponential delay fixed, half random, so retries spread but still grow. */
export function backoffDelay(attempt: number, s: Pick<BackoffSettings, 'baseMs' | 'maxMs'>, random: () => number): number {
  const exp = Math.min(s.maxMs, s.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(exp / 2 + (exp / 2) * random());
}

/** Runs fn, retrying transient ConnectorErrors; the wait before each retry is reported. */
export async function withRetry<T>(
  fn: () => Promise<T>,
  settings: BackoffSettings,
  clock: RetryClock,
  onWait?: (ms: number, error: ConnectorError) => void,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof ConnectorError) || !e.transient || attempt + 1 >= settings.maxAttempts) throw e;
      const wait =
        e.details.retryAfterMs !== undefined
          ? Math.min(e.details.retryAfterMs, settings.maxMs)
          : backoffDelay(attempt, settings, clock.random);
      onWait?.(wait, e);
      await clock.sleep(wait);
    }
  }
}
