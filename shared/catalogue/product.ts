// A catalogue product (issue 14): what the till needs to ring it up exactly — price in kobo, the
// VAT it carries, how it is counted (each, or weighed/measured with decimals) and its FIRS
// classification (an HS code for goods, or an ISIC code and service category for services).
import { z } from 'zod';
import { formatKobo } from '../domain/money';
import { MAX_LEN } from '../domain/limits';
import type { SaleLine, Tax } from '../domain/sale';

export const VAT_KEYS = ['STANDARD_VAT', 'ZERO_VAT', 'EXEMPTED'] as const;
export type VatKey = (typeof VAT_KEYS)[number];
export const VAT_TAX: Record<VatKey, Tax> = {
  STANDARD_VAT: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true },
  ZERO_VAT: { category: 'ZERO_VAT', rate: '0', inclusive: true },
  EXEMPTED: { category: 'EXEMPTED', rate: '0', inclusive: true },
};

export const UNITS = ['each', 'kg', 'litre'] as const;
export type Unit = (typeof UNITS)[number];

/** EAN-8, UPC-A, EAN-13, GTIN-14 and shop-printed numeric codes. */
export const BARCODE = /^\d{6,14}$/;
export const SKU = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$/;
/** Kobo up to ₦10,000,000,000.00: well inside the safe-integer range and the sale limits. */
export const MAX_PRICE_KOBO = 1_000_000_000_000;

const ProductFields = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(MAX_LEN.name),
    sku: z.string().trim().regex(SKU, 'must be 1 to 40 letters, digits or . _ / - (like RICE-5KG)'),
    barcodes: z
      .array(z.string().regex(BARCODE, 'must be 6 to 14 digits (EAN-13 like 5901234123457)'))
      .max(10)
      .refine((b) => new Set(b).size === b.length, 'lists a barcode twice')
      .default([]),
    price_kobo: z.number().int().min(0).max(MAX_PRICE_KOBO),
    vat: z.enum(VAT_KEYS).default('STANDARD_VAT'),
    unit: z.enum(UNITS).default('each'),
    hs_code: z
      .string()
      .regex(/^\d{4}\.\d{2}$/, 'must be an HS code like 1006.30 (NRS hs-codes list)')
      .optional(),
    isic_code: z
      .string()
      .regex(/^\d{4}$/, 'must be a 4-digit ISIC code like 9602 (NRS services-codes list)')
      .optional(),
    service_category: z.string().trim().min(1).max(100).optional(),
    favourite: z.boolean().default(false),
  })
  .strict();

export const ProductInputSchema = ProductFields.refine((p) => !(p.hs_code && p.isic_code), {
  message: 'a product is goods (hs_code) or a service (isic_code), not both',
  path: ['isic_code'],
}).refine((p) => !p.service_category || p.isic_code, {
  message: 'only a service (isic_code) has a service category',
  path: ['service_category'],
});

export type ProductInput = z.output<typeof ProductInputSchema>;
export const ProductSchema = ProductFields.extend({ id: z.number().int() });
export type Product = ProductInput & { id: number };

const EACH_QTY = /^\d{1,6}$/;
const MEASURED_QTY = /^\d{1,6}(\.\d{1,3})?$/;

/** Why `quantity` does not fit the product's unit (whole items; weighed/measured to 3 decimals). */
export function quantityProblem(unit: Unit, quantity: string): string | null {
  const q = quantity.trim();
  if (unit === 'each') return EACH_QTY.test(q) && Number(q) > 0 ? null : 'Quantity must be a whole number of items, like 2';
  return MEASURED_QTY.test(q) && Number(q) > 0 ? null : `Quantity must be ${unit === 'kg' ? 'a weight in kg' : 'litres'}, like 1.25`;
}

/** The canonical sale line for `quantity` of a product, with its own classification when it has one. */
export function productLine(p: Product, quantity: string): SaleLine {
  const line: SaleLine = {
    name: p.name,
    sku: p.sku,
    quantity: quantity.trim(),
    unit_price: formatKobo(p.price_kobo),
    tax: { ...VAT_TAX[p.vat] },
  };
  if (p.hs_code) line.hs_code = p.hs_code;
  if (p.isic_code) line.isic_code = p.isic_code;
  if (p.isic_code && p.service_category) line.service_category = p.service_category;
  return line;
}
