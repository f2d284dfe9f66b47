// The seller's profile, entered at setup and stored in the ledger's settings.
// BusinessSchema is what a stored profile may look like (ledgers set up before NRS v1.1 lack the
// postal address and the default classification); SetupBusinessSchema is what setup accepts now:
// the v1.1 mandatory supplier address (street, city, postal zone, state, LGA, country) and one
// default item classification (an HS code for goods, or an ISIC code for services).
import { z } from 'zod';
import { SERVICE_ID, TERMINAL_CODE } from './irn';
import { MAX_LEN } from './limits';
import { HS_CODE, ISIC_CODE, LGA_CODE } from '../firs-codes';

export const STATE_CODE = /^NG-[A-Z]{2}$/;

export const BusinessSchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(MAX_LEN.name),
    tin: z.string().regex(/^[0-9A-Za-z-]{8,20}$/, 'must be a TIN like 12345678-0001'),
    business_id: z.string().uuid('must be the FIRS business id (a UUID)'),
    service_id: z.string().regex(SERVICE_ID, 'must be exactly 8 letters/digits (from the FIRS irn_template)'),
    terminal: z.string().regex(TERMINAL_CODE, 'must be 2-10 capital letters/digits starting with a letter, e.g. T01'),
    email: z.string().max(MAX_LEN.email).email('must be an email address'),
    phone: z
      .string()
      .regex(/^\+\d{7,15}$/, 'must start with + and the country code')
      .optional(),
    street: z.string().min(1).max(MAX_LEN.street).optional(),
    city: z.string().min(1).max(MAX_LEN.city).optional(),
    postal_zone: z.string().min(1).max(MAX_LEN.postalZone).optional(),
    state: z.string().regex(STATE_CODE, 'must be a state code from the NRS states list, like NG-LA').optional(),
    lga: z.string().regex(LGA_CODE, 'must be an LGA code from the NRS lgas list, like NG-LA-IKJ').optional(),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be an ISO alpha-2 code like NG')
      .default('NG'),
    /** Goods: the HS code lines without their own carry (from the NRS hs-codes list, e.g. 1006.30). */
    default_hs_code: z.string().regex(HS_CODE, 'must be an HS code like 1006.30 (NRS hs-codes list)').optional(),
    /** Services: the ISIC class lines without their own carry (NRS services-codes list, e.g. 4711). */
    default_isic_code: z.string().regex(ISIC_CODE, 'must be a 4-digit ISIC code like 4711 (NRS services-codes list)').optional(),
    /** product_category / service_category for those lines; the code list's description when absent. */
    default_category: z.string().trim().min(1).max(200).optional(),
    /** B2B/B2G: after clearance, deliver the invoice to the buyer (POST transmit/{IRN}). */
    transmit_to_buyer: z.boolean().optional(),
  })
  .strict();

export type Business = z.infer<typeof BusinessSchema>;

/** The v1.1 fields a profile must have before invoices are reported, as setup flag names. */
export function profileGaps(b: Business): string[] {
  const gaps: string[] = [];
  if (!b.street) gaps.push('street');
  if (!b.city) gaps.push('city');
  if (!b.postal_zone) gaps.push('postal_zone');
  if (!b.state) gaps.push('state');
  if (!b.lga) gaps.push('lga');
  if (!b.default_hs_code && !b.default_isic_code) gaps.push('default_hs_code or default_isic_code');
  return gaps;
}

/** Setup: the stored shape, plus everything NRS v1.1 makes mandatory for the supplier. */
export const SetupBusinessSchema = BusinessSchema.superRefine((b, ctx) => {
  const say = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (!b.street) say('street', 'is required (NRS v1.1 supplier postal address)');
  if (!b.city) say('city', 'is required (NRS v1.1 supplier postal address)');
  if (!b.postal_zone) say('postal_zone', 'is required (NRS v1.1 supplier postal address)');
  if (!b.state) say('state', 'is required: the state code from the NRS states list, like NG-LA');
  if (!b.lga) say('lga', 'is required: the LGA code from the NRS lgas list, like NG-LA-IKJ');
  if (b.state && b.lga && !b.lga.startsWith(`${b.state}-`)) say('lga', `${b.lga} is not an LGA of ${b.state}`);
  if (!b.default_hs_code && !b.default_isic_code) {
    say(
      'default_hs_code',
      'a default item classification is required: an HS code for goods (e.g. 1006.30) or default_isic_code for services (e.g. 4711)',
    );
  }
  if (b.default_hs_code && b.default_isic_code)
    say('default_isic_code', 'choose one default classification: default_hs_code (goods) or default_isic_code (services), not both');
});
