// The selected invoice's receipt as the printer would print it (the PRINT service's preview PNG),
// with its QR drawn from the invoice's QR string beside it, and print / reprint / refund.
import { useState } from 'react';
import type { InvoiceRow, Preview } from '../stores/till';
import { QrCode } from './QrCode';
import { DemoBadge, StatusBadge } from './StatusBadge';
import { naira } from '../lib/format';

const PRINT_LABEL = { pending: 'print queued', printing: 'printing…', printed: 'printed', failed: 'print failed' } as const;
const PRINT_BADGE = { pending: 'neutral', printing: 'info', printed: 'ok', failed: 'bad' } as const;

interface Props {
  row: InvoiceRow | undefined;
  preview: Preview | null;
  qr: string | null;
  previewError: string | null;
  onPrint(): void;
  onReprint(): void;
  onRefund(): void;
}

export function ReceiptPanel({ row, preview, qr, previewError, onPrint, onReprint, onRefund }: Props) {
  // Names in Yoruba, Igbo or Hausa: the preview draws their marks; the printer's code page drops
  // the ones it lacks (ọ→o). "As printed" shows exactly what the paper will say.
  const [printed, setPrinted] = useState(false);
  if (!row) {
    return (
      <section className="panel" aria-label="Receipt">
        <header>
          <h2>Receipt</h2>
        </header>
        <p className="muted">Pick a sale (or charge one) to see its receipt.</p>
      </section>
    );
  }
  return (
    <section className="panel" aria-label="Receipt" data-testid="receipt">
      <header>
        <h2>Receipt</h2>
        <span className="spacer" />
        {row.demo && <DemoBadge />}
        <StatusBadge status={row.status} b2b={row.b2b} />
        <span className={`badge ${PRINT_BADGE[row.print]}`} data-testid="print-state">
          {PRINT_LABEL[row.print]}
        </span>
      </header>
      <div className="receipt">
        <div className="row">
          <strong data-testid="receipt-number">{row.invoice_number}</strong>
          {row.kind === 'credit_note' && <span className="badge info">credit note</span>}
          <span className="money">{naira(row.payable_kobo)}</span>
        </div>
        {preview?.copy && (
          <div className="copy-mark" data-testid="copy-mark">
            COPY
          </div>
        )}
        {qr ? <QrCode value={qr} label={`QR code of invoice ${row.invoice_number}`} /> : <p className="muted">Loading QR…</p>}
        <div className="row">
          <button
            type="button"
            className="primary"
            onClick={onPrint}
            disabled={row.print === 'printed'}
            title={row.print === 'printed' ? 'Already printed: use Reprint (COPY)' : undefined}
          >
            {row.print === 'printed' ? 'Printed' : 'Print'} <kbd>F8</kbd>
          </button>
          <button type="button" onClick={onReprint}>
            Reprint (COPY) <kbd>F9</kbd>
          </button>
          {row.kind === 'invoice' && (
            <button type="button" onClick={onRefund}>
              Refund… <kbd>F4</kbd>
            </button>
          )}
        </div>
        {preview && (
          <button
            type="button"
            className="link"
            aria-pressed={printed}
            data-testid="as-printed"
            onClick={() => setPrinted(!printed)}
            title="The printer's code page has no ọ, ẹ, ṣ…: they print as o, e, s"
          >
            {printed ? 'Show as on screen' : 'Show as printed'}
          </button>
        )}
        {preview && (
          <img
            className="preview"
            data-testid="receipt-preview"
            alt={`Receipt ${row.invoice_number}${preview.copy ? ' (COPY)' : ''}${printed ? ' as printed' : ''}`}
            src={`data:image/png;base64,${printed ? preview.printed_png : preview.png}`}
          />
        )}
        {preview?.text && (
          <details>
            <summary>Receipt text{printed ? ' (as printed)' : ''}</summary>
            <pre className="receipt-text" data-testid="receipt-text">
              {printed ? preview.printed_text : preview.text}
            </pre>
          </details>
        )}
        {previewError && <p className="muted small">Printer preview unavailable: {previewError}</p>}
        <p className="mono small muted" title="Invoice reference number">
          IRN {row.irn}
        </p>
      </div>
    </section>
  );
}
