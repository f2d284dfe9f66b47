// Report status in the cashier's words: issued, waiting to report, reported, rejected.
const LABELS: Record<string, { text: string; cls: string }> = {
  issued: { text: 'issued', cls: 'neutral' },
  pending_report: { text: 'waiting to report', cls: 'warn' },
  reporting: { text: 'reporting…', cls: 'info' },
  reported: { text: 'reported', cls: 'ok' },
  rejected: { text: 'rejected', cls: 'bad' },
  failed: { text: 'report failed', cls: 'bad' },
  demo: { text: 'demo, not reported', cls: 'neutral' },
};

/** B2B/B2G invoices are cleared, not reported: the buyer waits on it. */
const CLEARANCE: Record<string, { text: string; cls: string }> = {
  pending_report: { text: 'awaiting clearance', cls: 'warn' },
  reporting: { text: 'clearing…', cls: 'info' },
  reported: { text: 'cleared', cls: 'ok' },
};

export function StatusBadge({ status, b2b = false }: { status: string; b2b?: boolean }) {
  const l = (b2b ? CLEARANCE[status] : undefined) ?? LABELS[status] ?? { text: status, cls: 'neutral' };
  return (
    <span className={`badge ${l.cls}`} data-testid="status">
      {l.text}
    </span>
  );
}

export function DemoBadge() {
  return (
    <span className="badge demo" title="Demo invoice: never reported to FIRS">
      DEMO
    </span>
  );
}
