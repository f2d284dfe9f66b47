// Keeps the durable queues (reports and prints in `outbox`, reprints in `print_requests`) moving
// after the two things that freeze wall-clock schedules:
//  - a worker that died holding leases (SIGKILL, power cut): on this machine, a lease whose
//    owner process is gone ends now instead of after its full lease (the print queue then marks
//    a receipt that may have printed as unconfirmed, never re-sent; a report is confirmed);
//  - the clock stepped back (a dead CMOS battery, a wrong NTP answer): due times and leases lie
//    further ahead than anything we ever schedule, and would stall for as long as the step.
import { hostname } from 'node:os';
import type { Db } from './database';

/** Longest delay we ever schedule (report backoff cap 30 min; leases 2 min) plus slack. */
export const MAX_SCHEDULE_AHEAD_MS = 2 * 3600_000;

const TABLES = ['outbox', 'print_requests'] as const;

/** True when a process with this pid exists (EPERM: it exists, owned by someone else). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Lease owners are "host:pid:nonce" (PrintService, SyncService). */
export function ownerPid(owner: string, host = hostname()): number | undefined {
  const m = /^(.*):(\d+):[^:]*$/.exec(owner);
  return m && m[1] === host ? Number(m[2]) : undefined;
}

/** Ends the leases of workers on this machine that no longer run. Returns how many jobs were freed. */
export function releaseDeadOwners(db: Db, now: number, alive: (pid: number) => boolean = pidAlive): number {
  let freed = 0;
  for (const table of TABLES) {
    const owners = db
      .prepare(`SELECT DISTINCT lease_owner FROM ${table} WHERE status = 'sending' AND lease_owner IS NOT NULL`)
      .pluck()
      .all();
    for (const owner of owners) {
      if (typeof owner !== 'string') continue;
      const pid = ownerPid(owner);
      if (pid === undefined || pid === process.pid || alive(pid)) continue;
      freed += db
        .prepare(`UPDATE ${table} SET lease_until = ? WHERE status = 'sending' AND lease_owner = ? AND lease_until >= ?`)
        .run(now - 1, owner, now).changes;
    }
  }
  return freed;
}

/**
 * After the clock stepped back: due times and leases further ahead than we ever schedule become
 * due / expired now. Harmless when the clock is right (nothing lies that far ahead).
 */
export function repairFutureSchedules(db: Db, now: number): number {
  const limit = now + MAX_SCHEDULE_AHEAD_MS;
  let n = 0;
  for (const table of TABLES) {
    n += db
      .prepare(`UPDATE ${table} SET next_attempt_at = ? WHERE status IN ('pending', 'retrying') AND next_attempt_at > ?`)
      .run(now, limit).changes;
    n += db.prepare(`UPDATE ${table} SET lease_until = ? WHERE status = 'sending' AND lease_until > ?`).run(now - 1, limit).changes;
  }
  return n;
}
