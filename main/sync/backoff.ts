// Exponential backoff with jitter and a cap: spreads retries from many jobs (and many shops)
// so a platform coming back is not hit by everyone at the same instant.
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
  /** After this many failed attempts a job becomes a dead letter. */
  maxAttempts: number;
}

// 5 s doubling to a 30 min cap; 20 failed attempts take about 6.5 h, well inside the 24 h window,
// and only count while the platform is reachable (offline, nothing is attempted).
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5_000, capMs: 30 * 60_000, maxAttempts: 20 };

/** Delay before attempt n+1 after n failures: base·2^(n-1) capped, then "equal jitter" (½…1×). */
export function backoffDelay(failures: number, policy: BackoffPolicy, random: () => number = Math.random, retryAfterMs?: number): number {
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, Math.min(30, failures - 1)));
  const jittered = Math.round(exp / 2 + (exp / 2) * random());
  // The platform's Retry-After is a floor, never shortened by jitter (but still capped).
  return retryAfterMs !== undefined ? Math.max(jittered, Math.min(retryAfterMs, policy.capMs)) : jittered;
}
