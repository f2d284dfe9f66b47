// Day summary: gross, net, VAT per category, payments per method, sales by hour.
import { useEffect, useState } from 'react';
import { invoke } from '../../api/client';
import type { DaySummary as Summary } from '../../../../shared/ipc/contract';
import { HourChart } from '../../components/HourChart';
import { lagosToday, naira } from '../../lib/format';
import { message } from '../../lib/errors';
import { handleLocked } from '../../stores/invoices';
import { PAYMENT_LABELS } from '../../lib/sale-draft';

const VAT_LABEL: Record<string, string> = {
  STANDARD_VAT: 'Standard VAT',
  REDUCED_VAT: 'Reduced VAT',
  ZERO_VAT: 'Zero-rated',
  EXEMPTED: 'Exempt',
};

export function SummaryFigures({ s }: { s: Summary }) {
  return (
    <div className="stack">
      <div className="cards">
        <div className="card">
          <div className="label">Gross (incl. VAT)</div>
          <div className="value money" data-testid="sum-gross">
            {naira(s.gross_kobo)}
          </div>
        </div>
        <div className="card">
          <div className="label">Net</div>
          <div className="value money" data-testid="sum-net">
            {naira(s.net_kobo)}
          </div>
        </div>
        <div className="card">
          <div className="label">VAT</div>
          <div className="value money" data-testid="sum-vat">
            {naira(s.total.tax_kobo)}
          </div>
        </div>
        <div className="card">
          <div className="label">Invoices / credit notes</div>
          <div className="value num" data-testid="sum-count">
            {s.sales.count} / {s.credits.count}
          </div>
        </div>
      </div>
      <div className="grid2">
        <table aria-label="VAT per category">
          <thead>
            <tr>
              <th>VAT category</th>
              <th>Rate</th>
              <th className="money">Taxable</th>
              <th className="money">VAT</th>
            </tr>
          </thead>
          <tbody>
            {s.vat.map((v) => (
              <tr key={`${v.category}${v.rate}`}>
                <td>{VAT_LABEL[v.category] ?? v.category}</td>
                <td>{v.rate}%</td>
                <td className="money">{naira(v.taxable_kobo)}</td>
                <td className="money">{naira(v.tax_kobo)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table aria-label="Payments per method">
          <thead>
            <tr>
              <th>Payment</th>
              <th>Count</th>
              <th className="money">Amount</th>
            </tr>
          </thead>
          <tbody>
            {s.payments.map((p) => (
              <tr key={p.method}>
                <td>{PAYMENT_LABELS[p.method]}</td>
                <td className="num">{p.count}</td>
                <td className="money">{naira(p.amount_kobo)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function DaySummary() {
  const [date, setDate] = useState(lagosToday());
  const [s, setS] = useState<Summary | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setError(null);
    invoke('reports.daySummary', { date }).then(setS, (e) => {
      if (!handleLocked(e)) setError(message(e));
    });
  }, [date]);
  return (
    <div className="stack" data-testid="day-summary">
      <div className="filters">
        <label>
          Day
          <input type="date" aria-label="Summary day" value={date} onChange={(e) => e.target.value && setDate(e.target.value)} />
        </label>
        {s?.demo && <span className="badge demo">DEMO</span>}
      </div>
      {error && <p className="error">{error}</p>}
      {s && (
        <>
          <SummaryFigures s={s} />
          <h3>Sales by hour (Lagos)</h3>
          <HourChart hourly={s.hourly} />
        </>
      )}
    </div>
  );
}
