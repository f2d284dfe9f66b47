// The till's shift channels (issue 14): open with a float, cash in/out, X report, close with
// counted amounts, the manager's per-day list. Spread into CHANNELS (./contract.ts); main
// validates every request against these schemas. Amounts are integer kobo: the till parses what
// the cashier typed with shared/catalogue/money-entry.ts ("1.500,00" refused) before sending.
import { z } from 'zod';
import { CountedSchema, ShiftListSchema, ShiftReportSchema } from '../shifts/report';

const empty = z.object({}).strict();
const amount = z.number().int().min(0).max(1_000_000_000_000);
const settings = z.object({ require_open: z.boolean() });

export const SHIFT_CHANNELS = {
  /** The signed-in cashier's open shift with its X report (null: none open), and whether selling needs one. */
  'shift.current': { request: empty, response: z.object({ report: ShiftReportSchema.nullable(), require_open: z.boolean() }) },
  /** Opens the signed-in cashier's shift with the counted float. */
  'shift.open': { request: z.object({ float_kobo: amount }).strict(), response: ShiftReportSchema },
  /** Cash into or out of the drawer, with a reason (append-only). Cash out above the cashier limit: manager. */
  'shift.cashMove': {
    request: z.object({ kind: z.enum(['in', 'out']), amount_kobo: amount.min(1), reason: z.string().trim().min(1).max(200) }).strict(),
    response: ShiftReportSchema,
  },
  /** Closes the signed-in cashier's shift (or, for the manager, shift `id`) with the counted amounts. */
  'shift.close': {
    request: z.object({ id: z.number().int().optional(), counted: CountedSchema }).strict(),
    response: ShiftReportSchema,
  },
  /** One shift's report: the cashier's own; another cashier's needs the manager. */
  'shift.get': { request: z.object({ id: z.number().int() }).strict(), response: ShiftReportSchema },
  /** The manager's list: the shifts opened on a Lagos day with expected, counted and over/short. */
  'shift.list': {
    request: z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-30') }).strict(),
    response: ShiftListSchema,
    manager: true,
  },
  'shift.settings': { request: empty, response: settings },
  'shift.saveSettings': { request: settings.strict(), response: settings, manager: true },
} as const;
