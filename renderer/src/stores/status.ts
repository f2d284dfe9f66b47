// The connection strip's data: the service's status snapshot (pushed on change) and whether
// this screen can reach the service at all.
import { create } from 'zustand';
import { invoke, on, onLink, type LinkState } from '../api/client';
import type { Response } from '../../../shared/ipc/contract';
import { message } from '../lib/errors';

export type StatusSnapshot = Response<'status.get'>;

interface StatusState {
  link: LinkState;
  status: StatusSnapshot | null;
  error: string | null;
  refresh(): Promise<void>;
  start(): () => void;
}

export const useStatus = create<StatusState>((set, get) => ({
  link: 'connecting',
  status: null,
  error: null,
  async refresh() {
    try {
      set({ status: await invoke('status.get', {}), error: null });
    } catch (e) {
      set({ error: message(e) });
    }
  },
  start() {
    const offs = [
      on('status.changed', (s) => set({ status: s as StatusSnapshot })),
      onLink((link) => {
        set({ link });
        if (link === 'open') void get().refresh();
      }),
    ];
    // Ages grow while nothing happens: re-read now and then so the 12 h/20 h colours move on their own.
    const timer = setInterval(() => void get().refresh(), 30_000);
    void get().refresh();
    return () => {
      offs.forEach((off) => off());
      clearInterval(timer);
    };
  },
}));
