// A token bucket: at most `burst` requests at once, refilled at `ratePerSec`, so draining a
// backlog of days stays within the platform's rate limits.
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSec: number,
    private readonly burst: number,
    // Monotonic: with the wall clock set back a day, the bucket would wait a day for a token.
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(ratePerSec > 0) || !(burst >= 1)) throw new Error('token bucket: ratePerSec must be > 0 and burst >= 1');
    this.tokens = burst;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.ratePerSec);
    this.last = t;
  }

  /**
   * Takes one token, waiting for it when the bucket is empty. The wait is sliced so that a
   * caller shutting down is not held for a whole Retry-After: false when `go()` turned false.
   */
  async take(go: () => boolean = () => true): Promise<boolean> {
    for (;;) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return true;
      }
      if (!go()) return false;
      const waitMs = Math.ceil(((1 - this.tokens) / this.ratePerSec) * 1000);
      await new Promise((r) => setTimeout(r, Math.min(waitMs, 200)));
    }
  }

  /** Takes one token if one is there now (never waits). */
  tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Returns a token taken for work that turned out not to exist. */
  giveBack(): void {
    this.tokens = Math.min(this.burst, this.tokens + 1);
  }

  /** Empties the bucket for `ms` (a 429 told us to slow down). */
  drain(ms: number): void {
    this.refill();
    this.tokens = Math.min(this.tokens, 1 - (ms / 1000) * this.ratePerSec); // the next token after ms
  }
}
