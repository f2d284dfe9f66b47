// The cashier's screen: today's sales | new sale | receipt. F-keys for the common actions.
import { useEffect, useState } from 'react';
import { useTill } from '../stores/till';
import { SalesList } from '../components/SalesList';
import { SaleEntry } from '../components/SaleEntry';
import { ReceiptPanel } from '../components/ReceiptPanel';
import { RefundDialog } from '../components/RefundDialog';
import { invoke } from '../api/client';
import { useApp } from '../stores/app';
import { message } from '../lib/errors';
import { naira } from '../lib/format';
import { PeriodBanner } from '../components/PeriodBanner';
import { ShiftBar } from '../components/ShiftBar';
import '../till.css';

export function Till() {
  const till = useTill();
  const demo = useApp((s) => s.state?.setup === 'demo');
  const [refunding, setRefunding] = useState<string | null>(null);
  const row = till.invoices.find((r) => r.irn === till.selected);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (refunding) return;
      const irn = useTill.getState().selected;
      if (e.key === 'F8' && irn) {
        e.preventDefault();
        void useTill.getState().print(irn);
      }
      if (e.key === 'F9' && irn) {
        e.preventDefault();
        void useTill.getState().reprint(irn);
      }
      if (e.key === 'F4' && irn) {
        e.preventDefault();
        setRefunding(irn);
      }
      if (e.key === 'F2') {
        e.preventDefault();
        (document.querySelector('input[aria-label="Item"]') as HTMLInputElement | null)?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [refunding]);

  const dayTotal = till.invoices.reduce((sum, r) => sum + (r.kind === 'credit_note' ? -r.payable_kobo : r.payable_kobo), 0);

  return (
    <div className="till">
      <section className="panel" aria-label="Today's sales">
        <header>
          <h2>Today</h2>
          <span className="muted small">{till.day}</span>
          <span className="spacer" />
          <span className="money small" title="Today's sales less credit notes (shown rows)">
            {naira(dayTotal)}
          </span>
        </header>
        {demo && (
          <div className="row small" style={{ marginBottom: 8 }}>
            <span className="muted">Demo store: simulated sales arrive on their own.</span>
            <button
              type="button"
              onClick={() =>
                invoke('demo.sale', {}).then(
                  (r) => useTill.getState().select(r.invoice.irn),
                  (e) => useTill.setState({ error: message(e) }),
                )
              }
            >
              Simulate a sale now
            </button>
          </div>
        )}
        <SalesList rows={till.invoices} selected={till.selected} onSelect={(irn) => void till.select(irn)} />
      </section>
      <div className="stack">
        <PeriodBanner />
        <ShiftBar />
        <SaleEntry busy={till.busy} onCharge={till.createManual} />
        {till.notice && (
          <p className="notice" role="status" data-testid="till-notice">
            {till.notice}
          </p>
        )}
        {till.error && (
          <p className="error" role="alert" data-testid="till-error">
            {till.error}
          </p>
        )}
        <p className="small muted">
          <kbd>F2</kbd> new item · <kbd>↑</kbd>
          <kbd>↓</kbd> pick a sale · <kbd>F8</kbd> print · <kbd>F9</kbd> reprint (COPY) · <kbd>F4</kbd> refund · <kbd>F6</kbd> shift
        </p>
      </div>
      <ReceiptPanel
        row={row}
        preview={till.preview}
        qr={till.qr}
        previewError={till.previewError}
        onPrint={() => row && void till.print(row.irn)}
        onReprint={() => row && void till.reprint(row.irn)}
        onRefund={() => row && setRefunding(row.irn)}
      />
      {refunding && <RefundDialog irn={refunding} onClose={() => setRefunding(null)} />}
    </div>
  );
}
