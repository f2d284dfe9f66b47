// Refund: choose lines and quantities of an issued invoice → a credit note (never an edit).
// The refund id is fixed when the dialog opens, so a retried click cannot credit twice.
import { useEffect, useMemo, useState } from 'react';
import { invoke } from '../api/client';
import type { InvoiceDetail } from '../../../shared/ipc/contract';
import type { Sale } from '../../../shared/domain/sale';
import { refundAmountKobo } from '../../../shared/domain/refund-amount';
import { PAYMENT_METHODS, type PaymentMethod } from '../../../shared/domain/payment-means';
import { parseDecimal, roundKobo } from '../../../shared/domain/money';
import { PAYMENT_LABELS, QTY } from '../lib/sale-draft';
import { naira } from '../lib/format';
import { message } from '../lib/errors';
import { useTill } from '../stores/till';

export function RefundDialog({ irn, onClose }: { irn: string; onClose: () => void }) {
  const [detail, setDetail] = useState<InvoiceDetail | null>(null);
  const [qty, setQty] = useState<string[]>([]);
  const [reason, setReason] = useState('');
  const [method, setMethod] = useState<PaymentMethod | ''>('');
  const [error, setError] = useState<string | null>(null);
  const refundId = useMemo(() => crypto.randomUUID(), []);
  const { refund, busy } = useTill();

  useEffect(() => {
    invoke('invoices.get', { irn }).then(
      (d) => {
        setDetail(d);
        setQty(d.refundable.map(() => '0'));
      },
      (e) => setError(message(e)),
    );
  }, [irn]);

  const lines = detail?.refundable ?? [];
  const bad = qty.map((q, i) => {
    const t = q.trim();
    if (t === '0' || t === '') return null;
    if (!QTY.test(t)) return 'not a quantity like 1 or 0.5';
    const line = lines[i];
    if (line && parseDecimal(t).gt(parseDecimal(line.remaining))) return `at most ${line.remaining} can still be refunded`;
    return null;
  });
  const chosen = qty.flatMap((q, i) =>
    !bad[i] && q.trim() !== '' && parseDecimal(q.trim()).gt(0) ? [{ index: lines[i]!.index, quantity: q.trim() }] : [],
  );

  // Same code main issues the credit note with, so the amount shown is the amount credited.
  const handBack = detail && detail.kind === 'invoice' ? refundAmountKobo(detail.sale as unknown as Sale, chosen) : 0;

  const submit = async () => {
    setError(null);
    if (bad.some(Boolean)) {
      setError(
        bad
          .map((b, i) => (b ? `${lines[i]?.name}: ${b}` : null))
          .filter(Boolean)
          .join('\n'),
      );
      return;
    }
    if (chosen.length === 0) {
      setError('Choose at least one line and a quantity to refund');
      return;
    }
    if (await refund({ irn, refundId, lines: chosen, ...(method ? { method } : {}), ...(reason.trim() ? { reason: reason.trim() } : {}) }))
      onClose();
    else setError(useTill.getState().error);
  };

  return (
    <div
      className="backdrop"
      role="dialog"
      aria-modal="true"
      aria-label="Refund"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <div className="modal">
        <h2>Refund {detail?.invoice_number ?? ''}</h2>
        <p className="muted small">A refund issues a credit note that points at this invoice. The invoice itself never changes.</p>
        {!detail && !error && <p>Loading…</p>}
        {detail && detail.kind === 'credit_note' && <p className="error">A credit note cannot be refunded.</p>}
        {detail && lines.length > 0 && (
          <table>
            <thead>
              <tr>
                <th>Item</th>
                <th>Sold</th>
                <th>Refunded</th>
                <th className="money">Unit price</th>
                <th>Refund now</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((l, i) => (
                <tr key={l.index}>
                  <td>{l.name}</td>
                  <td className="num">{l.quantity}</td>
                  <td className="num">{l.refunded}</td>
                  <td className="money">{naira(roundKobo(parseDecimal(l.unit_price).times(100)))}</td>
                  <td className="row">
                    <input
                      aria-label={`Refund quantity for ${l.name}`}
                      autoFocus={i === 0}
                      size={6}
                      value={qty[i] ?? '0'}
                      aria-invalid={!!bad[i]}
                      title={bad[i] ?? undefined}
                      disabled={parseDecimal(l.remaining).eq(0)}
                      onChange={(e) => setQty(qty.map((q, j) => (j === i ? e.target.value : q)))}
                    />
                    <button
                      type="button"
                      className="link"
                      disabled={parseDecimal(l.remaining).eq(0)}
                      onClick={() => setQty(qty.map((q, j) => (j === i ? l.remaining : q)))}
                    >
                      all {l.remaining}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {detail && (
          <p className="small muted">
            Still refundable on this invoice: <strong>{naira(detail.remaining_kobo)}</strong>
          </p>
        )}
        {detail && detail.kind === 'invoice' && (
          <p className="refund-amount" data-testid="refund-amount" aria-live="polite">
            Hand back: <strong>{naira(handBack)}</strong>
          </p>
        )}
        <div className="row" style={{ marginTop: 10 }}>
          <label>
            Money back by
            <select value={method} onChange={(e) => setMethod(e.target.value as PaymentMethod | '')}>
              <option value="">as paid</option>
              {PAYMENT_METHODS.map((m) => (
                <option key={m} value={m}>
                  {PAYMENT_LABELS[m]}
                </option>
              ))}
            </select>
          </label>
          <label style={{ flex: 1 }}>
            Reason (optional)
            <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} />
          </label>
        </div>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="row" style={{ marginTop: 12, justifyContent: 'flex-end' }}>
          <button type="button" onClick={onClose}>
            Cancel <kbd>Esc</kbd>
          </button>
          <button
            type="button"
            className="primary"
            disabled={busy || !detail || detail.kind === 'credit_note'}
            onClick={() => void submit()}
          >
            Issue credit note
          </button>
        </div>
      </div>
    </div>
  );
}
