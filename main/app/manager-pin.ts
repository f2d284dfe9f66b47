// PINs: the manager's and, optionally, one per cashier (a single-till shop sets none). Stored only
// as scrypt hashes; checked in constant time; repeated wrong guesses are slowed down by a throttle
// kept in the ledger (main/ledger/pin-throttle.ts), so it survives restarts and is shared by every
// process on the data directory (a 4-digit PIN has only 10,000 values).
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { AppSettings, SettingValue } from './settings';
import { PinThrottle } from '../ledger/pin-throttle';
import { CASHIER_PIN_PATTERN, CASHIER_PIN_RULE, MANAGER_PIN_PATTERN, MANAGER_PIN_RULE } from '../../shared/domain/limits';

// A deliberately slow hash: scrypt at N=2^15, r=8, p=2 is about 4× the work of the old N=2^14/p=1
// per guess (~0.25 s on a till CPU) and 32 MiB of memory per try, which is what makes GPUs poor
// at it. At the old setting a 4-digit PIN fell to an offline search of a copied hash in ten
// minutes; with 4× the cost and 6-digit manager PINs (MANAGER_PIN_PATTERN: 100× the values) the
// same search takes some 4,000× as long (weeks, not minutes). We stop here rather than going
// higher because every log-in tries the manager's hash and each cashier's in turn, on the till.
// Each stored hash carries its own N/r/p/salt, so changing PARAMS never locks anyone out: an
// older hash still verifies with its own parameters and is rewritten at PARAMS on the next
// correct PIN.
const PARAMS = { N: 32768, r: 8, p: 2 } as const;
/** scrypt needs 128·N·r bytes; Node's default ceiling (32 MiB) is exactly that, so give headroom. */
const MAXMEM = 96 * 1024 * 1024;
/** One throttle for every PIN on this terminal: guessing a cashier's PIN costs the same as the manager's. */
const SCOPE = 'pin';

export function hashPin(pin: string): { algo: 'scrypt'; N: number; r: number; p: number; salt: string; hash: string } {
  const salt = randomBytes(16);
  const hash = scryptSync(pin, salt, 32, { ...PARAMS, maxmem: MAXMEM });
  return { algo: 'scrypt', ...PARAMS, salt: salt.toString('base64'), hash: hash.toString('base64') };
}

function matches(pin: string, stored: SettingValue<'managerPin'>): boolean {
  const actual = scryptSync(pin, Buffer.from(stored.salt, 'base64'), 32, { N: stored.N, r: stored.r, p: stored.p, maxmem: MAXMEM });
  return timingSafeEqual(actual, Buffer.from(stored.hash, 'base64'));
}

export type PinCheck = { ok: true } | { ok: false; message: string; retryAfterS?: number };
export type Role = 'manager' | 'cashier';
export type LoginCheck = { ok: true; role: Role; cashier?: string } | { ok: false; message: string; retryAfterS?: number };

export class ManagerPin {
  private readonly throttle: PinThrottle;

  constructor(
    private readonly settings: AppSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.throttle = new PinThrottle(settings.db);
  }

  isSet(): boolean {
    return this.settings.get('managerPin') !== undefined;
  }

  /** Sets a new manager PIN (6–8 digits: PinRule otherwise). */
  set(pin: string): void {
    if (!MANAGER_PIN_PATTERN.test(pin)) throw new PinRule(MANAGER_PIN_RULE);
    this.settings.set('managerPin', hashPin(pin));
  }

  /** Adds or replaces a cashier's PIN (cashier PINs must differ from each other and the manager's). */
  setCashier(name: string, pin: string): void {
    if (!CASHIER_PIN_PATTERN.test(pin)) throw new PinRule(CASHIER_PIN_RULE);
    const manager = this.settings.get('managerPin');
    if (manager && matches(pin, manager)) throw new PinInUse("the PIN is the manager's: give each cashier their own");
    const others = this.settings.get('cashierPins')!.filter((c) => c.name !== name);
    if (others.some((c) => matches(pin, c.pin))) throw new PinInUse('another cashier already has this PIN');
    this.settings.set('cashierPins', [...others, { name, pin: hashPin(pin) }]);
  }

  removeCashier(name: string): boolean {
    const all = this.settings.get('cashierPins')!;
    const rest = all.filter((c) => c.name !== name);
    this.settings.set('cashierPins', rest);
    return rest.length !== all.length;
  }

  cashiers(): string[] {
    return this.settings.get('cashierPins')!.map((c) => c.name);
  }

  /** The manager PIN only (unlocking the manager area). */
  check(pin: string): PinCheck {
    const r = this.login(pin, false);
    return r.ok ? { ok: true } : r;
  }

  /** Any PIN of this terminal: the manager's, or a cashier's (LAN log-in, scripts). */
  checkAny(pin: string): LoginCheck {
    return this.login(pin, true);
  }

  /**
   * A named cashier at the till (name + PIN). Same throttle as every other PIN: picking a name
   * does not buy extra guesses. A name that is not (or no longer) a cashier is a wrong PIN too.
   */
  signIn(name: string, pin: string): LoginCheck {
    const now = this.now();
    const wait = this.throttle.waitS(SCOPE, now);
    if (wait > 0) return { ok: false, message: 'too many wrong PINs: wait before trying again', retryAfterS: wait };
    const c = this.settings.get('cashierPins')!.find((x) => x.name === name);
    if (c && matches(pin, c.pin)) {
      if (this.throttle.state(SCOPE).failures > 0) this.throttle.reset(SCOPE);
      return { ok: true, role: 'cashier', cashier: c.name };
    }
    const blockS = this.throttle.fail(SCOPE, now);
    return blockS ? { ok: false, message: 'wrong PIN', retryAfterS: blockS } : { ok: false, message: 'wrong PIN' };
  }

  private login(pin: string, cashiers: boolean): LoginCheck {
    const now = this.now();
    const wait = this.throttle.waitS(SCOPE, now);
    if (wait > 0) return { ok: false, message: 'too many wrong PINs: wait before trying again', retryAfterS: wait };
    const stored = this.settings.get('managerPin');
    if (!stored) return { ok: false, message: 'no manager PIN is set: finish the setup first (or run `taxpoynt-pos set-pin`)' };
    let found: LoginCheck | undefined = undefined;
    if (matches(pin, stored)) {
      found = { ok: true, role: 'manager' };
      // A hash from a weaker setting is rewritten at PARAMS (even an old 4-digit PIN: it still unlocks).
      if (stored.N < PARAMS.N || stored.p < PARAMS.p) this.settings.set('managerPin', hashPin(pin));
    }
    if (!found && cashiers) {
      const c = this.settings.get('cashierPins')!.find((x) => matches(pin, x.pin));
      if (c) found = { ok: true, role: 'cashier', cashier: c.name };
    }
    if (found) {
      if (this.throttle.state(SCOPE).failures > 0) this.throttle.reset(SCOPE);
      return found;
    }
    const blockS = this.throttle.fail(SCOPE, now);
    return blockS ? { ok: false, message: 'wrong PIN', retryAfterS: blockS } : { ok: false, message: 'wrong PIN' };
  }
}

export class PinInUse extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PinInUse';
  }
}

/** A new PIN that breaks the length rule (the message says which). */
export class PinRule extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PinRule';
  }
}
