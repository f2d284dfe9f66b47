// The one set of bounds every boundary uses: the canonical sale, the IPC contract, the vendor
// mappers' output (they produce canonical sales), settings and the CLI. Change a limit here and
// every entry point moves with it. FIRS publishes no field lengths for the MBS invoice JSON, so
// text limits are what a receipt and a person can use; the money limit follows from the numbers.

/** Text lengths (characters). */
export const MAX_LEN = {
  name: 200, // party, item and charge names
  street: 200,
  city: 100,
  postalZone: 20,
  email: 254, // RFC 5321 path limit
  sku: 64,
  note: 500,
  reason: 200, // refund reason
  externalId: 128,
  refundOf: 140, // an IRN (the QR stamp allows 140) or a vendor id
  irn: 140,
  description: 500,
  search: 100,
} as const;

/** Counts per sale. */
export const MAX_COUNT = { lines: 1000, charges: 50, payments: 20 } as const;

/**
 * The largest amount in kobo: ₦9,999,999,999,999.99. Below 2^53 (integers are exact), and with
 * at most 15 significant digits the major-unit decimal the FIRS JSON carries as a number
 * round-trips through a binary double exactly, so `verify` can compare totals as integers.
 */
export const MAX_KOBO = 999_999_999_999_999;

/** Amount strings in major units: at most 13 integer digits and 2 decimals (≤ MAX_KOBO). */
export const AMOUNT_PATTERN = /^\d{1,13}(\.\d{1,2})?$/;
/** Quantities: 9 integer digits, 6 decimals (15 significant digits: exact as a JSON number). */
export const QUANTITY_PATTERN = /^\d{1,9}(\.\d{1,6})?$/;
/** Unit prices: 13 integer digits, 6 decimals (sub-kobo prices occur for fuel and bulk goods). */
export const UNIT_PRICE_PATTERN = /^\d{1,13}(\.\d{1,6})?$/;

/**
 * Sale dates. Nothing before the FIRS (Establishment) Act 2007 regime; nothing past 2099 (the
 * ledger also refuses anything more than minutes ahead of the terminal clock).
 */
export const MIN_SALE_DATE = '2007-01-01';
export const MAX_SALE_YEAR = 2099;

export function saleDateProblem(iso: string): string | undefined {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return undefined; // the format check names it
  if (ms < Date.parse(`${MIN_SALE_DATE}T00:00:00+01:00`)) return `is before ${MIN_SALE_DATE} (the FIRS regime)`;
  if (new Date(ms).getUTCFullYear() > MAX_SALE_YEAR) return `is after ${MAX_SALE_YEAR}`;
  return undefined;
}

/** VAT Act as amended by the Finance Act 2019: the standard rate unless configured otherwise. */
export const DEFAULT_STANDARD_VAT_RATE = '7.5';

/** Any PIN of the terminal as typed at a log-in: a cashier's (4–8 digits) or the manager's. */
export const PIN_PATTERN = /^\d{4,8}$/;
/** A cashier's PIN: 4–8 digits (it only opens the till, today's sales). */
export const CASHIER_PIN_PATTERN = PIN_PATTERN;
/**
 * A new manager PIN: 6–8 digits. The manager PIN guards refunds, other days' invoices (customers'
 * TINs, phones) and settings; a 4-digit one fell to an offline search of its hash in ten minutes.
 * 6 digits are 100× the search (see main/app/manager-pin.ts for the hash cost). Manager PINs set
 * before this rule still unlock (log-ins accept PIN_PATTERN); only new ones must be longer.
 */
export const MANAGER_PIN_PATTERN = /^\d{6,8}$/;
export const MANAGER_PIN_RULE = 'the manager PIN must be 6 to 8 digits';
export const CASHIER_PIN_RULE = "a cashier's PIN must be 4 to 8 digits";

/** RSA modulus for the FIRS QR key: anything weaker is refused at setup. */
export const MIN_RSA_BITS = 2048;

/** JSON nesting: a sale is 4 levels deep; vendor payloads about 10. Deeper input is refused early. */
export const MAX_JSON_DEPTH = 64;

/**
 * The deepest nesting of arrays/objects in a JSON text, found by a linear scan (strings skipped),
 * so a hostile 100,000-level document is refused before JSON.parse or any recursive walk.
 * Stops counting once `stopAt` is exceeded.
 */
export function jsonDepth(text: string, stopAt = MAX_JSON_DEPTH): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > stopAt) return max;
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/** The same bound for values already parsed (IPC payloads from Electron arrive as objects). */
export function valueDepth(value: unknown, stopAt = MAX_JSON_DEPTH): number {
  let max = 0;
  // Iterative, so the check itself cannot overflow the stack.
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const level = d + 1;
    if (level > max) {
      max = level;
      if (max > stopAt) return max;
    }
    for (const child of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) stack.push([child, level]);
  }
  return max;
}
