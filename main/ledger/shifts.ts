// Till shifts and their cash drawer (migration 023-shifts). A shift's sales are read from the
// chain range it covers — (open_head, close_head], on the invoices' primary key — filtered to the
// cashier's till invoices, and summed per payment method in SQL (json_each over each sale's
// payments): a busy day's other invoices are never read, and nothing is loaded per invoice.
import { z } from 'zod';
import type { Db } from './database';
import { prepared } from './prepared';
import { col, many, one } from './rows';
import { PAYMENT_METHODS, type PaymentMethod } from '../../shared/domain/payment-means';
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

/** A payment amount string (the sale's canonical "1234.50", "7", "0.5") as exact integer kobo, in SQL. */
const KOBO = (a: string) =>
  `(CASE WHEN instr(${a}, '.') = 0 THEN CAST(${a} AS INTEGER) * 100
     ELSE CAST(substr(${a}, 1, instr(${a}, '.') - 1) AS INTEGER) * 100
          + CAST(substr(substr(${a}, instr(${a}, '.') + 1) || '00', 1, 2) AS INTEGER) END)`;

/**
 * The cashier's till invoices in the range. Till sales and their credit notes are the 'manual'
 * source ('demo' in the demo store); imports from other POSes never went through this drawer.
 */
// `+source`: without the unary plus SQLite prefers the (source, external_id) index, which reads
// every till sale ever made; the range on the primary key reads only the shift's.
const SHIFT_INVOICES = `SELECT counter, type, payable_kobo, tip_kobo, sale_json FROM invoices
  WHERE counter > @from AND counter <= @to AND +source IN ('manual', 'demo') AND currency = 'NGN'
    AND json_extract(sale_json, '$.cashier') IS @cashier`;

/** The shift sums (exported so a test can check their query plans read the chain range on its key). */
export const SHIFT_QUERIES = {
  byMethod: `WITH inv AS (${SHIFT_INVOICES})
    SELECT i.type, json_extract(p.value, '$.method') AS method, SUM(${KOBO("json_extract(p.value, '$.amount')")}) AS kobo
      FROM inv i, json_each(i.sale_json, '$.payments') p
     GROUP BY i.type, method`,
  // Change: what was tendered above the total and tip (only cash gives change; a sale on credit
  // gives none), as shared/domain/totals.ts computes it at the sale.
  counts: `WITH inv AS (${SHIFT_INVOICES}),
    paid AS (SELECT i.type, i.payable_kobo, i.tip_kobo, json_extract(i.sale_json, '$.on_credit') AS on_credit,
                    (SELECT COALESCE(SUM(${KOBO("json_extract(p.value, '$.amount')")}), 0) FROM json_each(i.sale_json, '$.payments') p) AS paid
               FROM inv i)
    SELECT type, COUNT(*) AS n, COALESCE(SUM(payable_kobo), 0) AS total,
           COALESCE(SUM(CASE WHEN type = '381' AND on_credit IS NOT 1 THEN MAX(0, paid - tip_kobo - payable_kobo) ELSE 0 END), 0) AS change
      FROM paid GROUP BY type`,
} as const;

const ByMethod = z.object({ type: z.enum(['380', '381']), method: z.enum(PAYMENT_METHODS), kobo: col.int });
const Counts = z.object({ type: z.enum(['380', '381']), n: col.int, total: col.int, change: col.int });

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

  /** What the cashier's till invoices in (from, to] took and paid back, per method, summed in SQL. */
  takings(cashier: string | null, from: number, to: number): ShiftTakings {
    const args = { cashier, from, to };
    const byMethod = many(ByMethod, 'shift payments', prepared(this.db, SHIFT_QUERIES.byMethod), args);
    const counts = many(Counts, 'shift invoices', prepared(this.db, SHIFT_QUERIES.counts), args);
    const out: ShiftTakings = { sales: {}, refunds: {}, change: 0, sales_count: 0, refunds_count: 0, sales_kobo: 0, refunds_kobo: 0 };
    for (const r of byMethod) (r.type === '381' ? out.sales : out.refunds)[r.method as PaymentMethod] = r.kobo;
    for (const c of counts) {
      if (c.type === '381') Object.assign(out, { sales_count: c.n, sales_kobo: c.total, change: c.change });
      else Object.assign(out, { refunds_count: c.n, refunds_kobo: c.total });
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
