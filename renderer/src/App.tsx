// The shell: top bar (business, DEMO, Till / Manager), the connection strip, then the screen.
import { useEffect } from 'react';
import { useApp } from './stores/app';
import { useStatus } from './stores/status';
import { useTill } from './stores/till';
import { ConnectionStrip } from './components/ConnectionStrip';
import { Setup } from './screens/Setup';
import { Till } from './screens/Till';
import { Manager } from './screens/Manager';
import { CashierSignIn } from './screens/CashierSignIn';

export function App() {
  const { state, loadError, screen, go, demoPin, signOut } = useApp();
  useEffect(() => useApp.getState().start(), []);
  useEffect(() => useStatus.getState().start(), []);
  const ready = state !== null && state.setup !== 'none';
  useEffect(() => (ready ? useTill.getState().start() : undefined), [ready]);

  if (loadError) {
    return (
      <div className="wizard">
        <h1>TaxPoynt POS</h1>
        <p className="error" role="alert">
          {loadError}
        </p>
        {/\/login/.test(loadError) && (
          <p>
            <a href="/login">Log in with the manager PIN</a>
          </p>
        )}
      </div>
    );
  }
  if (!state)
    return (
      <div className="wizard">
        <p className="muted">Starting…</p>
      </div>
    );
  if (state.setup === 'none') return <Setup />;
  // A shop with cashier PINs asks who is at the till first; a single-till shop opens the till directly.
  const needsSignIn = state.cashiers.length > 0 && !state.cashier;

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">TaxPoynt POS</span>
        {state.business && (
          <span>
            {state.business.name} · {state.business.terminal}
          </span>
        )}
        {state.setup === 'demo' && (
          <span className="badge demo" data-testid="demo-badge">
            DEMO — never reported
          </span>
        )}
        <nav aria-label="Screens">
          <button type="button" aria-current={screen === 'till' ? 'page' : undefined} onClick={() => go('till')}>
            Till
          </button>
          <button type="button" aria-current={screen === 'manager' ? 'page' : undefined} onClick={() => go('manager')}>
            Manager
          </button>
        </nav>
        <span className="spacer" />
        {state.cashier && (
          <span className="small" data-testid="signed-in-cashier">
            Cashier: <strong>{state.cashier}</strong>{' '}
            <button type="button" className="link" onClick={() => void signOut()}>
              Switch cashier
            </button>
          </span>
        )}
        {demoPin && (
          <span className="small" data-testid="demo-pin">
            Demo manager PIN: <strong>{demoPin}</strong>
          </span>
        )}
      </header>
      <ConnectionStrip />
      <main className="content">
        {screen === 'manager' ? <Manager /> : needsSignIn ? <CashierSignIn cashiers={state.cashiers} /> : <Till />}
      </main>
    </div>
  );
}
