// A shift's report (issue 14): the X report while it is open, the stored close once it is closed.
// One schema for the IPC channels, the CLI's --json and the close stored in the ledger.
import { z } from 'zod';
import { PAYMENT_METHODS } from '../domain/payment-means';
import { MethodLineSchema } from './cash-up';

const kobo = z.number().int();

export const CashMoveSchema = z.object({
  id: z.number().int(),
  kind: z.enum(['in', 'out']),
  amount_kobo: kobo,
  reason: z.string(),
  by: z.string().nullable(),
  at: z.number().int(),
});
export type CashMove = z.infer<typeof CashMoveSchema>;

export const ShiftSchema = z.object({
  id: z.number().int(),
  terminal: z.string(),
  /** null: a single-till shop without cashier PINs. */
  cashier: z.string().nullable(),
  /** The Lagos day it opened (the manager's list is per day). */
  day: z.string(),
  opened_at: z.number().int(),
  float_kobo: kobo,
  closed_at: z.number().int().nullable(),
  closed_by: z.string().nullable(),
});
export type Shift = z.infer<typeof ShiftSchema>;

export const ShiftReportSchema = z.object({
  /** 'X': mid-shift figures (nothing closed); 'close': as stored at the close, never recomputed. */
  kind: z.enum(['X', 'close']),
  shift: ShiftSchema,
  /** Computed at (ms): now for an X report, the close time for a close. */
  at: z.number().int(),
  sales_count: z.number().int(),
  refunds_count: z.number().int(),
  sales_kobo: kobo,
  refunds_kobo: kobo,
  change_kobo: kobo,
  cash_in_kobo: kobo,
  cash_out_kobo: kobo,
  moves: z.array(CashMoveSchema),
  methods: z.array(MethodLineSchema),
  /** Sum of the counted methods' over/short (null on an X report). */
  over_short_kobo: kobo.nullable(),
});
export type ShiftReport = z.infer<typeof ShiftReportSchema>;

/** The manager's per-day list: each shift with its figures (X while open). */
export const ShiftListSchema = z.object({ date: z.string(), shifts: z.array(ShiftReportSchema) });

/** Counted amounts as sent at the close: cash required, other methods optional, each once. */
export const CountedSchema = z
  .array(z.object({ method: z.enum(PAYMENT_METHODS), amount_kobo: kobo.min(0).max(1_000_000_000_000) }).strict())
  .max(PAYMENT_METHODS.length)
  .refine((c) => new Set(c.map((x) => x.method)).size === c.length, 'each method at most once')
  .refine((c) => c.some((x) => x.method === 'cash'), 'the counted cash is required (count the drawer)');
