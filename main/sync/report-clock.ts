// The 24-hour clock: a B2C receipt must be reported within 24 h of issue. The age of the oldest
// unreported one decides the level shown in the UI and written to the log. Wall-clock steps are
// noticed (ClockStepWatch) and do not freeze the age (SteadyClock).
export type ClockLevel = 'ok' | 'warning' | 'alarm';

export const WARNING_AGE_S = 12 * 3600;
export const ALARM_AGE_S = 20 * 3600;

export function clockLevel(oldestAgeS: number | null): ClockLevel {
  if (oldestAgeS === null) return 'ok';
  if (oldestAgeS >= ALARM_AGE_S) return 'alarm';
  if (oldestAgeS >= WARNING_AGE_S) return 'warning';
  return 'ok';
}

/** Wall-clock jumps larger than this (either way) count as a step, not drift or a slow tick. */
export const CLOCK_STEP_MS = 5_000;

/**
 * Notices the wall clock being stepped: between two checks the wall clock and the monotonic
 * clock (performance.now: never stepped) must advance alike. Returns the step in ms (negative:
 * set back), or 0.
 */
export class ClockStepWatch {
  private wall: number;
  private mono: number;

  constructor(
    private readonly wallNow: () => number = Date.now,
    private readonly monoNow: () => number = () => performance.now(),
  ) {
    this.wall = wallNow();
    this.mono = monoNow();
  }

  check(): number {
    const wall = this.wallNow();
    const mono = this.monoNow();
    const step = wall - this.wall - (mono - this.mono);
    this.wall = wall;
    this.mono = mono;
    return Math.abs(step) >= CLOCK_STEP_MS ? Math.round(step) : 0;
  }
}

/**
 * "Now" for ages shown to people (the 24-hour clock): the wall clock, except that after it was
 * set back it keeps counting from where it was with the monotonic clock, so receipts issued
 * before the step do not show age 0 (or stop ageing) for as long as the step.
 */
export class SteadyClock {
  private last: number | undefined;
  private lastMono = 0;

  constructor(
    private readonly wallNow: () => number = Date.now,
    private readonly monoNow: () => number = () => performance.now(),
  ) {}

  now(): number {
    const wall = this.wallNow();
    const mono = this.monoNow();
    const carried = this.last === undefined ? wall : this.last + (mono - this.lastMono);
    // Only a step back is overridden: a wall clock at or ahead of the carried time is believed.
    const t = this.last !== undefined && wall < carried - CLOCK_STEP_MS ? carried : wall;
    this.last = t;
    this.lastMono = mono;
    return t;
  }
}
