// A discount above the till's limit: the manager types their PIN here to approve this one sale.
// Main checks the PIN (same wrong-PIN throttle as every PIN) and unlocks nothing else.
import { useState, type FormEvent } from 'react';
import { PIN_PATTERN } from '../../../shared/domain/limits';
import { applyPadKey, NumberPad } from './NumberPad';

export function ManagerApproval({
  reason,
  onApprove,
  onCancel,
}: {
  reason: string;
  onApprove: (pin: string) => void;
  onCancel: () => void;
}) {
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!PIN_PATTERN.test(pin)) {
      setError('The PIN is 4 to 8 digits');
      return;
    }
    onApprove(pin);
  };
  // "lines[0].discount: ₦… off "Rice" is 15%, above …": the field path is for scripts, not the cashier.
  const words = reason.replace(/^lines\[\d+\]\.discount: /, '');
  return (
    <form
      className="approval"
      role="dialog"
      aria-label="Manager approval"
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
    >
      <p data-testid="approval-reason">{words.charAt(0).toUpperCase() + words.slice(1)}.</p>
      <label>
        Manager PIN
        <input
          type="password"
          inputMode="numeric"
          autoComplete="off"
          autoFocus
          aria-label="Manager PIN for the discount"
          value={pin}
          onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))}
        />
      </label>
      <NumberPad label="Approval number pad" onKey={(k) => setPin((p) => applyPadKey(p, k, 8))} />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="row">
        <button type="button" onClick={onCancel}>
          Cancel <kbd>Esc</kbd>
        </button>
        <button type="submit" className="primary">
          Approve and charge
        </button>
      </div>
    </form>
  );
}
