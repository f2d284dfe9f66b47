// Always visible: can we report (online/offline), how much is waiting, how old the oldest
// unreported receipt is against the 24-hour limit (amber ≥12 h, red ≥20 h), register links, CRM
// connections and the printer.
import { useStatus } from '../stores/status';
import { ageLevel, duration } from '../lib/format';
import { isCrmSource } from '../../../shared/capture/crm/outcome';

const PRINTER_LABEL: Record<string, string> = {
  ready: 'ready',
  offline: 'offline',
  paper_out: 'out of paper',
  error: 'error',
  virtual: 'virtual (no printer)',
  unavailable: 'not running',
};

// CRM connections (the capture service's connector states) as people read them.
const CRM_LABEL: Record<string, string> = {
  idle: 'connected',
  polling: 'syncing deals',
  backoff: 'retrying',
  needs_attention: 'needs attention',
  stopped: 'stopped',
};
const CRM_NAME: Record<string, string> = { hubspot: 'HubSpot', salesforce: 'Salesforce', pipedrive: 'Pipedrive' };
const CRM_LEVEL: Record<string, string> = { idle: 'ok', polling: 'ok', backoff: 'warn', needs_attention: 'bad', stopped: '' };

export function ConnectionStrip() {
  const { link, status } = useStatus();
  if (link !== 'open' && !status) {
    return (
      <div className="strip level-alarm" role="status" data-testid="strip">
        <span className="item">
          <span className="dot bad" />
          Connecting to the TaxPoynt POS service…
        </span>
      </div>
    );
  }
  const sync = status?.sync;
  const printer = status?.printer;
  const age = sync?.oldestUnreportedAgeS ?? null;
  const level = ageLevel(age);
  const stripLevel = link !== 'open' || level === 'bad' ? 'level-alarm' : level === 'warn' ? 'level-warning' : '';
  const printerLevel = !printer ? 'neutral' : printer.printer === 'ready' || printer.printer === 'virtual' ? 'ok' : 'bad';
  return (
    <div className={`strip ${stripLevel}`} role="status" aria-label="Connection status" data-testid="strip">
      {link !== 'open' && (
        <span className="item">
          <span className="dot bad" />
          <strong>Service link lost, reconnecting…</strong>
        </span>
      )}
      <span className="item" data-testid="strip-online">
        {status?.demo ? (
          <>
            <span className="dot warn" />
            Demo store: nothing is reported
          </>
        ) : sync && !sync.running ? (
          <>
            <span className="dot warn" />
            Reporting not set up (Manager → Settings → FIRS)
          </>
        ) : (
          <>
            <span className={`dot ${sync?.online ? 'ok' : 'bad'}`} />
            {sync?.online ? 'Online' : 'Offline (sales are kept and reported later)'}
          </>
        )}
      </span>
      <span className="item" data-testid="strip-queue">
        Waiting to report: <strong className="num">{sync?.queueDepth ?? '–'}</strong>
      </span>
      <span className="item" data-testid="strip-age" data-level={level}>
        <span className={`dot ${level}`} />
        Oldest unreported: <strong>{age === null ? 'none' : `${duration(age)} of 24 h`}</strong>
      </span>
      {sync?.authPaused && (
        <span className="item" data-testid="strip-credentials">
          <span className="dot bad" />
          <strong>Reporting paused: FIRS refused the API key</strong> (Manager → Settings → FIRS; no sale is lost)
        </span>
      )}
      {(sync?.collisions ?? 0) > 0 && (
        <span className="item" data-testid="strip-collision">
          <span className="dot bad" />
          <strong>IRN COLLISION ({sync?.collisions}): stop issuing on this till and call support</strong> (manager: Sync)
        </span>
      )}
      {sync?.profileGaps && (
        <span className="item" data-testid="strip-profile">
          <span className="dot bad" />
          Reporting paused: the business profile needs {sync.profileGaps.join(', ')} (setup)
        </span>
      )}
      {(sync?.failures ?? 0) + (sync?.deadLetters ?? 0) > 0 && (
        <span className="item">
          <span className="dot bad" />
          {sync?.failures} failed, {sync?.deadLetters} dead letters (manager: Sync)
        </span>
      )}
      {(status?.capture ?? [])
        .filter((c) => c.vendor.startsWith('register-link:'))
        .map((c) => (
          <span className="item" key={c.vendor} data-testid={`strip-${c.vendor.replace(':', '-')}`}>
            <span
              className={`dot ${c.state === 'connected' || c.state === 'listening' ? 'ok' : c.state === 'connecting' ? 'warn' : 'bad'}`}
            />
            Register {c.vendor.slice('register-link:'.length)}: {c.state}
            {c.lastError ? ` — ${c.lastError}` : ''}
          </span>
        ))}
      {(status?.capture ?? [])
        .filter((c) => isCrmSource(c.vendor))
        .map((c) => (
          <span className="item" key={c.vendor} data-testid={`strip-crm-${c.vendor}`} title={c.lastError ?? undefined}>
            <span className={`dot ${CRM_LEVEL[c.state] ?? ''}`} />
            {CRM_NAME[c.vendor] ?? c.vendor}: {CRM_LABEL[c.state] ?? c.state}
            {c.lastError ? ` — ${c.lastError}` : ''}
          </span>
        ))}
      <span className="item" data-testid="strip-printer">
        <span className={`dot ${printerLevel === 'neutral' ? '' : printerLevel}`} />
        Printer: {printer ? (PRINTER_LABEL[printer.printer] ?? printer.printer) : 'unknown'}
        {printer?.queued ? ` (${printer.queued} queued)` : ''}
        {printer?.message ? ` — ${printer.message}` : ''}
      </span>
    </div>
  );
}
