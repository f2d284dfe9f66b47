// Messages between verify-parallel.ts (the coordinator) and verify-thread.ts (a worker walking
// one range of counters on its own read-only connection).
import type { WalkEnd } from './chain-walk';

export interface VerifyRange {
  /** The ledger file. */
  file: string;
  /** The range is the invoices after `after` through `through`. */
  after: number;
  through: number;
  /** The hash of invoice `after` when the coordinator knows it (the first range); else the worker reads it. */
  prev: string | null;
}

export interface RangeDone {
  type: 'done';
  /** The hash the walk started from: `prev`, or the stored hash of invoice `after` (null: no such row). */
  start: string | null;
  end: WalkEnd;
}
