// Manager → Till: the sale amount above which the till asks before issuing, and the discount (%
// of a line) above which the till needs the manager's PIN (blank: never).
import { useEffect, useState } from 'react';
import { invoke } from '../../api/client';
import { parseMoneyEntry } from '../../../../shared/catalogue/money-entry';
import { formatKobo } from '../../../../shared/domain/money';
import { naira } from '../../lib/format';
import { message } from '../../lib/errors';
import { handleLocked } from '../../stores/invoices';

export function TillSettings() {
  const [value, setValue] = useState('');
  const [saved, setSaved] = useState<number | null>(null);
  const [pct, setPct] = useState('');
  const [savedPct, setSavedPct] = useState<number | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    invoke('till.settings', {}).then(
      (r) => {
        setSaved(r.confirm_above_kobo);
        setSavedPct(r.discount_approval_above_pct);
        // A manager who typed before the setting arrived keeps what they typed.
        setValue((typed) => (typed === '' ? formatKobo(r.confirm_above_kobo) : typed));
        setPct((typed) => (typed === '' && r.discount_approval_above_pct !== null ? String(r.discount_approval_above_pct) : typed));
      },
      (e) => setError(message(e)),
    );
  }, []);
  const save = async () => {
    setError(null);
    try {
      const limit = pct.trim().replace(/%$/, '');
      if (limit && !/^\d{1,3}(\.\d{1,2})?$/.test(limit)) throw new Error('Discount limit must be a percentage like 10 or 12.5');
      const r = await invoke('till.saveSettings', {
        confirm_above_kobo: parseMoneyEntry(value),
        discount_approval_above_pct: limit ? Number(limit) : null,
      });
      setSaved(r.confirm_above_kobo);
      setSavedPct(r.discount_approval_above_pct);
    } catch (e) {
      if (!handleLocked(e)) setError(message(e));
    }
  };
  return (
    <div className="stack" data-testid="till-settings">
      <label>
        Ask before charging a sale above (₦)
        <input aria-label="Confirm above" inputMode="decimal" value={value} onChange={(e) => setValue(e.target.value)} />
      </label>
      <label>
        Manager PIN for a discount above (% of a line; blank: never)
        <input aria-label="Discount approval above" inputMode="decimal" value={pct} onChange={(e) => setPct(e.target.value)} />
      </label>
      <div className="row">
        <button type="button" className="primary" onClick={() => void save()}>
          Save
        </button>
        {saved !== null && (
          <span className="muted" data-testid="till-settings-now">
            Now: {naira(saved)}
            {savedPct !== undefined && ` · discounts above ${savedPct === null ? '(never)' : `${savedPct}%`} need the manager`}
          </span>
        )}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
