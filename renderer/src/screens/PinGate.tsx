// The manager screens are behind the manager PIN; main keeps the lock, this only asks.
import { useState, type FormEvent } from 'react';
import { useApp } from '../stores/app';
import { message } from '../lib/errors';

export function PinGate() {
  const unlock = useApp((s) => s.unlock);
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!/^\d{4,8}$/.test(pin)) {
      setError('The PIN is 4 to 8 digits');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const why = await unlock(pin);
      if (why) {
        setError(why);
        setPin('');
      }
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="pin panel" onSubmit={(e) => void submit(e)} aria-label="Manager unlock">
      <h2>Manager</h2>
      <p className="muted">Enter the manager PIN to see the day's invoices, reports, sync and settings.</p>
      <input
        type="password"
        inputMode="numeric"
        autoFocus
        aria-label="Manager PIN"
        value={pin}
        onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))}
      />
      {error && (
        <p className="error" role="alert" data-testid="pin-error">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        Unlock
      </button>
    </form>
  );
}
