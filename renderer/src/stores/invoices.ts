// Manager's day view: one day's invoices with search and filters, fetched in pages as the
// virtualised list scrolls (a day can hold 10,000+ invoices; only visible pages are loaded).
import { create } from 'zustand';
import { invoke, ApiError } from '../api/client';
import type { InvoiceSummary, Request } from '../../../shared/ipc/contract';
import { lagosToday } from '../lib/format';
import { message } from '../lib/errors';
import { useApp } from './app';

export const PAGE = 500;

export type Filters = Pick<Request<'invoices.listByDay'>, 'search' | 'source' | 'status' | 'method' | 'party' | 'kind'>;

interface InvoicesStore {
  date: string;
  filters: Filters;
  total: number;
  totals: { payable_kobo: number; tax_kobo: number } | null;
  rows: (InvoiceSummary | undefined)[];
  generation: number; // bumps when the query changes, so late pages of an old query are dropped
  loading: Set<number>;
  error: string | null;
  setDate(date: string): void;
  setFilters(f: Filters): void;
  reload(): Promise<void>;
  ensure(from: number, to: number): void;
}

/** A manager channel said "locked": the session lapsed, so the PIN gate comes back. */
export function handleLocked(e: unknown): boolean {
  if (e instanceof ApiError && e.code === 'locked') {
    useApp.getState().lockedOut();
    return true;
  }
  return false;
}

export const useInvoices = create<InvoicesStore>((set, get) => {
  const fetchPage = async (page: number, generation: number) => {
    const { date, filters } = get();
    set((s) => ({ loading: new Set(s.loading).add(page) }));
    try {
      // Newest first, like the till: the sale just made is at the top.
      const res = await invoke('invoices.listByDay', { date, ...filters, order: 'desc', limit: PAGE, offset: page * PAGE });
      if (get().generation !== generation) return;
      set((s) => {
        const rows = s.rows.length === res.total ? s.rows.slice() : Array.from({ length: res.total }, (_, i) => s.rows[i]);
        res.items.forEach((item, i) => {
          rows[page * PAGE + i] = item;
        });
        return { rows, total: res.total, totals: res.totals, error: null };
      });
    } catch (e) {
      if (!handleLocked(e) && get().generation === generation) set({ error: message(e) });
    } finally {
      set((s) => {
        const loading = new Set(s.loading);
        loading.delete(page);
        return { loading };
      });
    }
  };
  return {
    date: lagosToday(),
    filters: {},
    total: 0,
    totals: null,
    rows: [],
    generation: 0,
    loading: new Set(),
    error: null,
    setDate(date) {
      set({ date });
      void get().reload();
    },
    setFilters(filters) {
      set({ filters });
      void get().reload();
    },
    async reload() {
      const generation = get().generation + 1;
      set({ generation, rows: [], total: 0, totals: null, loading: new Set(), error: null });
      await fetchPage(0, generation);
    },
    ensure(from, to) {
      const { rows, loading, generation, total } = get();
      for (let page = Math.floor(from / PAGE); page <= Math.floor(Math.min(to, total - 1) / PAGE); page++) {
        if (page < 0 || loading.has(page) || rows[page * PAGE] !== undefined) continue;
        void fetchPage(page, generation);
      }
    },
  };
});
