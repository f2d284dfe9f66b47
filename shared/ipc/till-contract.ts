// The till's channels (issue 14): the fiscal period banner, the product catalogue and B2B buyers.
// Spread into CHANNELS (./contract.ts); main validates every request against these schemas.
import { z } from 'zod';
import { ProductInputSchema, ProductSchema } from '../catalogue/product';
import { PartySchema } from '../domain/sale';

const empty = z.object({}).strict();
const search = z.string().trim().max(100);

const discountPct = z.number().min(0).max(100).multipleOf(0.01).nullable();
const TillSettingsSchema = z.object({ confirm_above_kobo: z.number().int(), discount_approval_above_pct: discountPct });

export const CustomerSchema = z.object({ id: z.number().int(), party: PartySchema });

export const TILL_CHANNELS = {
  /** Whether today's Z is closed, and the number new sales go to. */
  'till.period': {
    request: empty,
    response: z.object({ closed_today: z.boolean(), last_z: z.number().int().nullable(), next_z: z.number().int() }),
  },
  /** The till's own settings: sales above `confirm_above_kobo` ask before they are issued; a
   * discount above `discount_approval_above_pct` % of a line needs the manager PIN (null: never). */
  'till.settings': { request: empty, response: TillSettingsSchema },
  'till.saveSettings': {
    request: z
      .object({ confirm_above_kobo: z.number().int().min(0).max(1_000_000_000_000), discount_approval_above_pct: discountPct.optional() })
      .strict(),
    response: TillSettingsSchema,
    manager: true,
  },
  /** Till search by name, SKU or barcode (at most 20). */
  'catalogue.search': { request: z.object({ query: search }).strict(), response: z.object({ items: z.array(ProductSchema) }) },
  /** The product a scanned barcode (or typed SKU) names, or null. */
  'catalogue.lookup': {
    request: z.object({ code: z.string().trim().min(1).max(64) }).strict(),
    response: z.object({ product: ProductSchema.nullable() }),
  },
  /** Quick keys: the favourite products. */
  'catalogue.favourites': { request: empty, response: z.object({ items: z.array(ProductSchema) }) },
  'catalogue.list': { request: empty, response: z.object({ items: z.array(ProductSchema) }), manager: true },
  /** Adds (no id) or replaces a product. */
  'catalogue.save': {
    request: z.object({ id: z.number().int().optional(), product: ProductInputSchema }).strict(),
    response: z.object({ product: ProductSchema }),
    manager: true,
  },
  'catalogue.delete': { request: z.object({ id: z.number().int() }).strict(), response: z.object({ deleted: z.boolean() }), manager: true },
  /** CSV import (header row; the README's catalogue CSV table): all rows or none. */
  'catalogue.importCsv': {
    request: z.object({ csv: z.string().max(5_000_000) }).strict(),
    response: z.object({ added: z.number().int(), updated: z.number().int() }),
    manager: true,
  },
  'catalogue.exportCsv': { request: empty, response: z.object({ filename: z.string(), csv: z.string() }), manager: true },
  /** B2B buyers: search by name or TIN. */
  'customers.search': { request: z.object({ query: search }).strict(), response: z.object({ items: z.array(CustomerSchema) }) },
  /** Adds or updates (same TIN) a buyer, checked with the NRS buyer rules. */
  'customers.save': { request: z.object({ party: PartySchema }).strict(), response: CustomerSchema },
  /** Deletes a buyer from the look-up by archiving it; issued invoices keep their own copy. Saving the TIN again restores it. */
  'customers.archive': {
    request: z.object({ id: z.number().int() }).strict(),
    response: z.object({ archived: z.boolean() }),
    manager: true,
  },
} as const;
