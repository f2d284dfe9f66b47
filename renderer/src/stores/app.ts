// Session and app state: is this terminal set up (or the demo store), which screen, and is the
// manager unlocked and which cashier is signed in (the service decides; this mirrors it).
import { create } from 'zustand';
import { invoke, on, onLink, ApiError } from '../api/client';
import type { AppState, Request } from '../../../shared/ipc/contract';
import { message } from '../lib/errors';

export type Screen = 'till' | 'manager';

interface AppStore {
  state: AppState | null;
  loadError: string | null;
  screen: Screen;
  demoPin: string | null; // shown once after "Try the demo store"
  load(): Promise<void>;
  configure(req: Request<'setup.configure'>): Promise<void>;
  startDemo(): Promise<void>;
  /** null when unlocked, else the reason in words. */
  unlock(pin: string): Promise<string | null>;
  lock(): Promise<void>;
  /** A cashier signs in at this till: null when signed in, else the reason in words. */
  signIn(name: string, pin: string): Promise<string | null>;
  /** "Switch cashier": back to the sign-in screen. */
  signOut(): Promise<void>;
  go(screen: Screen): void;
  /** A manager channel answered "locked": the session expired; show the PIN gate again. */
  lockedOut(): void;
  start(): () => void;
}

export const useApp = create<AppStore>((set, get) => ({
  state: null,
  loadError: null,
  screen: 'till',
  demoPin: null,
  async load() {
    try {
      set({ state: await invoke('app.state', {}), loadError: null });
    } catch (e) {
      set({
        loadError:
          e instanceof ApiError && e.code === 'unauthorized' && !/\/login/.test(e.message)
            ? 'This browser is not signed in to the store server. Open the URL the server printed (it carries the access token) once.'
            : message(e),
      });
    }
  },
  async configure(req) {
    const state = await invoke('setup.configure', req);
    set({ state });
  },
  async startDemo() {
    const res = await invoke('setup.startDemo', { feed: true });
    set({ state: res.state, demoPin: res.managerPin });
  },
  async unlock(pin) {
    const res = await invoke('manager.unlock', { pin });
    if (!res.unlocked) {
      return res.retryAfterS ? `Too many wrong PINs: try again in ${res.retryAfterS} s` : (res.message ?? 'Wrong PIN');
    }
    set((s) => ({ state: s.state ? { ...s.state, managerUnlocked: true } : s.state }));
    return null;
  },
  async lock() {
    try {
      await invoke('manager.lock', {});
    } finally {
      set((s) => ({ screen: 'till', state: s.state ? { ...s.state, managerUnlocked: false } : s.state }));
    }
  },
  async signIn(name, pin) {
    const res = await invoke('cashier.signIn', { name, pin });
    if (!res.signedIn) {
      return res.retryAfterS ? `Too many wrong PINs: try again in ${res.retryAfterS} s` : (res.message ?? 'Wrong PIN');
    }
    set((s) => ({ screen: 'till', state: s.state ? { ...s.state, cashier: res.cashier ?? name } : s.state }));
    return null;
  },
  async signOut() {
    try {
      await invoke('cashier.signOut', {});
    } finally {
      set((s) => ({ screen: 'till', state: s.state ? { ...s.state, cashier: null } : s.state }));
    }
  },
  go(screen) {
    set({ screen });
  },
  lockedOut() {
    set((s) => ({ state: s.state ? { ...s.state, managerUnlocked: false } : s.state }));
  },
  start() {
    let dropped = false;
    const offs = [
      // Broadcast to every window: setup and mode are shared, but the manager lock is per session,
      // so this window keeps its own (a lapsed session answers "locked" and the PIN gate returns).
      // The signed-in cashier is per window too (a broadcast carries none); a removed cashier is signed out.
      on('app.changed', (state) =>
        set((s) => {
          const cashier = s.state?.cashier ?? null;
          return {
            state: {
              ...state,
              managerUnlocked: s.state?.managerUnlocked ?? false,
              cashier: cashier !== null && state.cashiers.includes(cashier) ? cashier : null,
            },
          };
        }),
      ),
      // After the service restarts, its lock state (and maybe setup) is what counts: re-read it.
      onLink((link) => {
        if (link === 'closed') dropped = true;
        else if (link === 'open' && dropped) void get().load();
      }),
    ];
    void get().load();
    return () => offs.forEach((off) => off());
  },
}));
