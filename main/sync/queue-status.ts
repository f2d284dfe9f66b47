// The report queue as the UI and the CLI see it: depth, the 24-hour clock, problems. Read from
// the ledger alone, so it is right whichever process (app, CLI) did the sending.
import type { ReportJobs } from '../ledger/report-jobs';
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

export function queueStatus(jobs: ReportJobs, nowMs: number): QueueStatus {
  const c = jobs.counts();
  const ageS = c.oldestUnreportedB2cIssuedAt === null ? null : Math.max(0, Math.floor(nowMs / 1000) - c.oldestUnreportedB2cIssuedAt);
  const lastError = jobs.lastError();
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
