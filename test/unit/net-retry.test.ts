// The one retry/backoff module: attempt counting, jitter and cap, Retry-After in all its RFC 9110
// forms, and withRetry's give-up rules. A fake clock records the waits instead of sleeping.
import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  parseHttpDate,
  parseRetryAfter,
  REPORT_BACKOFF,
  VENDOR_REQUEST_BACKOFF,
  withRetry,
  type RetryClock,
} from '../../main/net/retry';

function fakeClock(random = 0.5): RetryClock & { waits: number[] } {
  const waits: number[] = [];
  return { waits, now: () => 0, random: () => random, sleep: (ms) => (waits.push(ms), Promise.resolve()) };
}

class Flaky extends Error {
  constructor(
    readonly transient: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(transient ? 'blip' : 'needs a person');
  }
}
const flaky = { isTransient: (e: unknown): e is Flaky => e instanceof Flaky && e.transient, retryAfterMs: (e: Flaky) => e.retryAfterMs };

describe('backoffDelay', () => {
  const policy = { baseMs: 1_000, capMs: 60_000 };
  it('counts failures from 1: the first failure waits the base (½…1× with jitter)', () => {
    expect(backoffDelay(1, policy, () => 0)).toBe(500);
    expect(backoffDelay(1, policy, () => 1)).toBe(1_000);
    expect(backoffDelay(2, policy, () => 1)).toBe(2_000);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(3_000);
  });
  it('a zero or negative count is treated as the first failure, a huge one is capped', () => {
    expect(backoffDelay(0, policy, () => 1)).toBe(1_000);
    expect(backoffDelay(-3, policy, () => 1)).toBe(1_000);
    expect(backoffDelay(10_000, policy, () => 1)).toBe(60_000);
    expect(backoffDelay(10_000, policy, () => 0)).toBe(30_000);
  });
  it('Retry-After is a floor, capped at the policy ceiling', () => {
    expect(backoffDelay(1, policy, () => 1, 0)).toBe(1_000);
    expect(backoffDelay(1, policy, () => 0, 45_000)).toBe(45_000);
    expect(backoffDelay(1, policy, () => 0, 86_400_000)).toBe(60_000);
  });
  it('the named policies are the documented ones', () => {
    expect(VENDOR_REQUEST_BACKOFF).toEqual({ baseMs: 1_000, capMs: 900_000, maxAttempts: 5 });
    expect(REPORT_BACKOFF).toEqual({ baseMs: 5_000, capMs: 1_800_000, maxAttempts: 20 });
  });
});

describe('parseRetryAfter (RFC 9110 §10.2.3)', () => {
  const now = Date.parse('1994-11-06T08:49:00Z');
  it('delay-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('2.5', now)).toBe(2_500); // decimal: lenient, some vendors send "2.0"
  });
  it('the three HTTP-date forms, all UTC', () => {
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', now)).toBe(37_000); // IMF-fixdate
    expect(parseRetryAfter('Sunday, 06-Nov-94 08:49:37 GMT', now)).toBe(37_000); // obsolete RFC 850
    expect(parseRetryAfter('Sun Nov  6 08:49:37 1994', now)).toBe(37_000); // obsolete asctime
    expect(parseRetryAfter(new Date(now + 30_000).toUTCString(), now)).toBe(30_000);
  });
  it('a date in the past means now', () => {
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:00:00 GMT', now)).toBe(0);
  });
  it('anything else is unreadable, not a guess', () => {
    for (const v of [
      undefined,
      '',
      'soon',
      '-5',
      '1e3',
      '5 minutes',
      '2024-01-01',
      'Sun, 31 Feb 1994 08:49:37 GMT',
      'Sun, 06 Nov 1994 25:00:00 GMT',
    ])
      expect(parseRetryAfter(v, now), String(v)).toBeUndefined();
  });
  it('parseHttpDate reads a two-digit RFC 850 year into the right century', () => {
    expect(parseHttpDate('Friday, 01-Jan-99 00:00:00 GMT')).toBe(Date.UTC(1999, 0, 1));
    expect(parseHttpDate('Friday, 01-Jan-1999 00:00:00 GMT')).toBeUndefined();
  });
});

describe('withRetry', () => {
  const policy = { baseMs: 1_000, capMs: 60_000, maxAttempts: 4 };
  it('retries transient failures with growing waits, and returns the first success', async () => {
    const clock = fakeClock(0.5);
    let calls = 0;
    const seen: number[] = [];
    const r = await withRetry(
      async () => {
        if (++calls < 4) throw new Flaky(true);
        return 'ok';
      },
      { ...flaky, policy, clock, onWait: (ms) => seen.push(ms) },
    );
    expect(r).toBe('ok');
    expect(calls).toBe(4);
    expect(clock.waits).toEqual([750, 1_500, 3_000]);
    expect(seen).toEqual(clock.waits);
  });
  it('gives up after maxAttempts attempts in all, with the last error', async () => {
    const clock = fakeClock();
    let calls = 0;
    const run = withRetry(
      () => {
        calls++;
        return Promise.reject(new Flaky(true));
      },
      { ...flaky, policy, clock },
    );
    await expect(run).rejects.toThrow('blip');
    expect(calls).toBe(4);
    expect(clock.waits).toHaveLength(3);
  });
  it('hands a non-transient failure up at once', async () => {
    const clock = fakeClock();
    let calls = 0;
    const run = withRetry(
      () => {
        calls++;
        return Promise.reject(new Flaky(false));
      },
      { ...flaky, policy, clock },
    );
    await expect(run).rejects.toThrow('needs a person');
    expect(calls).toBe(1);
    expect(clock.waits).toEqual([]);
  });
  it("waits at least the server's Retry-After", async () => {
    const clock = fakeClock(0);
    let calls = 0;
    await withRetry(
      async () => {
        if (++calls === 1) throw new Flaky(true, 7_000);
        return calls;
      },
      { ...flaky, policy, clock },
    );
    expect(clock.waits).toEqual([7_000]);
  });
});
