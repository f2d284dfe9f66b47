// Field spellings the public FIRS/NRS material disagrees on, in ONE place, so that a sandbox
// answer can settle each in one line. Everything that builds or reads an invoice line uses these.
//
// discount: the v1.1 field tables and independent validators spell `discount_rate` /
// `discount_amount`; the official MBS sample body (ValidateInvoice example, May 2025 docs)
// spells `dicount_rate` / `dicount_amount`. We send the table spelling.
export const LINE_DISCOUNT_RATE = 'discount_rate' as const;
export const LINE_DISCOUNT_AMOUNT = 'discount_amount' as const;

// price_unit: the sample sends free text "NGN per 1"; the Apr 2026 changelog added an
// `invoice-quantity-codes` list (UN/ECE Rec. 20 codes such as C62 "one") that price_unit may have
// to come from. Until a sandbox answer shows which, we send the sample's free text.
export const PRICE_UNIT_FROM_QUANTITY_CODES = false;
export const DEFAULT_QUANTITY_CODE = 'C62';
export function priceUnit(currency: string): string {
  return PRICE_UNIT_FROM_QUANTITY_CODES ? DEFAULT_QUANTITY_CODE : `${currency} per 1`;
}
