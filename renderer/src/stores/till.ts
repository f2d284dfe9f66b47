// The till: today's invoices as they arrive (pushed), the selected one's receipt preview, and
// the cashier's actions (manual sale, print, reprint, refund).
import { create } from 'zustand';
import { invoke, on, onLink } from '../api/client';
import type { InvoiceSummary, Request, Response } from '../../../shared/ipc/contract';
import type { Sale } from '../../../shared/domain/sale';
import { lagosToday } from '../lib/format';
import { message } from '../lib/errors';
import { useStatus } from './status';

export type InvoiceRow = InvoiceSummary;
export type Preview = Response<'receipt.preview'>;

interface TillStore {
  day: string;
  invoices: InvoiceRow[];
  selected: string | null; // IRN
  preview: (Preview & { irn: string }) | null;
  /** The QR string of the selected invoice, when the printer preview is not available. */
  qr: string | null;
  previewError: string | null;
  busy: boolean;
  error: string | null;
  notice: string | null;
  load(): Promise<void>;
  select(irn: string | null): Promise<void>;
  /** `managerPin` approves a discount above the till's limit for this sale only. */
  createManual(sale: Sale, managerPin?: string): Promise<boolean>;
  print(irn: string): Promise<void>;
  reprint(irn: string): Promise<void>;
  refund(req: Request<'invoices.refund'>): Promise<boolean>;
  start(): () => void;
}

function upsert(list: InvoiceRow[], row: InvoiceRow): InvoiceRow[] {
  const i = list.findIndex((r) => r.irn === row.irn);
  if (i === -1) return [row, ...list];
  const copy = list.slice();
  copy[i] = row;
  return copy;
}

export const useTill = create<TillStore>((set, get) => ({
  day: lagosToday(),
  invoices: [],
  selected: null,
  preview: null,
  qr: null,
  previewError: null,
  busy: false,
  error: null,
  notice: null,
  async load() {
    const day = lagosToday();
    try {
      // Newest first: the cashier looks for the sale that just happened.
      const res = await invoke('invoices.listByDay', { date: day, order: 'desc', limit: 200 });
      set({ day, invoices: res.items, error: null });
    } catch (e) {
      set({ error: message(e) });
    }
  },
  async select(irn) {
    set({ selected: irn, preview: null, qr: null, previewError: null });
    if (!irn) return;
    try {
      const preview = await invoke('receipt.preview', { irn, copy: false });
      if (get().selected === irn) set({ preview: { ...preview, irn }, qr: preview.qr });
    } catch (e) {
      if (get().selected !== irn) return;
      set({ previewError: message(e) });
      // No printer preview: the QR still comes from the ledger, so the cashier can show it.
      try {
        const detail = await invoke('invoices.get', { irn });
        if (get().selected === irn) set({ qr: detail.qr });
      } catch {
        /* the preview error already says what is wrong */
      }
    }
  },
  async createManual(sale, managerPin) {
    set({ busy: true, error: null, notice: null });
    try {
      const res = await invoke('sales.createManual', { sale, ...(managerPin ? { managerPin } : {}) });
      set((s) => ({ invoices: upsert(s.invoices, res.invoice), notice: `Invoice ${res.invoice.invoice_number} issued` }));
      void useStatus.getState().refresh(); // the queue just grew: the strip shows it now, not at the next push
      await get().select(res.invoice.irn);
      return true;
    } catch (e) {
      set({ error: message(e) });
      return false;
    } finally {
      set({ busy: false });
    }
  },
  async print(irn) {
    set({ error: null, notice: null });
    try {
      await invoke('receipt.print', { irn });
      set({ notice: 'Sent to the printer' });
    } catch (e) {
      set({ error: message(e) });
    }
  },
  async reprint(irn) {
    set({ error: null, notice: null });
    try {
      await invoke('receipt.reprint', { irn });
      const preview = await invoke('receipt.preview', { irn, copy: true });
      set({
        selected: irn,
        preview: { ...preview, irn },
        qr: preview.qr,
        previewError: null,
        notice: 'Reprint (COPY) sent to the printer',
      });
    } catch (e) {
      set({ error: message(e) });
    }
  },
  async refund(req) {
    set({ busy: true, error: null, notice: null });
    try {
      const res = await invoke('invoices.refund', req);
      set((s) => ({ invoices: upsert(s.invoices, res.invoice), notice: `Credit note ${res.invoice.invoice_number} issued` }));
      // The original's row now shows "partly refunded ₦…": re-read its figures from the ledger.
      await get().load();
      void useStatus.getState().refresh();
      await get().select(res.invoice.irn);
      return true;
    } catch (e) {
      set({ error: message(e) });
      return false;
    } finally {
      set({ busy: false });
    }
  },
  start() {
    let reconnecting = false;
    const offs = [
      on('invoice.issued', (p) => {
        const row = p;
        // A credit note (a refund from any terminal or window) changes its original's "refunded"
        // figure: re-read the day when the original is on it.
        if (row.kind === 'credit_note' && row.original_irn && get().invoices.some((r) => r.irn === row.original_irn)) void get().load();
        if (row.issue_date !== get().day) return;
        set((s) => ({ invoices: upsert(s.invoices, row) }));
      }),
      on('invoice.updated', (p) => {
        const row = p;
        set((s) => (s.invoices.some((r) => r.irn === row.irn) ? { invoices: upsert(s.invoices, row) } : {}));
      }),
      // Events missed while the link was down are not replayed: re-read the day when it is back.
      onLink((link) => {
        if (link === 'open' && reconnecting) void get().load();
        if (link === 'closed') reconnecting = true;
      }),
    ];
    void get().load();
    // Midnight in Lagos: the till moves on to the new day's list.
    const timer = setInterval(() => {
      if (lagosToday() !== get().day) void get().load();
    }, 60_000);
    return () => {
      offs.forEach((off) => off());
      clearInterval(timer);
    };
  },
}));
