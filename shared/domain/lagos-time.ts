// Nigeria is UTC+1 all year (no DST), so Lagos time is a fixed offset: no tz database needed.
const LAGOS_OFFSET_MS = 60 * 60 * 1000;

export interface LagosMoment {
  date: string; // YYYY-MM-DD
  time: string; // HH:MM:SS
  compactDate: string; // YYYYMMDD for the IRN
}

export function toLagos(instant: Date): LagosMoment {
  const iso = new Date(instant.getTime() + LAGOS_OFFSET_MS).toISOString(); // shifted, read as UTC
  const date = iso.slice(0, 10);
  return { date, time: iso.slice(11, 19), compactDate: date.replaceAll('-', '') };
}

/** Start and end (exclusive) of a Lagos calendar day as UTC instants. */
export function lagosDayBounds(date: string): { start: Date; end: Date } {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
    throw new Error(`date: "${date}" is not a date like 2026-11-24`);
  }
  const start = new Date(Date.parse(`${date}T00:00:00Z`) - LAGOS_OFFSET_MS);
  return { start, end: new Date(start.getTime() + 24 * 60 * 60 * 1000) };
}
