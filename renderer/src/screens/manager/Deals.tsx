// Manager → Deals: won CRM deals and what became of them. In review: the reason and a link to the
// CRM record, with "Re-try" (after fixing the record in the CRM). Changed or reopened after
// invoicing: "Issue credit note" or "Keep invoice". Invoiced: the IRN, the clearance state and
// whether the platform transmitted it to the buyer.
import { useEffect, useState } from 'react';
import { invoke } from '../../api/client';
import type { DealView } from '../../../../shared/ipc/contract';
import { formatKobo } from '../../../../shared/domain/money';
import { message } from '../../lib/errors';
import { handleLocked } from '../../stores/invoices';

const GROUPS: { title: string; states: DealView['state'][] }[] = [
  { title: 'Needs a decision', states: ['credit_review'] },
  { title: 'In review', states: ['review'] },
  { title: 'Invoiced', states: ['invoiced', 'credited'] },
  { title: 'No longer won', states: ['withdrawn'] },
];
const CLEARANCE: Record<NonNullable<DealView['clearance']>, { label: string; badge: string }> = {
  awaiting_clearance: { label: 'awaiting clearance', badge: 'warn' },
  cleared: { label: 'cleared', badge: 'ok' },
  rejected: { label: 'rejected', badge: 'bad' },
};
const CRM_NAME = { hubspot: 'HubSpot', salesforce: 'Salesforce', pipedrive: 'Pipedrive' } as const;

export function Deals() {
  const [deals, setDeals] = useState<DealView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const fail = (e: unknown) => {
    if (!handleLocked(e)) setError(message(e));
  };
  const load = async () => {
    try {
      setDeals((await invoke('deals.list', {})).deals);
      setError(null);
    } catch (e) {
      fail(e);
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const act = async (what: 'deals.retry' | 'deals.credit' | 'deals.keep', d: DealView) => {
    setBusy(`${d.source}:${d.dealId}`);
    setNotice(null);
    try {
      const r = await invoke(what, { source: d.source, dealId: d.dealId });
      setNotice(
        what === 'deals.credit'
          ? `Credit note ${r.creditIrn ?? ''} issued for ${d.title ?? d.dealId}`
          : what === 'deals.keep'
            ? `Kept the invoice for ${d.title ?? d.dealId}`
            : `${d.title ?? d.dealId}: ${r.state === 'invoiced' ? `invoiced as ${r.irn ?? ''}` : (r.reason ?? r.state)}`,
      );
      await load();
    } catch (e) {
      fail(e);
    } finally {
      setBusy(null);
    }
  };

  if (!deals) return error ? <p className="error">{error}</p> : <p>Loading…</p>;
  return (
    <div className="stack">
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {deals.length === 0 && <p>No won deals yet. Connect a CRM in Settings → CRM connections.</p>}
      {GROUPS.map((g) => {
        const rows = deals.filter((d) => g.states.includes(d.state));
        if (!rows.length) return null;
        return (
          <section key={g.title} className="panel stack" aria-label={g.title}>
            <h3>
              {g.title} ({rows.length})
            </h3>
            <table>
              <thead>
                <tr>
                  <th>CRM</th>
                  <th>Deal</th>
                  <th className="num">Amount</th>
                  <th>{g.states.includes('invoiced') ? 'Invoice' : 'Why'}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {rows.map((d) => {
                  const key = `${d.source}:${d.dealId}`;
                  return (
                    <tr key={key} data-testid={`deal-${d.source}-${d.dealId}`}>
                      <td>{CRM_NAME[d.source]}</td>
                      <td>
                        {d.recordUrl ? (
                          <a href={d.recordUrl} target="_blank" rel="noreferrer">
                            {d.title ?? d.dealId}
                          </a>
                        ) : (
                          (d.title ?? d.dealId)
                        )}
                        <div className="small">#{d.dealId}</div>
                      </td>
                      <td className="num">{d.amountKobo === null ? '–' : `${d.currency ?? ''} ${formatKobo(d.amountKobo)}`}</td>
                      <td>
                        {d.state === 'invoiced' || d.state === 'credited' ? (
                          <span className="stack">
                            <code>{d.irn}</code>
                            <span>
                              {d.clearance && (
                                <span className={`badge ${CLEARANCE[d.clearance].badge}`}>{CLEARANCE[d.clearance].label}</span>
                              )}{' '}
                              {d.transmitted ? (
                                <span className="badge ok">transmitted</span>
                              ) : (
                                <span className="small">not transmitted</span>
                              )}
                              {d.paid ? <span className="badge ok"> paid</span> : null}
                              {d.creditIrn ? <span className="small"> credited by {d.creditIrn}</span> : null}
                              {d.writeback === 'failed' ? <span className="small"> write-back failed: {d.writebackError}</span> : null}
                            </span>
                          </span>
                        ) : (
                          <span>{d.reason}</span>
                        )}
                      </td>
                      <td className="row">
                        {(d.state === 'review' || d.state === 'credit_review') && (
                          <button type="button" disabled={busy === key} onClick={() => void act('deals.retry', d)}>
                            Re-try
                          </button>
                        )}
                        {d.state === 'credit_review' && (
                          <>
                            <button type="button" className="danger" disabled={busy === key} onClick={() => void act('deals.credit', d)}>
                              Issue credit note
                            </button>
                            <button type="button" disabled={busy === key} onClick={() => void act('deals.keep', d)}>
                              Keep invoice
                            </button>
                          </>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>
        );
      })}
    </div>
  );
}
