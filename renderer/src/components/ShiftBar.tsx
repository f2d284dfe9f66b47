// The till's shift strip: who has the drawer since when, or "no open shift", and the button
// (F6) that opens the shift dialog (./ShiftPanel.tsx). Refreshed as the day's sales change.
import { useEffect, useState } from 'react';
import { invoke } from '../api/client';
import type { ShiftReport } from '../../../shared/shifts/report';
import { useTill } from '../stores/till';
import { lagosTime, naira } from '../lib/format';
import { ShiftPanel } from './ShiftPanel';
import '../shift.css';

export function ShiftBar() {
  const [report, setReport] = useState<ShiftReport | null | undefined>(undefined);
  const [required, setRequired] = useState(false);
  const [open, setOpen] = useState(false);
  const count = useTill((s) => s.invoices.length);
  useEffect(() => {
    let live = true;
    invoke('shift.current', {}).then(
      (r) => {
        if (!live) return;
        setReport(r.report);
        setRequired(r.require_open);
      },
      () => undefined, // advisory: the till sells without it unless the shop requires a shift (then the sale says so)
    );
    return () => {
      live = false;
    };
  }, [count, open]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'F6') {
        e.preventDefault();
        setOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  if (report === undefined) return null;
  const cash = report?.methods.find((l) => l.method === 'cash');
  return (
    <div className={`shift-bar row small ${report ? '' : required ? 'required' : 'none'}`} data-testid="shift-bar">
      <span data-testid="shift-status">
        {report
          ? `Shift open since ${lagosTime(report.shift.opened_at / 1000)} · drawer ${naira(cash?.expected_kobo ?? 0)}`
          : required
            ? 'No open shift: open one to sell'
            : 'No open shift'}
      </span>
      <span className="spacer" />
      <button type="button" onClick={() => setOpen(true)}>
        {report ? 'Shift' : 'Open shift'} <kbd>F6</kbd>
      </button>
      {open && <ShiftPanel onClose={() => setOpen(false)} onChange={setReport} />}
    </div>
  );
}
