// Money is integer kobo (minor units) everywhere. Decimal strings from the outside world
// are parsed exactly with big.js (decimal arithmetic with explicit rounding, no binary floats).
import Big from 'big.js';

export type Kobo = number; // always a safe integer

const DECIMAL = /^-?\d{1,15}(\.\d+)?$/;

export class MoneyError extends Error {}

/** Parses a strict decimal string ("8600.00", "2", "0.5"); rejects exponents, commas, spaces. */
export function parseDecimal(text: string, what = 'value'): Big {
  if (typeof text !== 'string' || !DECIMAL.test(text)) {
    throw new MoneyError(`${what}: "${String(text)}" is not a decimal number like 1234.50`);
  }
  return new Big(text);
}

export function bigToKobo(amount: Big, what = 'amount'): Kobo {
  const scaled = amount.times(100);
  if (!scaled.eq(scaled.round(0, Big.roundDown))) {
    throw new MoneyError(`${what}: ${amount.toString()} has more than 2 decimal places (kobo is the smallest unit)`);
  }
  const kobo = Number(scaled.toFixed(0));
  if (!Number.isSafeInteger(kobo)) throw new MoneyError(`${what}: ${amount.toString()} is too large`);
  return kobo;
}

/** Exact: "17500.00" → 1750000. More than two decimals is an error, never silently rounded. */
export function parseKobo(text: string, what = 'amount'): Kobo {
  return bigToKobo(parseDecimal(text, what), what);
}

/** Round half-up (away from zero for positives) to whole kobo. */
export function roundKobo(amountInKobo: Big): Kobo {
  return Number(amountInKobo.round(0, Big.roundHalfUp).toFixed(0));
}

/** 1750000 → "17500.00" */
export function formatKobo(kobo: Kobo): string {
  const sign = kobo < 0 ? '-' : '';
  const abs = Math.abs(kobo);
  const major = Math.floor(abs / 100);
  const minor = String(abs % 100).padStart(2, '0');
  return `${sign}${major}.${minor}`;
}

/** For the FIRS JSON, which wants numbers in major units: parsed from the exact string. */
export function koboToMajorNumber(kobo: Kobo): number {
  return Number(formatKobo(kobo));
}

/**
 * The exact kobo of a major-unit JSON number as the FIRS JSON stores it (the inverse of
 * koboToMajorNumber): from its shortest decimal form, never by float arithmetic. Undefined when
 * it is not a whole number of kobo within the safe-integer range (an edited or overflowed value).
 */
export function majorNumberToKobo(major: unknown): Kobo | undefined {
  if (typeof major !== 'number' || !Number.isFinite(major)) return undefined;
  const scaled = new Big(String(major)).times(100);
  if (!scaled.eq(scaled.round(0, Big.roundDown))) return undefined;
  const kobo = Number(scaled.toFixed(0));
  return Number.isSafeInteger(kobo) && scaled.eq(kobo) ? kobo : undefined;
}

/** "₦17,500.00" for people (en-NG). */
export function formatNaira(kobo: Kobo): string {
  const [major, minor] = formatKobo(Math.abs(kobo)).split('.') as [string, string];
  const grouped = major.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${kobo < 0 ? '-' : ''}₦${grouped}.${minor}`;
}
