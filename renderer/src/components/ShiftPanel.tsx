// The cashier's shift dialog: open with a counted float; while open, the X report, cash in/out
// with a reason, and the close with counted amounts (cash required; card/transfer from the card
// terminal's batch or the bank app, optional). Amounts are typed as naira and parsed with the
// shared money parser ("1.500,00" is refused as ambiguous) before anything is sent.
import { useEffect, useState } from 'react';
import { invoke } from '../api/client';
import type { ShiftReport } from '../../../shared/shifts/report';
import { parseMoneyEntry } from '../../../shared/catalogue/money-entry';
import type { PaymentMethod } from '../../../shared/domain/payment-means';
import { PAYMENT_LABELS } from '../lib/sale-draft';
import { message } from '../lib/errors';
import { ShiftReportView } from './ShiftReportView';

/** Money as typed → kobo, or throws naming the field. */
function amount(label: string, text: string): number {
  try {
    return parseMoneyEntry(text);
  } catch (e) {
    throw new Error(`${label}: ${message(e)}`, { cause: e });
  }
}

export function ShiftPanel({ onClose, onChange }: { onClose: () => void; onChange: (r: ShiftReport | null) => void }) {
  const [report, setReport] = useState<ShiftReport | null | undefined>(undefined);
  const [closed, setClosed] = useState<ShiftReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [float, setFloat] = useState('');
  const [kind, setKind] = useState<'in' | 'out'>('in');
  const [moveAmount, setMoveAmount] = useState('');
  const [reason, setReason] = useState('');
  const [counted, setCounted] = useState<Partial<Record<PaymentMethod, string>>>({});

  useEffect(() => {
    invoke('shift.current', {}).then(
      (r) => setReport(r.report),
      (e) => setError(message(e)),
    );
  }, []);
  // Esc leaves the dialog wherever the focus is (a button disabled while busy drops it to the page).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const run = async (f: () => Promise<ShiftReport>, after: (r: ShiftReport) => void) => {
    setError(null);
    setBusy(true);
    try {
      after(await f());
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };

  const open = () =>
    run(
      () => invoke('shift.open', { float_kobo: amount('Opening float', float) }),
      (r) => {
        setReport(r);
        onChange(r);
      },
    );
  const move = () =>
    run(
      () => invoke('shift.cashMove', { kind, amount_kobo: amount('Amount', moveAmount), reason: reason.trim() }),
      (r) => {
        setReport(r);
        setMoveAmount('');
        setReason('');
        onChange(r);
      },
    );
  const close = () =>
    run(
      () => {
        if (!(counted.cash ?? '').trim()) throw new Error('Counted cash: count the drawer and enter the amount');
        const list = Object.entries(counted)
          .filter(([, v]) => (v ?? '').trim() !== '')
          .map(([m, v]) => ({ method: m as PaymentMethod, amount_kobo: amount(`Counted ${PAYMENT_LABELS[m as PaymentMethod]}`, v!) }));
        return invoke('shift.close', { counted: list });
      },
      (r) => {
        setClosed(r);
        setReport(null);
        onChange(null);
      },
    );

  return (
    <div className="backdrop" role="dialog" aria-modal="true" aria-label="Shift">
      <div className="modal shift-panel">
        <h2>Shift</h2>
        {report === undefined && !error && <p>Loading…</p>}
        {closed && <ShiftReportView report={closed} />}
        {report === null && !closed && (
          <form
            className="stack"
            aria-label="Open shift"
            onSubmit={(e) => {
              e.preventDefault();
              void open();
            }}
          >
            <p className="muted small">Count the cash in the drawer before the first sale: that is the float.</p>
            <label>
              Opening float (₦)
              <input aria-label="Opening float" inputMode="decimal" autoFocus value={float} onChange={(e) => setFloat(e.target.value)} />
            </label>
            <div className="row">
              <button type="submit" className="primary" disabled={busy}>
                Open shift
              </button>
            </div>
          </form>
        )}
        {report && (
          <>
            <ShiftReportView report={report} />
            <form
              className="shift-form"
              aria-label="Cash in or out"
              onSubmit={(e) => {
                e.preventDefault();
                void move();
              }}
            >
              <div className="row" role="radiogroup" aria-label="Cash in or out">
                <label className="choice">
                  <input type="radio" name="move" checked={kind === 'in'} onChange={() => setKind('in')} /> Cash in
                </label>
                <label className="choice">
                  <input type="radio" name="move" checked={kind === 'out'} onChange={() => setKind('out')} /> Cash out
                </label>
              </div>
              <label>
                Amount (₦)
                <input aria-label="Cash amount" inputMode="decimal" value={moveAmount} onChange={(e) => setMoveAmount(e.target.value)} />
              </label>
              <label>
                Reason
                <input aria-label="Reason" maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} />
              </label>
              <button type="submit" disabled={busy}>
                Record {kind === 'in' ? 'cash in' : 'cash out'}
              </button>
            </form>
            <form
              className="shift-form"
              aria-label="Close shift"
              onSubmit={(e) => {
                e.preventDefault();
                void close();
              }}
            >
              {report.methods.map((l) => (
                <label key={l.method}>
                  Counted {PAYMENT_LABELS[l.method]} (₦){l.method === 'cash' ? '' : ' — optional'}
                  <input
                    aria-label={`Counted ${PAYMENT_LABELS[l.method]}`}
                    inputMode="decimal"
                    value={counted[l.method] ?? ''}
                    onChange={(e) => setCounted({ ...counted, [l.method]: e.target.value })}
                  />
                </label>
              ))}
              <button type="submit" className="danger" disabled={busy}>
                Close shift
              </button>
            </form>
          </>
        )}
        {error && (
          <p className="error" role="alert" data-testid="shift-error">
            {error}
          </p>
        )}
        <div className="row" style={{ marginTop: 12, justifyContent: 'flex-end' }}>
          <button type="button" onClick={onClose}>
            {closed ? 'Done' : 'Back to the till'} <kbd>Esc</kbd>
          </button>
        </div>
      </div>
    </div>
  );
}
