// Parked sales: a sale put aside (the customer went to fetch something) while the next customer
// is served, resumed later exactly as it was. Kept in this window's localStorage so a reload does
// not lose them; nothing is issued until the resumed sale is charged.
import { create } from 'zustand';
import type { DraftLine, DraftSale } from '../lib/sale-draft';

export interface ParkedSale {
  draft: DraftSale;
  line: DraftLine;
  parkedAt: number;
  label: string;
}

const KEY = 'taxpoynt.till.parked';

function read(): ParkedSale[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
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
    localStorage.setItem(KEY, JSON.stringify(items));
    set({ items });
  },
  take(id) {
    const found = get().items.find((p) => p.draft.id === id);
    const items = get().items.filter((p) => p.draft.id !== id);
    localStorage.setItem(KEY, JSON.stringify(items));
    set({ items });
    return found;
  },
}));
