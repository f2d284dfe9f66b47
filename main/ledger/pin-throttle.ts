// The wrong-PIN throttle's state, in the ledger (migration 015): shared by every process on the
// data directory and kept across restarts, so restarting `serve` does not reset an attacker's
// count. Each update runs in an IMMEDIATE transaction, so two processes cannot both take a
// "free" attempt from the same count.
import { z } from 'zod';
import type { Db } from './database';
import { prepared } from './prepared';

const RowSchema = z.object({ failures: z.number().int().min(0), blocked_until: z.number().int() });
export type ThrottleState = z.output<typeof RowSchema>;

export const FREE_ATTEMPTS = 5;
const FIRST_BLOCK_S = 30;
const MAX_BLOCK_S = 900;

export class PinThrottle {
  constructor(private readonly db: Db) {}

  state(scope: string): ThrottleState {
    const row: unknown = prepared(this.db, 'SELECT failures, blocked_until FROM pin_throttle WHERE scope = ?').get(scope);
    return row === undefined ? { failures: 0, blocked_until: 0 } : RowSchema.parse(row);
  }

  /** Seconds still to wait before this scope may try again (0: may try now). */
  waitS(scope: string, nowMs: number): number {
    const { blocked_until } = this.state(scope);
    return nowMs < blocked_until ? Math.ceil((blocked_until - nowMs) / 1000) : 0;
  }

  /** One more wrong PIN; returns the block (seconds) it started, if any. */
  fail(scope: string, nowMs: number): number | undefined {
    return this.db
      .transaction((): number | undefined => {
        const failures = this.state(scope).failures + 1;
        // 30 s after the fifth miss, doubling with every further miss, capped at 15 min.
        const blockS = failures >= FREE_ATTEMPTS ? Math.min(MAX_BLOCK_S, FIRST_BLOCK_S * 2 ** (failures - FREE_ATTEMPTS)) : undefined;
        prepared(
          this.db,
          `INSERT INTO pin_throttle (scope, failures, blocked_until, updated_at) VALUES (@scope, @failures, @until, @now)
        ON CONFLICT(scope) DO UPDATE SET failures = excluded.failures, blocked_until = excluded.blocked_until, updated_at = excluded.updated_at`,
        ).run({ scope, failures, until: blockS ? nowMs + blockS * 1000 : 0, now: nowMs });
        return blockS;
      })
      .immediate();
  }

  reset(scope: string): void {
    prepared(this.db, 'DELETE FROM pin_throttle WHERE scope = ?').run(scope);
  }
}
