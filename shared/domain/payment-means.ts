// Canonical payment methods → UNTDID 4461 payment-means codes (FIRS `payment-means` list).
export const PAYMENT_MEANS = {
  cash: '10',
  cheque: '20',
  transfer: '30',
  card: '48',
  direct_debit: '49',
  online: '68',
} as const;

export type PaymentMethod = keyof typeof PAYMENT_MEANS;
export const PAYMENT_METHODS = Object.keys(PAYMENT_MEANS) as [PaymentMethod, ...PaymentMethod[]];
