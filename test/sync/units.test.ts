// Pure pieces of the sync: backoff with jitter and cap, the token bucket, the 24-hour clock.
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../main/net/retry';
import { TokenBucket } from '../../main/sync/token-bucket';
import { ALARM_AGE_S, clockLevel, WARNING_AGE_S } from '../../main/sync/report-clock';

describe('backoffDelay', () => {
  const policy = { baseMs: 1_000, capMs: 60_000, maxAttempts: 10 };
  it('doubles per failure with equal jitter (half to full), capped', () => {
    expect(backoffDelay(1, policy, () => 0)).toBe(500);
    expect(backoffDelay(1, policy, () => 1)).toBe(1_000);
    expect(backoffDelay(4, policy, () => 1)).toBe(8_000);
    expect(backoffDelay(4, policy, () => 0)).toBe(4_000);
    expect(backoffDelay(50, policy, () => 1)).toBe(60_000);
    expect(backoffDelay(50, policy, () => 0)).toBe(30_000);
  });
  it('never waits less than Retry-After (itself capped)', () => {
    expect(backoffDelay(1, policy, () => 0, 7_000)).toBe(7_000);
    expect(backoffDelay(1, policy, () => 0, 3_600_000)).toBe(60_000);
    expect(backoffDelay(6, policy, () => 1, 100)).toBe(32_000);
  });
});

describe('TokenBucket', () => {
  it('allows a burst, then refills at the rate', async () => {
    let now = 0;
    const b = new TokenBucket(2, 3, () => now);
    for (let i = 0; i < 3; i++) expect(await b.take()).toBe(true);
    let got = false;
    const p = b.take().then((v) => (got = v));
    await new Promise((r) => setTimeout(r, 30));
    expect(got).toBe(false); // empty: waits for a refill
    now += 500; // half a second at 2/s: one token
    expect(await p).toBe(true);
  });
  it('a drain (Retry-After) makes callers wait, and a stopping caller is released', async () => {
    let now = 0;
    const b = new TokenBucket(10, 10, () => now);
    b.drain(60_000);
    let stopping = false;
    const p = b.take(() => !stopping);
    stopping = true;
    expect(await p).toBe(false);
    now += 60_000;
    expect(await b.take()).toBe(true);
  });
  it('refuses a nonsensical configuration', () => {
    expect(() => new TokenBucket(0, 1)).toThrow(/ratePerSec/);
  });
});

describe('the 24-hour clock levels', () => {
  it('ok below 12 h, warning from 12 h, alarm from 20 h', () => {
    expect(clockLevel(null)).toBe('ok');
    expect(clockLevel(WARNING_AGE_S - 1)).toBe('ok');
    expect(clockLevel(WARNING_AGE_S)).toBe('warning');
    expect(clockLevel(ALARM_AGE_S - 1)).toBe('warning');
    expect(clockLevel(ALARM_AGE_S)).toBe('alarm');
    expect(clockLevel(30 * 3600)).toBe('alarm');
  });
});
