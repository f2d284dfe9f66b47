// The manager PIN: stored only as a scrypt hash; checked in constant time; repeated wrong
// guesses are slowed down (a 4-digit PIN has only 10,000 values).
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { AppSettings } from './settings';

// scrypt at N=2^15, r=8, p=2: about 4× the work of N=2^14/p=1 per guess (a 4-digit PIN fell to an
// offline search in ten minutes at the old setting), 32 MiB per hash. Stored hashes carry their
// own parameters, so older ones still verify and are upgraded on the next correct PIN.
const PARAMS = { N: 32768, r: 8, p: 2 } as const;
/** scrypt needs 128·N·r bytes; Node's default ceiling (32 MiB) is exactly that, so give headroom. */
const MAXMEM = 96 * 1024 * 1024;
const FREE_ATTEMPTS = 5;

export function hashPin(pin: string): { algo: 'scrypt'; N: number; r: number; p: number; salt: string; hash: string } {
  const salt = randomBytes(16);
  const hash = scryptSync(pin, salt, 32, { ...PARAMS, maxmem: MAXMEM });
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
    const actual = scryptSync(pin, Buffer.from(stored.salt, 'base64'), 32, { N: stored.N, r: stored.r, p: stored.p, maxmem: MAXMEM });
    if (timingSafeEqual(actual, Buffer.from(stored.hash, 'base64'))) {
      this.failures = 0;
      if (stored.N < PARAMS.N || stored.p < PARAMS.p) this.set(pin); // a hash from the weaker setting
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
