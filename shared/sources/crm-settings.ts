// Settings every CRM connection stores beside its own (shared/sources/<crm>/source.ts).
import { z } from 'zod';

export const CRM_SETTINGS = {
  /** Write the invoice number/IRN and the clearance state back onto the deal. */
  writeback: z.boolean().default(false),
  /** Deals in review (missing buyer data) re-read per poll, so a fixed CRM record is picked up. */
  recheckReviews: z.number().int().min(0).max(500).default(25),
};

/** A CRM property/field name or custom-field key. */
export const crmField = z.string().min(1).max(200);
