// Manager → Shifts: every shift opened on a day, per cashier, with float, sales, expected and
// counted cash and over/short; a row opens the full report. And the shop's rule
// "require an open shift to sell".
import { useEffect, useState } from 'react';
import { invoke } from '../../api/client';
import type { ShiftReport } from '../../../../shared/shifts/report';
import { overShortWords } from '../../../../shared/shifts/cash-up';
import { lagosTime, lagosToday, naira } from '../../lib/format';
import { message } from '../../lib/errors';
import { handleLocked } from '../../stores/invoices';
import { overShortClass, ShiftReportView } from '../../components/ShiftReportView';
import '../../shift.css';

export function Shifts() {
  const [date, setDate] = useState(lagosToday());
  const [shifts, setShifts] = useState<ShiftReport[] | null>(null);
  const [shown, setShown] = useState<number | null>(null);
  const [requireOpen, setRequireOpen] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setShifts(null);
    invoke('shift.list', { date }).then(
      (r) => setShifts(r.shifts),
      (e) => {
        if (!handleLocked(e)) setError(message(e));
      },
    );
  }, [date]);
  useEffect(() => {
    invoke('shift.settings', {}).then(
      (r) => setRequireOpen(r.require_open),
      (e) => setError(message(e)),
    );
  }, []);

  const saveRequire = async (v: boolean) => {
    setError(null);
    try {
      setRequireOpen((await invoke('shift.saveSettings', { require_open: v })).require_open);
    } catch (e) {
      if (!handleLocked(e)) setError(message(e));
    }
  };

  const report = shifts?.find((s) => s.shift.id === shown);
  return (
    <div className="stack" data-testid="manager-shifts">
      <div className="row">
        <label>
          Day <input type="date" aria-label="Shifts day" value={date} onChange={(e) => e.target.value && setDate(e.target.value)} />
        </label>
        <span className="spacer" />
        {requireOpen !== null && (
          <label className="choice">
            <input
              type="checkbox"
              aria-label="Require an open shift to sell"
              checked={requireOpen}
              onChange={(e) => void saveRequire(e.target.checked)}
            />{' '}
            Require an open shift to sell
          </label>
        )}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {shifts && shifts.length === 0 && <p className="muted">No shift was opened on {date}.</p>}
      {shifts && shifts.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Cashier</th>
                <th>Opened</th>
                <th>Closed</th>
                <th className="money">Float</th>
                <th className="money">Sales</th>
                <th className="money">Cash expected</th>
                <th className="money">Cash counted</th>
                <th className="money">Over/short</th>
              </tr>
            </thead>
            <tbody>
              {shifts.map((r) => {
                const cash = r.methods.find((l) => l.method === 'cash')!;
                return (
                  <tr
                    key={r.shift.id}
                    data-testid="shift-row"
                    aria-selected={shown === r.shift.id}
                    className="clickable"
                    onClick={() => setShown(shown === r.shift.id ? null : r.shift.id)}
                  >
                    <td>{r.shift.cashier ?? 'Till'}</td>
                    <td>{lagosTime(r.shift.opened_at / 1000)}</td>
                    <td>{r.shift.closed_at === null ? 'open' : lagosTime(r.shift.closed_at / 1000)}</td>
                    <td className="money">{naira(r.shift.float_kobo)}</td>
                    <td className="money">{naira(r.sales_kobo - r.refunds_kobo)}</td>
                    <td className="money">{naira(cash.expected_kobo)}</td>
                    <td className="money">{cash.counted_kobo === null ? '—' : naira(cash.counted_kobo)}</td>
                    <td className={`money ${overShortClass(r.over_short_kobo)}`} data-testid="shift-row-over-short">
                      {r.over_short_kobo === null ? '—' : overShortWords(r.over_short_kobo)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {report && <ShiftReportView report={report} />}
    </div>
  );
}
