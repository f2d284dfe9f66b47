// People-facing formatting: naira (en-NG, from integer kobo) and Africa/Lagos times.
import { formatNaira } from '../../../shared/domain/money';
import { toLagos } from '../../../shared/domain/lagos-time';

export const naira = (kobo: number): string => formatNaira(kobo);

/** unix seconds → "14:05" Lagos */
export function lagosTime(unixS: number): string {
  return toLagos(new Date(unixS * 1000)).time.slice(0, 5);
}

/** unix seconds → "2026-11-24 14:05:09" Lagos */
export function lagosDateTime(unixS: number): string {
  const m = toLagos(new Date(unixS * 1000));
  return `${m.date} ${m.time}`;
}

export function lagosToday(now = new Date()): string {
  return toLagos(now).date;
}

/** Seconds → "3 h 12 min" / "45 s": for the age of the oldest unreported receipt. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return `${h} h ${m % 60} min`;
}

/** The 24-hour reporting limit: amber from 12 h, red from 20 h. */
export function ageLevel(seconds: number | null): 'ok' | 'warn' | 'bad' {
  if (seconds === null) return 'ok';
  if (seconds >= 20 * 3600) return 'bad';
  if (seconds >= 12 * 3600) return 'warn';
  return 'ok';
}
