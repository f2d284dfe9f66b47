// A sale above the shop's limit asks "are you sure?" before it is issued: 100,000 × ₦4,500 typed
// in the wrong field must not become a ₦450 million invoice at one keystroke (issue 14).
import { formatNaira, type Kobo } from './money';

/** Default limit: ₦1,000,000.00. */
export const DEFAULT_CONFIRM_ABOVE_KOBO: Kobo = 100_000_000;

/** Default: a cashier may give up to 10 % off a line (or the sale); more needs the manager PIN. */
export const DEFAULT_DISCOUNT_APPROVAL_ABOVE_PCT = 10;

/** The question to ask before charging `total`, or null when it is within the limit. */
export function confirmationQuestion(total: Kobo, limit: Kobo): string | null {
  if (total <= limit) return null;
  return `Charge ${formatNaira(total)}? That is above the ${formatNaira(limit)} limit for one sale. Check the quantities and prices.`;
}
