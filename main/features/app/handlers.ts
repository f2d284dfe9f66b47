// The app's lifecycle channels: state, first setup, the demo store, the manager unlock.
import { AppError, handlers } from '../handler';
import { tillCashier } from '../common';

export const appHandlers = handlers({
  'app.state': (_req, { services, session }) => services.appState(session.isUnlocked(), tillCashier(services, session) ?? null),

  'setup.configure': async (req, { services, session }) => {
    const configured = services.ledger.getBusiness() && !services.isDemo;
    if (configured && !session.isUnlocked())
      throw new AppError('locked', 'this terminal is already set up: unlock with the manager PIN to change it');
    await services.configure(req.business, req.cryptoKeys, req.managerPin);
    if (req.printer) services.settings.set('printer', req.printer);
    if (req.firs) {
      if (req.firs.baseUrl) services.settings.set('firs', { baseUrl: req.firs.baseUrl });
      if (req.firs.apiKey) services.secrets.set('firs.apiKey', req.firs.apiKey);
      if (req.firs.apiSecret) services.secrets.set('firs.apiSecret', req.firs.apiSecret);
    }
    if (req.printer || req.firs) await services.restartBackground();
    // The manager area asks for the PIN even right after setup: whoever stands at the till next
    // must not find it open (issue 14). The till itself opens at once.
    session.lock();
    const state = services.appState(false);
    services.emit('app.changed', state);
    services.pushStatus();
    return state;
  },

  'setup.startDemo': async (req, { services, session }) => {
    const pin = await services.startDemo(req.managerPin, req.feed ?? true);
    session.lock();
    const state = services.appState(false);
    services.emit('app.changed', state);
    services.pushStatus();
    return { state, managerPin: pin };
  },

  'demo.sale': (_req, { services }) => ({ invoice: services.demoSale() }),

  'manager.unlock': (req, { services, session }) => {
    const r = services.pin.check(req.pin);
    if (!r.ok) return { unlocked: false, message: r.message, ...(r.retryAfterS ? { retryAfterS: r.retryAfterS } : {}) };
    return { unlocked: true, expiresAt: session.unlock() };
  },

  'manager.lock': (_req, { session }) => {
    session.lock();
    return { unlocked: false as const };
  },

  'cashier.signIn': (req, { services, session }) => {
    const r = services.pin.signIn(req.name, req.pin);
    if (!r.ok) return { signedIn: false, message: r.message, ...(r.retryAfterS ? { retryAfterS: r.retryAfterS } : {}) };
    session.signInCashier(r.cashier!);
    return { signedIn: true, cashier: r.cashier! };
  },

  'cashier.signOut': (_req, { session }) => {
    session.signOutCashier();
    return { signedIn: false as const };
  },
});
