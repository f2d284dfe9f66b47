// The one retry/backoff module for everything that talks to a server (POS and CRM polling, the
// FIRS report sync, the cloud upload): exponential backoff with "equal jitter" and a cap, so
// retries from many jobs (and many shops) spread out, and the server's Retry-After honoured.
//
// One convention for counting: `failures` is how many attempts have failed so far (1 after the
// first failure); the delay before the next attempt is base·2^(failures-1), capped.
// Clock, sleep and randomness are injected so tests run "hours" instantly.

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

export interface BackoffPolicy {
  /** Delay after the first failure (before jitter); doubles per further failure. */
  baseMs: number;
  /** Ceiling for one delay; also caps a server's Retry-After. */
  capMs: number;
  /** Attempts before giving up: per request for withRetry, per job for the report queue. */
  maxAttempts: number;
}

/**
 * One request to a POS or CRM vendor: 1 s doubling to a 15 min cap, 5 attempts; after that the
 * error is handed up (the poll fails and the capture service reschedules it).
 */
export const VENDOR_REQUEST_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 15 * 60_000, maxAttempts: 5 };

/**
 * One FIRS report job: 5 s doubling to a 30 min cap; 20 failed attempts take about 6.5 h, well
 * inside the 24 h window, and only count while the platform is reachable (offline, nothing is
 * attempted). Then the job becomes a dead letter.
 */
export const REPORT_BACKOFF: BackoffPolicy = { baseMs: 5_000, capMs: 30 * 60_000, maxAttempts: 20 };

/** The largest exponent used: 2^30·base already exceeds any sensible cap. */
const MAX_DOUBLINGS = 30;

/**
 * Delay before the next attempt after `failures` failed ones: base·2^(failures-1) capped, then
 * "equal jitter" (half fixed, half random: ½…1×) so retries spread but still grow. A server's
 * Retry-After is a floor, never shortened by jitter (but still capped).
 */
export function backoffDelay(
  failures: number,
  policy: Pick<BackoffPolicy, 'baseMs' | 'capMs'>,
  random: () => number = Math.random,
  retryAfterMs?: number,
): number {
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, Math.min(MAX_DOUBLINGS, failures - 1)));
  const jittered = Math.round(exp / 2 + (exp / 2) * random());
  return retryAfterMs !== undefined ? Math.max(jittered, Math.min(retryAfterMs, policy.capMs)) : jittered;
}

const DELAY_SECONDS = /^\d+(?:\.\d+)?$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
// RFC 9110 §5.6.7 HTTP-date: IMF-fixdate, and the obsolete RFC 850 and asctime forms a recipient
// must still accept. All three are UTC.
const IMF_FIXDATE = /^[A-Za-z]{3}, (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC850_DATE = /^[A-Za-z]{6,9}, (\d{2})-([A-Za-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME_DATE = /^[A-Za-z]{3} ([A-Za-z]{3}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

/** An HTTP-date (any of the three RFC 9110 forms) → epoch ms, or undefined when it is not one. */
export function parseHttpDate(value: string): number | undefined {
  let m: RegExpExecArray | null;
  if ((m = IMF_FIXDATE.exec(value))) return utc(m[3]!, m[2]!, m[1]!, m[4]!, m[5]!, m[6]!);
  if ((m = RFC850_DATE.exec(value))) {
    // RFC 9110: a two-digit year that looks more than 50 years ahead is in the past century.
    const yy = Number(m[3]);
    const year = 2000 + yy > new Date().getUTCFullYear() + 50 ? 1900 + yy : 2000 + yy;
    return utc(String(year), m[2]!, m[1]!, m[4]!, m[5]!, m[6]!);
  }
  if ((m = ASCTIME_DATE.exec(value))) return utc(m[6]!, m[1]!, m[2]!, m[3]!, m[4]!, m[5]!);
  return undefined;
}

function utc(year: string, mon: string, day: string, hh: string, mm: string, ss: string): number | undefined {
  const month = MONTHS.indexOf(mon.toLowerCase());
  const d = Number(day.trim());
  if (month < 0 || Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 60) return undefined;
  const at = Date.UTC(Number(year), month, d, Number(hh), Number(mm), Number(ss));
  // Date.UTC rolls 31 Feb into March: such a date is not a date.
  return new Date(at).getUTCDate() === d ? at : undefined;
}

/**
 * Retry-After (RFC 9110 §10.2.3) → milliseconds from `now`, or undefined when absent or
 * unreadable. delay-seconds is an integer by the RFC; a decimal ("2.0", which Shopify-style APIs
 * send) is accepted too rather than ignored. A date in the past means "now" (0).
 */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (DELAY_SECONDS.test(v)) return Math.round(Number(v) * 1000);
  const at = parseHttpDate(v);
  return at === undefined ? undefined : Math.max(0, at - now);
}

export interface RetryOptions<E> {
  policy: BackoffPolicy;
  clock: RetryClock;
  /** Is this failure worth another attempt without a person changing anything? */
  isTransient: (e: unknown) => e is E;
  /** The server's Retry-After carried by the failure, in ms. */
  retryAfterMs?: (e: E) => number | undefined;
  /** Told about each wait before it starts (status lines, tests). */
  onWait?: (ms: number, error: E) => void;
}

/** Runs fn, retrying transient failures up to policy.maxAttempts attempts in all. */
export async function withRetry<T, E>(fn: () => Promise<T>, o: RetryOptions<E>): Promise<T> {
  for (let failures = 1; ; failures++) {
    try {
      return await fn();
    } catch (e) {
      if (!o.isTransient(e) || failures >= o.policy.maxAttempts) throw e;
      const wait = backoffDelay(failures, o.policy, () => o.clock.random(), o.retryAfterMs?.(e));
      o.onWait?.(wait, e);
      await o.clock.sleep(wait);
    }
  }
}
