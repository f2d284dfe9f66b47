// How hard the sync may push the platform: the token bucket's rate and burst, and how many reports
// are in flight at once. A setting (app.sync in the ledger; flags on `taxpoynt-pos sync`), not code.
//
// The FIRS/NRS MBS reference (firs-mbs.md) publishes no rate limit, so the bounds are ours: at
// most 10,000 requests/s (in effect: no limit of ours, for a local access point or a test) and
// 128 in flight, which a store's 10k sales a day never need but an access point provider's own
// gateway may allow. The platform's own answer wins at run time: a 429
// or 503 with Retry-After empties the bucket for that long (sync-service.ts, token-bucket.ts).
//
// Defaults: 10 reports/s, a burst of 20, 8 in flight. A busy store issues ~10,000 sales a day
// (0.12/s on average, a few per second at peak), so 10/s clears a day's backlog after an outage
// in ~17 minutes and 864,000 reports a day at most — without looking like a flood to a platform
// whose limits are unpublished. 8 in flight keeps 10/s even at 800 ms a round trip. A store on a
// fast access point, or draining a long outage, raises them (the bench runs 1,000/s, 64 in flight).
import { z } from 'zod';

export const SYNC_TUNING_BOUNDS = {
  ratePerSec: { min: 0.1, max: 10_000 },
  burst: { min: 1, max: 1_000 },
  concurrency: { min: 1, max: 128 },
} as const;

export const SyncTuningSchema = z
  .object({
    ratePerSec: z.number().min(SYNC_TUNING_BOUNDS.ratePerSec.min).max(SYNC_TUNING_BOUNDS.ratePerSec.max),
    burst: z.number().int().min(SYNC_TUNING_BOUNDS.burst.min).max(SYNC_TUNING_BOUNDS.burst.max),
    concurrency: z.number().int().min(SYNC_TUNING_BOUNDS.concurrency.min).max(SYNC_TUNING_BOUNDS.concurrency.max),
  })
  .strict();
export type SyncTuning = z.output<typeof SyncTuningSchema>;

export const DEFAULT_SYNC_TUNING: SyncTuning = { ratePerSec: 10, burst: 20, concurrency: 8 };

/** Checks tuning given in code (tests, the CLI): a clear error naming the value out of bounds. */
export function syncTuning(partial: Partial<SyncTuning>): SyncTuning {
  const parsed = SyncTuningSchema.safeParse({ ...DEFAULT_SYNC_TUNING, ...partial });
  if (!parsed.success)
    throw new RangeError(`sync tuning: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
