// The FIRS/NRS MBS wire shapes (shared/docs/firs-mbs.md): validated at the boundary so a changed
// or garbled answer becomes a clear, retryable error instead of a wrong state.
import { z } from 'zod';

export const ErrorEnvelope = z
  .object({
    code: z.number().int().optional(),
    data: z.unknown().optional(),
    message: z.string().optional(),
    error: z
      .object({
        id: z.string().optional(),
        handler: z.string().optional(),
        details: z.string().optional(),
        public_message: z.string().optional(),
      })
      .passthrough()
      .nullable()
      .optional(),
  })
  .passthrough();
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;

export const successEnvelope = <T extends z.ZodType>(data: T) => z.object({ code: z.number().int().min(200).max(299), data }).passthrough();

export const OkData = z.object({ ok: z.literal(true) }).passthrough();
export const HealthBody = z.object({ healthy: z.boolean() }).passthrough();
export const ConfirmData = z.object({ irn: z.string().optional(), status: z.string().optional() }).passthrough();
export type ConfirmData = z.infer<typeof ConfirmData>;

/** Code list entries vary in shape between lists (code/value, alpha_2/name, …). */
export const CodeListData = z.array(z.union([z.string(), z.record(z.string(), z.unknown())]));
export type CodeListEntry = z.infer<typeof CodeListData>[number];

export const CODE_LIST_NAMES = [
  'countries',
  'currencies',
  'invoice-types',
  'tax-categories',
  'payment-means',
  'vat-exemptions',
  'services-codes',
  'hs-codes',
  'states',
  'lgas',
  'invoice-quantity-codes',
] as const;
export type CodeListName = (typeof CODE_LIST_NAMES)[number];

export const PAYMENT_STATUSES = ['PENDING', 'PAID', 'REJECTED', 'PARTIAL'] as const;
export const PaymentUpdate = z.object({ payment_status: z.enum(PAYMENT_STATUSES), reference: z.string().min(1).optional() }).strict();
export type PaymentUpdate = z.infer<typeof PaymentUpdate>;
