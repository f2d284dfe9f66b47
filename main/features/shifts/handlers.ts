// The shift channels (shared/ipc/shift-contract.ts): the acting cashier is this session's
// signed-in cashier (or "Manager" when the manager acts alone), never named by the request.
import { handlers, AppError, type CallContext } from '../handler';
import { issuingCashier, requireBusiness } from '../common';
import {
  cashMove,
  closeRecord,
  closeShift,
  currentShift,
  NeedsManager,
  openShift,
  saveShiftSettings,
  shiftReport,
  shiftSettings,
  shiftsOfDay,
  type ShiftContext,
} from './service';

function context({ services, session }: CallContext): ShiftContext {
  const business = requireBusiness(services);
  return { data: services.data, terminal: business.terminal, cashier: issuingCashier(services, session) ?? null, now: services.now() };
}

/** A refusal the manager PIN lifts is the renderer's 403 `locked`. */
function managerOr<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof NeedsManager) throw new AppError('locked', e.message);
    throw e;
  }
}

export const shiftHandlers = handlers({
  'shift.current': (_req, ctx) => {
    const c = context(ctx);
    const s = currentShift(c);
    return { report: s ? shiftReport(c.data, s, c.now) : null, require_open: shiftSettings(c.data).require_open };
  },
  'shift.open': (req, ctx) => openShift(context(ctx), req.float_kobo),
  'shift.cashMove': (req, ctx) =>
    managerOr(() =>
      cashMove(context(ctx), req, {
        manager: ctx.session.isUnlocked(),
        limitKobo: ctx.services.settings.get('access')!.refundLimitKobo,
      }),
    ),
  'shift.close': (req, ctx) => {
    const c = context(ctx);
    if (req.id === undefined) return closeShift(c, req.counted);
    const s = c.data.shifts.get(req.id);
    if (!s) throw new AppError('not_found', `id: no shift ${req.id}`);
    if (s.cashier !== c.cashier && !ctx.session.isUnlocked())
      throw new AppError(
        'locked',
        `id: shift ${req.id} is ${s.cashier ?? 'the till'}'s; closing another cashier's shift needs the manager PIN`,
      );
    return closeRecord(c, s, req.counted);
  },
  'shift.get': (req, ctx) => {
    const c = context(ctx);
    const s = c.data.shifts.get(req.id);
    if (!s) throw new AppError('not_found', `id: no shift ${req.id}`);
    if (s.cashier !== c.cashier && !ctx.session.isUnlocked())
      throw new AppError('locked', `id: shift ${req.id} is ${s.cashier ?? 'the till'}'s; other cashiers' shifts need the manager PIN`);
    return shiftReport(c.data, s, c.now);
  },
  'shift.list': (req, { services }) => ({ date: req.date, shifts: shiftsOfDay(services.data, req.date, services.now()) }),
  'shift.settings': (_req, { services }) => shiftSettings(services.data),
  'shift.saveSettings': (req, { services }) => saveShiftSettings(services.data, req),
});
