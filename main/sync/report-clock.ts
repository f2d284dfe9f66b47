// The 24-hour clock: a B2C receipt must be reported within 24 h of issue. The age of the oldest
// unreported one decides the level shown in the UI and written to the log.
export type ClockLevel = 'ok' | 'warning' | 'alarm';

export const WARNING_AGE_S = 12 * 3600;
export const ALARM_AGE_S = 20 * 3600;

export function clockLevel(oldestAgeS: number | null): ClockLevel {
  if (oldestAgeS === null) return 'ok';
  if (oldestAgeS >= ALARM_AGE_S) return 'alarm';
  if (oldestAgeS >= WARNING_AGE_S) return 'warning';
  return 'ok';
}
