// Barcode scanners in keyboard-wedge mode type the code's digits far faster than a person, then
// Enter. This tells such a burst from typing by timing alone, so a scan works in any focused field.
export interface WedgeOptions {
  /** Fewest digits a scan has (EAN-8 and shorter shop codes start at 6). */
  minLength: number;
  /** Longest gap between a scanner's keystrokes; people type slower than this. */
  maxGapMs: number;
}

export type WedgeEvent = { kind: 'start' } | { kind: 'digit' } | { kind: 'scan'; code: string } | { kind: 'none' };

export class WedgeDetector {
  private digits = '';
  private last = -Infinity;
  constructor(private readonly opts: WedgeOptions = { minLength: 6, maxGapMs: 40 }) {}

  /** Feeds one keydown (`key` as KeyboardEvent.key) at time `at` (ms). */
  key(key: string, at: number): WedgeEvent {
    const fast = at - this.last <= this.opts.maxGapMs;
    this.last = at;
    if (/^\d$/.test(key)) {
      if (this.digits && fast) {
        this.digits += key;
        return { kind: 'digit' };
      }
      this.digits = key;
      return { kind: 'start' };
    }
    const code = this.digits;
    this.digits = '';
    if (key === 'Enter' && fast && code.length >= this.opts.minLength) return { kind: 'scan', code };
    return { kind: 'none' };
  }
}
