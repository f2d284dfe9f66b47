// Parked sales: a sale put aside (the customer went to fetch something) while the next customer
// is served, resumed later exactly as it was. Kept in localStorage under this window's own key
// (its id lives in sessionStorage, which a reload keeps and a second window does not share), so a
// reload does not lose them and another till window never sees or resumes them; nothing is issued
// until the resumed sale is charged.
import { create } from 'zustand';
import type { DraftLine, DraftSale } from '../lib/sale-draft';

export interface ParkedSale {
  draft: DraftSale;
  line: DraftLine;
  parkedAt: number;
  label: string;
}

const WINDOW_ID = 'taxpoynt.till.window';

/** This window's storage key: one list per till window. */
export function parkedKey(): string {
  let id = sessionStorage.getItem(WINDOW_ID);
  if (!id) {
    id = crypto.randomUUID();
    sessionStorage.setItem(WINDOW_ID, id);
  }
  return `taxpoynt.till.parked.${id}`;
}

function read(): ParkedSale[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(parkedKey()) ?? '[]');
    return Array.isArray(v) ? (v as ParkedSale[]) : [];
  } catch {
    return [];
  }
}

interface ParkedStore {
  items: ParkedSale[];
  park(p: ParkedSale): void;
  take(id: string): ParkedSale | undefined;
}

export const useParked = create<ParkedStore>((set, get) => ({
  items: read(),
  park(p) {
    const items = [...get().items, p];
    localStorage.setItem(parkedKey(), JSON.stringify(items));
    set({ items });
  },
  take(id) {
    const found = get().items.find((p) => p.draft.id === id);
    const items = get().items.filter((p) => p.draft.id !== id);
    localStorage.setItem(parkedKey(), JSON.stringify(items));
    set({ items });
    return found;
  },
}));
