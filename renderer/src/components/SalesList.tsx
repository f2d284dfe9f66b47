// Today's sales, newest first: invoice number, amount, report status, DEMO label.
import type { InvoiceRow } from '../stores/till';
import { lagosTime, naira } from '../lib/format';
import { DemoBadge, StatusBadge } from './StatusBadge';
import { refundState } from '../../../shared/domain/refund-amount';

export function SalesList({ rows, selected, onSelect }: { rows: InvoiceRow[]; selected: string | null; onSelect: (irn: string) => void }) {
  if (rows.length === 0) return <p className="muted">No sales yet today. They appear here as they arrive.</p>;
  const move = (e: React.KeyboardEvent, i: number) => {
    const next = e.key === 'ArrowDown' ? i + 1 : e.key === 'ArrowUp' ? i - 1 : -1;
    if (next < 0 || next >= rows.length) return;
    e.preventDefault();
    onSelect(rows[next]!.irn);
    (e.currentTarget.closest('ul')?.querySelectorAll('button')[next] as HTMLButtonElement | undefined)?.focus();
  };
  return (
    <ul className="sales-list" role="listbox" aria-label="Today's sales" data-testid="sales-list">
      {rows.map((r, i) => (
        <li key={r.irn} data-testid="sale-row" data-invoice-number={r.invoice_number}>
          <button
            type="button"
            role="option"
            aria-selected={r.irn === selected}
            onClick={() => onSelect(r.irn)}
            onKeyDown={(e) => move(e, i)}
          >
            <span className="inv">
              {r.invoice_number}
              {r.kind === 'credit_note' ? ' · credit note' : ''}
            </span>
            <span className="money">{naira(r.kind === 'credit_note' ? -r.payable_kobo : r.payable_kobo)}</span>
            <span className="meta">
              <span>{lagosTime(r.issued_at)}</span>
              <span>{r.source}</span>
              <StatusBadge status={r.status} b2b={r.b2b} />
              {r.demo && <DemoBadge />}
              {refundState(r.payable_kobo, r.refunded_kobo) && (
                <span className="badge neutral" data-testid="refund-state">
                  {refundState(r.payable_kobo, r.refunded_kobo)}
                </span>
              )}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
