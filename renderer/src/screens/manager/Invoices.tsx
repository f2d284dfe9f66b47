// Invoices by day: date picker, search, filters, a virtualised list, and the chosen invoice's detail.
import { useCallback, useEffect, useState } from 'react';
import { useInvoices, type Filters } from '../../stores/invoices';
import { VirtualList } from '../../components/VirtualList';
import { InvoiceDetailView } from './InvoiceDetail';
import { DemoBadge, StatusBadge } from '../../components/StatusBadge';
import { lagosTime, naira } from '../../lib/format';
import { SOURCES } from '../../../../shared/sources/registry';
import { PAYMENT_METHODS } from '../../../../shared/domain/payment-means';
import { PAYMENT_LABELS } from '../../lib/sale-draft';
import type { InvoiceSummary } from '../../../../shared/ipc/contract';
import { buildIrn, invoiceNumber } from '../../../../shared/domain/irn';
import { useApp } from '../../stores/app';

/** Examples in this shop's own formats (its terminal and service id), so the placeholder looks like what it finds. */
function searchExamples(business: { terminal: string; service_id: string } | null | undefined, today: string) {
  try {
    const number = invoiceNumber(business?.terminal ?? 'T01', 123);
    return { number, irn: buildIrn(number, business?.service_id ?? '94ND90NR', today.replaceAll('-', '')) };
  } catch {
    return { number: 'T0100000123', irn: 'T0100000123-94ND90NR-20261124' };
  }
}

const STATUSES = ['pending_report', 'reporting', 'reported', 'rejected', 'failed', 'demo'] as const;

export function Invoices() {
  const s = useInvoices();
  const [search, setSearch] = useState(s.filters.search ?? '');
  const [selected, setSelected] = useState<string | null>(null);
  const app = useApp((a) => a.state);
  const example = searchExamples(app?.business, app?.today ?? s.date);

  useEffect(() => {
    void useInvoices.getState().reload();
  }, []);
  // Search as you type, without a request per keystroke.
  useEffect(() => {
    const t = setTimeout(() => {
      const cur = useInvoices.getState().filters;
      if ((cur.search ?? '') !== search.trim()) useInvoices.getState().setFilters({ ...cur, search: search.trim() || undefined });
    }, 250);
    return () => clearTimeout(t);
  }, [search]);

  const setFilter = <K extends keyof Filters>(k: K, v: string) => s.setFilters({ ...s.filters, [k]: v || undefined });
  const ensure = useCallback((from: number, to: number) => useInvoices.getState().ensure(from, to), []);
  const selectedIndex = s.rows.findIndex((r) => r?.irn === selected);

  return (
    <div className="stack">
      <div className="filters" role="search">
        <label>
          Day
          <input type="date" aria-label="Day" value={s.date} onChange={(e) => e.target.value && s.setDate(e.target.value)} />
        </label>
        <label style={{ flex: 1, minWidth: 220 }}>
          Search (number, IRN, customer, item, amount)
          <input
            type="search"
            aria-label="Search invoices"
            placeholder={`e.g. ${example.number}, ${example.irn}, rice, 1500.00`}
            title={`Invoice number like ${example.number}, IRN like ${example.irn}, customer, item name or amount`}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </label>
        <label>
          Source
          <select aria-label="Source" value={s.filters.source ?? ''} onChange={(e) => setFilter('source', e.target.value)}>
            <option value="">all</option>
            {SOURCES.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select aria-label="Status" value={s.filters.status ?? ''} onChange={(e) => setFilter('status', e.target.value)}>
            <option value="">all</option>
            {STATUSES.map((x) => (
              <option key={x} value={x}>
                {x.replace('_', ' ')}
              </option>
            ))}
          </select>
        </label>
        <label>
          Payment
          <select aria-label="Payment method" value={s.filters.method ?? ''} onChange={(e) => setFilter('method', e.target.value)}>
            <option value="">all</option>
            {PAYMENT_METHODS.map((x) => (
              <option key={x} value={x}>
                {PAYMENT_LABELS[x]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Customer
          <select aria-label="B2B or B2C" value={s.filters.party ?? ''} onChange={(e) => setFilter('party', e.target.value)}>
            <option value="">all</option>
            <option value="b2b">B2B</option>
            <option value="b2c">B2C</option>
          </select>
        </label>
      </div>
      <div className="row small" data-testid="day-totals">
        <strong className="num" data-testid="day-count">
          {s.total}
        </strong>{' '}
        invoices · total{' '}
        <strong className="money" data-testid="day-payable">
          {s.totals ? naira(s.totals.payable_kobo) : '–'}
        </strong>{' '}
        · VAT{' '}
        <strong className="money" data-testid="day-vat">
          {s.totals ? naira(s.totals.tax_kobo) : '–'}
        </strong>
        <span className="muted">(credit notes subtracted)</span>
      </div>
      {s.error && (
        <p className="error" role="alert">
          {s.error}
        </p>
      )}
      <div className="vhead" aria-hidden="true">
        <span>Number</span>
        <span>Time</span>
        <span>Customer</span>
        <span className="money">Amount</span>
        <span>Source</span>
        <span>Status</span>
        <span />
      </div>
      <VirtualList<InvoiceSummary>
        label="Invoices of the day"
        count={s.total}
        rowHeight={34}
        items={s.rows}
        onRange={ensure}
        compact={selected !== null}
        selected={selectedIndex}
        onActivate={(i) => {
          const r = s.rows[i];
          if (r) setSelected(r.irn);
        }}
        row={(r) =>
          r ? (
            <>
              <span className="mono">{r.invoice_number}</span>
              <span className="num">{lagosTime(r.issued_at)}</span>
              <span>
                {r.customer ?? <span className="muted">walk-in</span>}
                {r.b2b ? ' · B2B' : ''}
              </span>
              <span className="money">{naira(r.kind === 'credit_note' ? -r.payable_kobo : r.payable_kobo)}</span>
              <span className="small">{r.source}</span>
              <span>
                <StatusBadge status={r.status} b2b={r.b2b} />
              </span>
              <span>
                {r.kind === 'credit_note' && (
                  <span className="badge info" title={`credit note of ${r.original_irn}`}>
                    CN
                  </span>
                )}
                {r.demo && <DemoBadge />}
              </span>
            </>
          ) : (
            <span className="muted">…</span>
          )
        }
      />
      {selected && <InvoiceDetailView irn={selected} onClose={() => setSelected(null)} />}
    </div>
  );
}
