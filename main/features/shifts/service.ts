// Till shifts (issue 14): open with a counted float, cash in/out with a reason, an X report at any
// time, a close with counted amounts → expected vs counted and over/short per payment method.
// Rules here; SQL in main/ledger/shifts.ts; the sums in shared/shifts/cash-up.ts. Used by the IPC
// handlers (./handlers.ts) and the CLI (main/cli/commands/shift.ts) alike.
//
// Who may do what (documented in docs/readme/till-shifts.md): a cashier opens, reports on and
// closes their own shift and records cash in; cash out above the cashier limit (the refund limit,
// Manager → Settings) needs the manager; other cashiers' shifts and the per-day list need the
// manager. Selling without an open shift is allowed unless the manager turns on
// "require an open shift to sell"; either way a sale belongs to its cashier's open shift, if any.
import { InvalidInput } from '../../../shared/domain/sale';
import { formatNaira, type Kobo } from '../../../shared/domain/money';
import { toLagos } from '../../../shared/domain/lagos-time';
import { methodLines, totalOverShort, type Counted } from '../../../shared/shifts/cash-up';
import type { Shift, ShiftReport } from '../../../shared/shifts/report';
import type { PaymentMethod } from '../../../shared/domain/payment-means';
import type { Data } from '../../ledger/data';
import type { ShiftRecord } from '../../ledger/shifts';

const REQUIRE_KEY = 'shift.requireOpen';

export interface ShiftContext {
  data: Data;
  terminal: string;
  /** The cashier acting (null: the shop has no cashier PINs). */
  cashier: string | null;
  now: Date;
}

/** A refusal the caller may lift with the manager PIN (the IPC answers 403 `locked`). */
export class NeedsManager extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NeedsManager';
  }
}

function publicShift(s: ShiftRecord): Shift {
  return {
    id: s.id,
    terminal: s.terminal,
    cashier: s.cashier,
    day: s.day,
    opened_at: s.opened_at,
    float_kobo: s.float_kobo,
    closed_at: s.closed_at,
    closed_by: s.closed_by,
  };
}

function build(data: Data, s: ShiftRecord, to: number, at: number, counted: Counted | null): ShiftReport {
  const takings = data.shifts.takings(s.cashier, s.open_head, to);
  const moves = data.shifts.moves(s.id);
  const cash = {
    in: moves.filter((m) => m.kind === 'in').reduce((t, m) => t + m.amount_kobo, 0),
    out: moves.filter((m) => m.kind === 'out').reduce((t, m) => t + m.amount_kobo, 0),
  };
  const methods = methodLines(s.float_kobo, takings, cash, counted);
  return {
    kind: counted ? 'close' : 'X',
    shift: publicShift(s),
    at,
    sales_count: takings.sales_count,
    refunds_count: takings.refunds_count,
    sales_kobo: takings.sales_kobo,
    refunds_kobo: takings.refunds_kobo,
    change_kobo: takings.change,
    cash_in_kobo: cash.in,
    cash_out_kobo: cash.out,
    moves,
    methods,
    over_short_kobo: totalOverShort(methods),
  };
}

/** The shift's report: the stored close if it is closed, else the X report as of now (nothing closes). */
export function shiftReport(data: Data, s: ShiftRecord, now: Date): ShiftReport {
  if (s.closed_at !== null) return data.shifts.closedReport(s.id)!;
  return build(data, s, data.shifts.head(), now.getTime(), null);
}

export function currentShift(ctx: ShiftContext): ShiftRecord | undefined {
  return ctx.data.shifts.openFor(ctx.terminal, ctx.cashier);
}

function requireOpen(ctx: ShiftContext): ShiftRecord {
  const s = currentShift(ctx);
  if (!s) throw new InvalidInput(`shift: ${ctx.cashier ?? 'this till'} has no open shift: open one with the cash float first`);
  return s;
}

export function openShift(ctx: ShiftContext, floatKobo: Kobo): ShiftReport {
  if (!Number.isSafeInteger(floatKobo) || floatKobo < 0)
    throw new InvalidInput('float_kobo: the float must be a whole number of kobo, 0 or more');
  const open = currentShift(ctx);
  if (open)
    throw new InvalidInput(
      `shift: ${ctx.cashier ?? 'this till'} already has shift ${open.id} open since ${toLagos(new Date(open.opened_at)).time}: close it first`,
    );
  const s = ctx.data.shifts.open({
    terminal: ctx.terminal,
    cashier: ctx.cashier,
    day: toLagos(ctx.now).date,
    at: ctx.now.getTime(),
    float_kobo: floatKobo,
  });
  return shiftReport(ctx.data, s, ctx.now);
}

/**
 * Cash in or out of the drawer, with a reason (append-only). Cash out above the cashier limit needs
 * the manager (`manager`: unlocked); so does a cash out larger than the cash the drawer should hold.
 */
export function cashMove(
  ctx: ShiftContext,
  m: { kind: 'in' | 'out'; amount_kobo: Kobo; reason: string },
  access: { manager: boolean; limitKobo: Kobo | null },
): ShiftReport {
  const reason = m.reason.trim();
  if (!reason) throw new InvalidInput('reason: say why the cash goes in or out (e.g. "change from bank", "paid supplier")');
  if (!Number.isSafeInteger(m.amount_kobo) || m.amount_kobo <= 0) throw new InvalidInput('amount_kobo: enter an amount above ₦0.00');
  const s = requireOpen(ctx);
  if (m.kind === 'out' && !access.manager) {
    if (access.limitKobo !== null && m.amount_kobo > access.limitKobo)
      throw new NeedsManager(
        `amount: a cash out of ${formatNaira(m.amount_kobo)} is above the cashier limit of ${formatNaira(access.limitKobo)}; it needs the manager PIN`,
      );
    const drawer = shiftReport(ctx.data, s, ctx.now).methods.find((l) => l.method === 'cash')!.expected_kobo;
    if (m.amount_kobo > drawer)
      throw new NeedsManager(
        `amount: a cash out of ${formatNaira(m.amount_kobo)} is more than the ${formatNaira(drawer)} the drawer should hold; it needs the manager PIN`,
      );
  }
  ctx.data.shifts.addMove(s.id, { kind: m.kind, amount_kobo: m.amount_kobo, reason, by: ctx.cashier, at: ctx.now.getTime() });
  return shiftReport(ctx.data, s, ctx.now);
}

/** Closes the cashier's open shift with what was counted; the stored close never changes. */
export function closeShift(ctx: ShiftContext, counted: readonly { method: PaymentMethod; amount_kobo: Kobo }[]): ShiftReport {
  const s = requireOpen(ctx);
  return closeRecord(ctx, s, counted);
}

/** Closes a given open shift (the manager closing a cashier's forgotten shift, or the cashier's own). */
export function closeRecord(
  ctx: ShiftContext,
  s: ShiftRecord,
  counted: readonly { method: PaymentMethod; amount_kobo: Kobo }[],
): ShiftReport {
  if (!counted.some((c) => c.method === 'cash')) throw new InvalidInput('counted: the counted cash is required (count the drawer)');
  const c: Counted = {};
  for (const x of counted) {
    if (c[x.method] !== undefined) throw new InvalidInput(`counted: ${x.method} is given twice`);
    if (!Number.isSafeInteger(x.amount_kobo) || x.amount_kobo < 0) throw new InvalidInput(`counted.${x.method}: not an amount of kobo`);
    c[x.method] = x.amount_kobo;
  }
  const at = ctx.now.getTime();
  if (s.closed_at !== null) throw new InvalidInput(`shift: shift ${s.id} is already closed: a closed shift never changes`);
  return ctx.data.shifts.close(s.id, { at, by: ctx.cashier, counted_json: JSON.stringify(c) }, (head) =>
    build(ctx.data, { ...s, closed_at: at, closed_by: ctx.cashier }, head, at, c),
  );
}

/** The manager's list: every shift opened on the Lagos day, with its X report or stored close. */
export function shiftsOfDay(data: Data, day: string, now: Date): ShiftReport[] {
  return data.shifts.byDay(day).map((s) => shiftReport(data, s, now));
}

export function shiftSettings(data: Data): { require_open: boolean } {
  return { require_open: data.settings.get(REQUIRE_KEY) === 'true' };
}

export function saveShiftSettings(data: Data, s: { require_open: boolean }): { require_open: boolean } {
  data.settings.set(REQUIRE_KEY, s.require_open ? 'true' : 'false');
  return shiftSettings(data);
}

/** Before a till sale or refund: refused when the manager requires an open shift and there is none. */
export function checkMaySell(ctx: Omit<ShiftContext, 'now'>): void {
  if (!shiftSettings(ctx.data).require_open) return;
  if (ctx.data.shifts.openFor(ctx.terminal, ctx.cashier)) return;
  throw new InvalidInput(
    `shift: this shop sells only with an open shift, and ${ctx.cashier ?? 'this till'} has none: open a shift with the cash float first (Shift button)`,
  );
}
