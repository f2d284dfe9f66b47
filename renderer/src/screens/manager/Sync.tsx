// Sync status: queue, failures with reasons and the platform's details, retry now, dead letters.
import { useEffect, useState } from 'react';
import { invoke } from '../../api/client';
import type { Response, SyncStatusView } from '../../../../shared/ipc/contract';
import { duration, lagosDateTime } from '../../lib/format';
import { message } from '../../lib/errors';
import { handleLocked } from '../../stores/invoices';

type Problem = Response<'sync.problems'>['items'][number];

export function Sync() {
  const [status, setStatus] = useState<SyncStatusView | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const fail = (e: unknown) => {
    if (!handleLocked(e)) setError(message(e));
  };
  const load = async () => {
    try {
      const [s, p] = await Promise.all([invoke('sync.status', {}), invoke('sync.problems', {})]);
      setStatus(s);
      setProblems(p.items);
      setError(null);
    } catch (e) {
      fail(e);
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const retry = async () => {
    try {
      setStatus(await invoke('sync.retryNow', {}));
      setNotice('Retrying now');
      await load();
    } catch (e) {
      fail(e);
    }
  };
  const requeue = async (irn: string) => {
    try {
      await invoke('sync.requeue', { irn });
      setNotice('Queued again');
      await load();
    } catch (e) {
      fail(e);
    }
  };

  return (
    <div className="stack">
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {notice && <p className="notice">{notice}</p>}
      {status && (
        <div className="cards">
          <div className="card">
            <div className="label">Reporting</div>
            <div className="value">{status.running ? (status.online ? 'online' : 'offline') : 'not running'}</div>
          </div>
          <div className="card">
            <div className="label">Waiting</div>
            <div className="value num">{status.queueDepth}</div>
          </div>
          <div className="card">
            <div className="label">Oldest unreported</div>
            <div className="value">{status.oldestUnreportedAgeS === null ? 'none' : duration(status.oldestUnreportedAgeS)}</div>
          </div>
          <div className="card">
            <div className="label">Failed / dead letters</div>
            <div className="value num">
              {status.failures} / {status.deadLetters}
            </div>
          </div>
        </div>
      )}
      {status?.lastError && <p className="error">Last error: {status.lastError}</p>}
      <div className="row">
        <button type="button" className="primary" onClick={() => void retry()}>
          Retry now
        </button>
        <button type="button" onClick={() => void load()}>
          Refresh
        </button>
      </div>
      <h3>Rejected and dead-lettered reports</h3>
      {problems.length === 0 ? (
        <p className="muted">Nothing has failed.</p>
      ) : (
        <table data-testid="problems">
          <thead>
            <tr>
              <th>Invoice</th>
              <th>State</th>
              <th>Attempts</th>
              <th>Reason</th>
              <th>Since</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {problems.map((p) => (
              <tr key={p.irn}>
                <td className="mono">{p.invoice_number}</td>
                <td>
                  <span className={`badge ${p.status === 'dead' ? 'bad' : 'warn'}`}>
                    {p.status === 'dead' ? 'dead letter' : 'rejected'}
                  </span>
                </td>
                <td className="num">{p.attempts}</td>
                <td className="small">
                  {p.last_error}
                  {p.details !== undefined && p.details !== null && (
                    <details>
                      <summary>details</summary>
                      <pre className="json">{JSON.stringify(p.details, null, 2)}</pre>
                    </details>
                  )}
                </td>
                <td className="small">{lagosDateTime(Math.floor(p.updated_at / 1000))}</td>
                <td>
                  <button type="button" onClick={() => void requeue(p.irn)}>
                    Send again
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
