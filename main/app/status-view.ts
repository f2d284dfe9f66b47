// The status strip's figures (StatusSnapshot in the IPC contract) from whichever services run:
// a running sync reports its own; a stopped one (demo, FIRS not configured) is read from the
// outbox so the strip still shows the queue and the 24-hour clock.
import type { QueueCounts } from '../ledger/report-jobs';
import type { SyncStatus } from '../sync/sync-service';
import { clockLevel } from '../sync/report-clock';
import type { LinkStatus } from '../sources/register-link/service';
import type { StatusSnapshot, SyncStatusView } from '../../shared/ipc/contract';
import type { CapturePort, PrintPort } from './ports';

export function runningSyncView(s: SyncStatus): SyncStatusView {
  return {
    online: s.online,
    queueDepth: s.queueDepth,
    oldestUnreportedAgeS: s.oldestUnreportedAgeS,
    level: s.level,
    failures: s.failures,
    deadLetters: s.deadLetters,
    running: true,
    ...(s.lastError ? { lastError: s.lastError } : {}),
    authPaused: s.authPaused,
    collisions: s.collisions,
    ...(s.profileGaps ? { profileGaps: s.profileGaps } : {}),
  };
}

/** The same figures straight from the outbox, when the sync does not run. */
export function stoppedSyncView(c: QueueCounts, nowS: number, demo: boolean, hasBusiness: boolean): SyncStatusView {
  const age = c.oldestUnreportedB2cIssuedAt === null ? null : Math.max(0, nowS - c.oldestUnreportedB2cIssuedAt);
  const lastError = demo ? undefined : hasBusiness ? 'FIRS connection not configured: Settings → Connections' : undefined;
  return {
    online: false,
    queueDepth: c.queueDepth,
    oldestUnreportedAgeS: age,
    level: clockLevel(age),
    failures: c.rejected,
    deadLetters: c.dead,
    running: false,
    ...(lastError ? { lastError } : {}),
  };
}

export function printerView(print: PrintPort | undefined, queuedInOutbox: () => number, hasBusiness: boolean): StatusSnapshot['printer'] {
  if (print) {
    const p = print.status();
    return { printer: p.printer, queued: p.queued, ...(p.message ? { message: p.message } : {}) };
  }
  return {
    printer: 'unavailable',
    message: hasBusiness ? 'the printing service is stopped' : 'set up the terminal first',
    queued: queuedInOutbox(),
  };
}

/** The connection strip: POS/CRM connectors, then register links as "register-link:<id>". */
export function connectionRows(
  capture: CapturePort | undefined,
  registerLink: { status(): LinkStatus[] } | undefined,
): StatusSnapshot['capture'] {
  return [
    ...(capture?.status().connectors ?? []).map((c) => ({
      vendor: c.vendor,
      state: c.state,
      lastPollAt: c.lastPollAt,
      lastError: c.lastError ?? null,
    })),
    ...(registerLink?.status() ?? []).map((l) => ({
      vendor: `register-link:${l.id}`,
      state: l.state,
      lastPollAt: l.lastDataAt,
      lastError: l.state === 'connected' || l.state === 'listening' ? null : l.message,
    })),
  ];
}
