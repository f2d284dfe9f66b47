// The manager PIN: stored only as a scrypt hash; checked in constant time; repeated wrong
// guesses are slowed down (a 4-digit PIN has only 10,000 values).
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { AppSettings } from './settings';

const PARAMS = { N: 16384, r: 8, p: 1 } as const;
const FREE_ATTEMPTS = 5;

export function hashPin(pin: string): { algo: 'scrypt'; N: number; r: number; p: number; salt: string; hash: string } {
  const salt = randomBytes(16);
  const hash = scryptSync(pin, salt, 32, PARAMS);
  return { algo: 'scrypt', ...PARAMS, salt: salt.toString('base64'), hash: hash.toString('base64') };
}

export type PinCheck = { ok: true } | { ok: false; message: string; retryAfterS?: number };

export class ManagerPin {
  private failures = 0;
  private blockedUntil = 0;

  constructor(private readonly settings: AppSettings, private readonly now: () => number = Date.now) {}

  isSet(): boolean {
    return this.settings.get('managerPin') !== undefined;
  }

  set(pin: string): void {
    this.settings.set('managerPin', hashPin(pin));
  }

  check(pin: string): PinCheck {
    const now = this.now();
    if (now < this.blockedUntil) {
      return { ok: false, message: 'too many wrong PINs: wait before trying again', retryAfterS: Math.ceil((this.blockedUntil - now) / 1000) };
    }
    const stored = this.settings.get('managerPin');
    if (!stored) return { ok: false, message: 'no manager PIN is set: finish the setup first' };
    const actual = scryptSync(pin, Buffer.from(stored.salt, 'base64'), 32, { N: stored.N, r: stored.r, p: stored.p });
    if (timingSafeEqual(actual, Buffer.from(stored.hash, 'base64'))) {
      this.failures = 0;
      return { ok: true };
    }
    this.failures++;
    if (this.failures >= FREE_ATTEMPTS) {
      // 30 s, doubling with every further miss, capped at 15 min.
      const delayS = Math.min(900, 30 * 2 ** (this.failures - FREE_ATTEMPTS));
      this.blockedUntil = now + delayS * 1000;
      return { ok: false, message: 'wrong PIN', retryAfterS: delayS };
    }
    return { ok: false, message: 'wrong PIN' };
  }
}
