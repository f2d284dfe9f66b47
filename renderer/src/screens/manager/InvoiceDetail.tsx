// One invoice in full: the FIRS JSON, QR, receipt, its chain link, every report attempt.
import { useEffect, useRef, useState } from 'react';
import { invoke } from '../../api/client';
import type { InvoiceDetail, Response } from '../../../../shared/ipc/contract';
import { QrCode } from '../../components/QrCode';
import { DemoBadge, StatusBadge } from '../../components/StatusBadge';
import { lagosDateTime, naira } from '../../lib/format';
import { message } from '../../lib/errors';
import { handleLocked } from '../../stores/invoices';
import { refundState } from '../../../../shared/domain/refund-amount';

export function InvoiceDetailView({ irn, onClose }: { irn: string; onClose: () => void }) {
  const [d, setD] = useState<InvoiceDetail | null>(null);
  const [preview, setPreview] = useState<Response<'receipt.preview'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const panel = useRef<HTMLElement>(null);
  useEffect(() => {
    panel.current?.scrollIntoView({ block: 'nearest' });
  }, [irn, d]);
  useEffect(() => {
    setD(null);
    setPreview(null);
    setError(null);
    invoke('invoices.get', { irn }).then(setD, (e) => {
      if (!handleLocked(e)) setError(message(e));
    });
    invoke('receipt.preview', { irn }).then(setPreview, () => setPreview(null));
  }, [irn]);

  return (
    <section ref={panel} className="panel" aria-label="Invoice detail" data-testid="invoice-detail">
      <header>
        <h2>{d?.invoice_number ?? 'Invoice'}</h2>
        {d?.demo && <DemoBadge />}
        {d && <StatusBadge status={d.status} />}
        <span className="spacer" />
        <button type="button" onClick={onClose}>
          Close
        </button>
      </header>
      {error && <p className="error">{error}</p>}
      {d && (
        <div className="grid2">
          <div className="stack">
            <dl className="kv">
              <dt>IRN</dt>
              <dd className="mono">{d.irn}</dd>
              <dt>Kind</dt>
              <dd>{d.kind === 'credit_note' ? `credit note of ${d.original_irn}` : 'invoice'}</dd>
              <dt>Issued</dt>
              <dd>{lagosDateTime(d.issued_at)} (Lagos)</dd>
              <dt>Source</dt>
              <dd>
                {d.source} · {d.external_id}
              </dd>
              <dt>Customer</dt>
              <dd>
                {d.customer ?? 'walk-in'}
                {d.b2b ? ' (B2B)' : ''}
              </dd>
              <dt>Total</dt>
              <dd className="money" style={{ textAlign: 'left' }}>
                {naira(d.payable_kobo)} (net {naira(d.net_kobo)}, VAT {naira(d.tax_kobo)})
              </dd>
              <dt>Paid by</dt>
              <dd>{d.methods.join(', ')}</dd>
              <dt>Print</dt>
              <dd>{d.print}</dd>
              <dt>Chain</dt>
              <dd className="mono small">
                #{d.counter} · prev {d.prev_hash.slice(0, 16)}… → {d.hash.slice(0, 16)}…
              </dd>
              {d.credit_notes.length > 0 && (
                <>
                  <dt>Credit notes</dt>
                  <dd>
                    <strong data-testid="refund-state">{refundState(d.payable_kobo, d.refunded_kobo)}</strong>:{' '}
                    {d.credit_notes.map((c) => `${c.invoice_number} (${naira(c.payable_kobo)})`).join(', ')}
                  </dd>
                </>
              )}
              {d.last_error && (
                <>
                  <dt>Last error</dt>
                  <dd className="error">{d.last_error}</dd>
                </>
              )}
            </dl>
            <h3>Report attempts</h3>
            {d.attempts.length === 0 ? (
              <p className="muted small">{d.demo ? 'Demo invoices are never reported.' : 'None yet.'}</p>
            ) : (
              <table data-testid="attempts">
                <thead>
                  <tr>
                    <th>When</th>
                    <th>Outcome</th>
                    <th>HTTP</th>
                    <th>Message / details</th>
                  </tr>
                </thead>
                <tbody>
                  {d.attempts.map((a, i) => (
                    <tr key={i}>
                      <td className="small">{lagosDateTime(Math.floor(a.at / 1000))}</td>
                      <td>{a.outcome}</td>
                      <td>{a.http_status ?? '–'}</td>
                      <td className="small">
                        {a.message}
                        {a.details !== undefined && a.details !== null && <pre className="json">{JSON.stringify(a.details, null, 2)}</pre>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <details>
              <summary>FIRS invoice JSON</summary>
              <pre className="json" data-testid="firs-json">
                {JSON.stringify(d.firs, null, 2)}
              </pre>
            </details>
          </div>
          <div className="receipt">
            <QrCode value={d.qr} scale={3} label={`QR code of invoice ${d.invoice_number}`} />
            {preview && <img className="preview" alt={`Receipt ${d.invoice_number}`} src={`data:image/png;base64,${preview.png}`} />}
          </div>
        </div>
      )}
    </section>
  );
}
