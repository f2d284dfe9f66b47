// A shift's figures (X report or stored close): per payment method what was taken, paid back,
// expected, counted and over/short; the float, change, cash in/out entries. Shared by the till's
// shift dialog and the manager's Shifts screen.
import type { ShiftReport } from '../../../shared/shifts/report';
import { overShortWords } from '../../../shared/shifts/cash-up';
import { PAYMENT_LABELS } from '../lib/sale-draft';
import { lagosTime, naira } from '../lib/format';

export function overShortClass(diff: number | null): string {
  return diff === null || diff === 0 ? '' : diff > 0 ? 'over' : 'short';
}

export function ShiftReportView({ report }: { report: ShiftReport }) {
  const s = report.shift;
  return (
    <div className="shift-report" data-testid="shift-report" data-kind={report.kind}>
      <p className="small">
        <strong>{report.kind === 'X' ? 'X report (shift still open)' : 'Shift closed'}</strong> · {s.cashier ?? 'Till'} · opened{' '}
        {lagosTime(s.opened_at / 1000)}
        {s.closed_at !== null && <> · closed {lagosTime(s.closed_at / 1000)}</>} · {report.sales_count}{' '}
        {report.sales_count === 1 ? 'sale' : 'sales'} ({naira(report.sales_kobo)}), {report.refunds_count}{' '}
        {report.refunds_count === 1 ? 'refund' : 'refunds'} ({naira(report.refunds_kobo)})
      </p>
      <div className="table-wrap">
        <table className="shift-methods">
          <thead>
            <tr>
              <th>Method</th>
              <th className="money">Taken</th>
              <th className="money">Refunded</th>
              <th className="money">Expected</th>
              <th className="money">Counted</th>
              <th className="money">Over/short</th>
            </tr>
          </thead>
          <tbody>
            {report.methods.map((l) => (
              <tr key={l.method} data-testid="shift-method" data-method={l.method}>
                <td>{PAYMENT_LABELS[l.method]}</td>
                <td className="money">{naira(l.sales_kobo)}</td>
                <td className="money">{naira(l.refunds_kobo)}</td>
                <td className="money" data-testid="shift-expected">
                  {naira(l.expected_kobo)}
                </td>
                <td className="money">{l.counted_kobo === null ? '—' : naira(l.counted_kobo)}</td>
                <td className={`money ${overShortClass(l.over_short_kobo)}`} data-testid="shift-over-short">
                  {l.over_short_kobo === null ? '—' : overShortWords(l.over_short_kobo)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="small muted">
        Cash expected = float {naira(s.float_kobo)} + cash taken − change {naira(report.change_kobo)} − cash refunded + cash in{' '}
        {naira(report.cash_in_kobo)} − cash out {naira(report.cash_out_kobo)}
      </p>
      {report.moves.length > 0 && (
        <ul className="shift-moves small" aria-label="Cash in and out">
          {report.moves.map((m) => (
            <li key={m.id}>
              {lagosTime(m.at / 1000)} · {m.kind === 'in' ? 'Cash in' : 'Cash out'} {naira(m.amount_kobo)} · {m.reason}
              {m.by ? ` · ${m.by}` : ''}
            </li>
          ))}
        </ul>
      )}
      {report.over_short_kobo !== null && (
        <p className={`shift-total ${overShortClass(report.over_short_kobo)}`} data-testid="shift-total-over-short">
          Counted against expected: <strong>{overShortWords(report.over_short_kobo)}</strong>
        </p>
      )}
    </div>
  );
}
