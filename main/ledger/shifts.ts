// Till shifts and their cash drawer (migration 023-shifts). A shift's sales are read from the
// chain range it covers — (open_head, close_head], on the invoices' primary key — filtered to the
// cashier's till invoices, and summed per payment method from each decoded sale: a busy day's
// other invoices are never read.
import { z } from 'zod';
import type { Db } from './database';
import { prepared } from './prepared';
import { col, many, one } from './rows';
import { decodeSale } from './invoice-body';
import { parseKobo } from '../../shared/domain/money';
import { PAYMENT_METHODS } from '../../shared/domain/payment-means';
import type { ShiftTakings } from '../../shared/shifts/cash-up';
import { ShiftReportSchema, type CashMove, type Shift, type ShiftReport } from '../../shared/shifts/report';

const ShiftRow = z.object({
  id: col.int,
  terminal: col.text,
  cashier: col.text.nullable(),
  day: col.text,
  opened_at: col.int,
  open_head: col.int,
  float_kobo: col.int,
  closed_at: col.int.nullable(),
  closed_by: col.text.nullable(),
  close_head: col.int.nullable(),
});
export type ShiftRecord = z.output<typeof ShiftRow> & Shift;

const MoveRow = z
  .object({ id: col.int, kind: z.enum(['in', 'out']), amount_kobo: col.int, reason: col.text, by_name: col.text.nullable(), at: col.int })
  .transform(({ by_name, ...m }): CashMove => ({ ...m, by: by_name }));

const SELECT = `SELECT s.id, s.terminal, s.cashier, s.day, s.opened_at, s.open_head, s.float_kobo,
  c.closed_at, c.closed_by, c.close_head FROM shifts s LEFT JOIN shift_closes c ON c.shift_id = s.id`;

/**
 * The till invoices in a chain range. Till sales and their credit notes are the 'manual' source
 * ('demo' in the demo store); imports from other POSes never went through this drawer.
 */
// `+source`: without the unary plus SQLite prefers the (source, external_id) index, which reads
// every till sale ever made; the range on the primary key reads only the shift's.
const SHIFT_INVOICES = `SELECT counter, type, payable_kobo, tip_kobo, dictionary_id, body FROM invoices
  WHERE counter > @from AND counter <= @to AND +source IN ('manual', 'demo') AND currency = 'NGN'`;

/** The shift's query (exported so a test can check its plan reads the chain range on its key). */
export const SHIFT_QUERIES = { invoices: SHIFT_INVOICES } as const;

const ShiftInvoice = z.object({
  counter: col.int,
  type: z.enum(['380', '381']),
  payable_kobo: col.int,
  tip_kobo: col.int,
  dictionary_id: col.int,
  body: z.instanceof(Buffer),
});

/** What a shift's sum needs of the stored sale (the canonical sale's own field names). */
const SalePart = z.object({
  cashier: z.string().optional(),
  on_credit: z.boolean().optional(),
  payments: z.array(z.object({ method: z.enum(PAYMENT_METHODS), amount: z.string() })),
});

export class Shifts {
  constructor(private readonly db: Db) {}

  /** The chain head: the newest invoice counter (0 before the first). */
  head(): number {
    return one(z.object({ n: col.int }), 'chain head', prepared(this.db, 'SELECT COALESCE(MAX(counter), 0) AS n FROM invoices'))!.n;
  }

  get(id: number): ShiftRecord | undefined {
    return one(ShiftRow, 'shifts', prepared(this.db, `${SELECT} WHERE s.id = ?`), id);
  }

  /** The cashier's open shift on this terminal (null cashier: the shop without cashier PINs). */
  openFor(terminal: string, cashier: string | null): ShiftRecord | undefined {
    return one(
      ShiftRow,
      'shifts',
      prepared(this.db, `${SELECT} WHERE s.terminal = ? AND s.cashier IS ? AND c.shift_id IS NULL ORDER BY s.id DESC LIMIT 1`),
      terminal,
      cashier,
    );
  }

  /** The shifts opened on a Lagos day, oldest first. */
  byDay(day: string): ShiftRecord[] {
    return many(ShiftRow, 'shifts', prepared(this.db, `${SELECT} WHERE s.day = ? ORDER BY s.id`), day);
  }

  /** Opens a shift at the current chain head (one IMMEDIATE transaction: no sale slips in between). */
  open(o: { terminal: string; cashier: string | null; day: string; at: number; float_kobo: number }): ShiftRecord {
    const tx = this.db.transaction((): number => {
      const r = prepared(
        this.db,
        `INSERT INTO shifts (terminal, cashier, day, opened_at, open_head, float_kobo) VALUES (@terminal, @cashier, @day, @at, @head, @float_kobo)`,
      ).run({ ...o, head: this.head() });
      return Number(r.lastInsertRowid);
    });
    return this.get(tx.immediate())!;
  }

  addMove(shiftId: number, m: { kind: 'in' | 'out'; amount_kobo: number; reason: string; by: string | null; at: number }): CashMove {
    const r = prepared(
      this.db,
      'INSERT INTO shift_cash_moves (shift_id, kind, amount_kobo, reason, by_name, at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(shiftId, m.kind, m.amount_kobo, m.reason, m.by, m.at);
    return { id: Number(r.lastInsertRowid), kind: m.kind, amount_kobo: m.amount_kobo, reason: m.reason, by: m.by, at: m.at };
  }

  moves(shiftId: number): CashMove[] {
    return many(
      MoveRow,
      'shift cash moves',
      prepared(this.db, 'SELECT id, kind, amount_kobo, reason, by_name, at FROM shift_cash_moves WHERE shift_id = ? ORDER BY id'),
      shiftId,
    );
  }

  /**
   * What the cashier's till invoices in (from, to] took and paid back, per method. The sale texts
   * are stored compressed (migration 022), so the cashier and the payments are read from each
   * decoded sale of the range: one shift's invoices, never the day's or the ledger's.
   */
  takings(cashier: string | null, from: number, to: number): ShiftTakings {
    const out: ShiftTakings = { sales: {}, refunds: {}, change: 0, sales_count: 0, refunds_count: 0, sales_kobo: 0, refunds_kobo: 0 };
    // all() rather than iterate(): decoding may read the ledger's dictionaries on this connection.
    for (const inv of many(ShiftInvoice, 'shift invoices', prepared(this.db, SHIFT_INVOICES), { from, to })) {
      const sale = SalePart.parse(decodeSale(this.db, inv.dictionary_id, inv.body));
      if ((sale.cashier ?? null) !== cashier) continue;
      const sums = inv.type === '381' ? out.sales : out.refunds;
      let paid = 0;
      for (const p of sale.payments) {
        const kobo = parseKobo(p.amount, 'payment amount');
        sums[p.method] = (sums[p.method] ?? 0) + kobo;
        paid += kobo;
      }
      if (inv.type === '381') {
        out.sales_count += 1;
        out.sales_kobo += inv.payable_kobo;
        // Change: what was tendered above the total and tip (a sale on credit gives none), as
        // shared/domain/totals.ts computes it at the sale.
        if (!sale.on_credit) out.change += Math.max(0, paid - inv.tip_kobo - inv.payable_kobo);
      } else {
        out.refunds_count += 1;
        out.refunds_kobo += inv.payable_kobo;
      }
    }
    return out;
  }

  /**
   * Closes a shift once, at the current chain head, storing the report `build` computes for that
   * range — all in one IMMEDIATE transaction, so no sale or cash entry slips between the figures
   * and the close. Closing an already closed shift is refused (its close never changes).
   */
  close(
    shiftId: number,
    o: { at: number; by: string | null; counted_json: string },
    build: (closeHead: number) => ShiftReport,
  ): ShiftReport {
    const tx = this.db.transaction((): ShiftReport => {
      const s = this.get(shiftId);
      if (!s) throw new Error(`shift ${shiftId} does not exist`);
      if (s.closed_at !== null) throw new ShiftClosed(shiftId);
      const head = this.head();
      const report = build(head);
      prepared(
        this.db,
        'INSERT INTO shift_closes (shift_id, closed_at, close_head, closed_by, counted_json, report_json) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(shiftId, o.at, head, o.by, o.counted_json, JSON.stringify(report));
      return report;
    });
    return tx.immediate();
  }

  /** The report stored at the close, exactly as it was then. */
  closedReport(shiftId: number): ShiftReport | undefined {
    const row = one(
      z.object({ report_json: col.json }),
      'shift close',
      prepared(this.db, 'SELECT report_json FROM shift_closes WHERE shift_id = ?'),
      shiftId,
    );
    return row ? ShiftReportSchema.parse(row.report_json) : undefined;
  }
}

export class ShiftClosed extends Error {
  constructor(readonly shiftId: number) {
    super(`shift ${shiftId} is closed: a closed shift never changes`);
    this.name = 'ShiftClosed';
  }
}
