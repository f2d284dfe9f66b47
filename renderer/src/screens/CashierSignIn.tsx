// "Who is at the till?" for shops with cashier PINs: pick your name, enter your PIN (keyboard or
// the on-screen number pad on a touch screen). Main checks the PIN (shared wrong-PIN throttle)
// and remembers the cashier for this window/browser; every sale then carries the name.
import { useRef, useState, type FormEvent } from 'react';
import { PIN_PATTERN } from '../../../shared/domain/limits';
import { useApp } from '../stores/app';
import { message } from '../lib/errors';
import { applyPadKey, NumberPad } from '../components/NumberPad';

export function CashierSignIn({ cashiers }: { cashiers: string[] }) {
  const signIn = useApp((s) => s.signIn);
  const [name, setName] = useState<string | null>(cashiers.length === 1 ? cashiers[0]! : null);
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pinInput = useRef<HTMLInputElement>(null);

  const choose = (n: string) => {
    setName(n);
    setError(null);
    pinInput.current?.focus();
  };
  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (!name) {
      setError('Choose your name first');
      return;
    }
    if (!PIN_PATTERN.test(pin)) {
      setError('The PIN is 4 to 8 digits');
      pinInput.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const why = await signIn(name, pin);
      if (why) {
        setError(why);
        setPin('');
        pinInput.current?.focus();
      }
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="signin panel" onSubmit={(e) => void submit(e)} aria-label="Cashier sign-in">
      <h2>Who is at the till?</h2>
      <div className="signin-names" role="group" aria-label="Cashier">
        {cashiers.map((c, i) => (
          <button
            key={c}
            type="button"
            className="signin-name"
            aria-pressed={name === c}
            autoFocus={name === null ? i === 0 : name === c}
            onClick={() => choose(c)}
          >
            {c}
          </button>
        ))}
      </div>
      <label>
        {name ? `PIN for ${name}` : 'PIN'}
        <input
          ref={pinInput}
          type="password"
          inputMode="numeric"
          autoComplete="off"
          aria-label="Cashier PIN"
          value={pin}
          onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))}
        />
      </label>
      <NumberPad onKey={(k) => setPin((p) => applyPadKey(p, k, 8))} />
      {error && (
        <p className="error" role="alert" data-testid="signin-error">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        Sign in
      </button>
    </form>
  );
}
