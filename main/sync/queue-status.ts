// The report queue as the UI and the CLI see it: depth, the 24-hour clock, problems. Read from
// the ledger alone, so it is right whichever process (app, CLI) did the sending.
import type { QueueCounts, ReportJobs } from '../ledger/report-jobs';
import { changeVersion } from '../ledger/change-version';
import { clockLevel, type ClockLevel } from './report-clock';

export interface QueueStatus {
  queueDepth: number;
  oldestUnreportedAgeS: number | null;
  level: ClockLevel;
  failures: number;
  deadLetters: number;
  /** IRNs the platform holds with other content: an alarm until the manager resolves them. */
  collisions: number;
  lastError?: string;
}

// The counts as of a ledger version: asked every second (the strip, the sync's 24-hour clock),
// re-read only after something was written. The age is recomputed from the cached oldest time.
const cache = new WeakMap<ReportJobs, { version: string; counts: QueueCounts; lastError: string | undefined }>();

function countsNow(jobs: ReportJobs): { counts: QueueCounts; lastError: string | undefined } {
  const version = changeVersion(jobs.db);
  const hit = cache.get(jobs);
  if (hit?.version === version) return hit;
  const fresh = { version, counts: jobs.counts(), lastError: jobs.lastError() };
  cache.set(jobs, fresh);
  return fresh;
}

/** The queue counts, re-read only when the ledger changed since the last call. */
export function queueCounts(jobs: ReportJobs): QueueCounts {
  return countsNow(jobs).counts;
}

export function queueStatus(jobs: ReportJobs, nowMs: number): QueueStatus {
  const { counts: c, lastError } = countsNow(jobs);
  const ageS = c.oldestUnreportedB2cIssuedAt === null ? null : Math.max(0, Math.floor(nowMs / 1000) - c.oldestUnreportedB2cIssuedAt);
  return {
    queueDepth: c.queueDepth,
    oldestUnreportedAgeS: ageS,
    level: clockLevel(ageS),
    failures: c.rejected,
    deadLetters: c.dead,
    collisions: c.collisions,
    ...(lastError ? { lastError } : {}),
  };
}
