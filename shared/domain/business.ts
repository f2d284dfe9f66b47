// The seller's profile, entered at setup and stored in the ledger's settings.
import { z } from 'zod';
import { SERVICE_ID, TERMINAL_CODE } from './irn';
import { MAX_LEN } from './limits';

export const BusinessSchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(MAX_LEN.name),
    tin: z.string().regex(/^[0-9A-Za-z-]{8,20}$/, 'must be a TIN like 12345678-0001'),
    business_id: z.string().uuid('must be the FIRS business id (a UUID)'),
    service_id: z.string().regex(SERVICE_ID, 'must be exactly 8 letters/digits (from the FIRS irn_template)'),
    terminal: z.string().regex(TERMINAL_CODE, 'must be 2-10 capital letters/digits starting with a letter, e.g. T01'),
    email: z.string().max(MAX_LEN.email).email('must be an email address'),
    phone: z.string().regex(/^\+\d{7,15}$/, 'must start with + and the country code').optional(),
    street: z.string().min(1).max(MAX_LEN.street).optional(),
    city: z.string().min(1).max(MAX_LEN.city).optional(),
    postal_zone: z.string().min(1).max(MAX_LEN.postalZone).optional(),
    country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO alpha-2 code like NG').default('NG'),
  })
  .strict();

export type Business = z.infer<typeof BusinessSchema>;
