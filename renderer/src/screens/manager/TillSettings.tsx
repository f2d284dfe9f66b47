// Manager → Till: the sale amount above which the till asks before issuing.
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
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    invoke('till.settings', {}).then(
      (r) => {
        setSaved(r.confirm_above_kobo);
        // A manager who typed before the setting arrived keeps what they typed.
        setValue((typed) => (typed === '' ? formatKobo(r.confirm_above_kobo) : typed));
      },
      (e) => setError(message(e)),
    );
  }, []);
  const save = async () => {
    setError(null);
    try {
      const r = await invoke('till.saveSettings', { confirm_above_kobo: parseMoneyEntry(value) });
      setSaved(r.confirm_above_kobo);
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
      <div className="row">
        <button type="button" className="primary" onClick={() => void save()}>
          Save
        </button>
        {saved !== null && <span className="muted">Now: {naira(saved)}</span>}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
