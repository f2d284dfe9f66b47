// PINs that are refused and why (main/app/manager-pin.ts): rule-breaking new PINs, a PIN already in
// use, no manager PIN yet, wrong PINs throttled for every PIN of the terminal (names do not buy
// extra guesses), and a damaged stored PIN setting is an error naming the setting.
// Stored hashes here use a small scrypt cost (N=1024) as a hash from an older setting would: each
// stored hash carries its own parameters, so they verify as they are and keep the test fast.
import { randomBytes, scryptSync } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManagerPin, PinInUse, PinRule } from '../../main/app/manager-pin';
import { AppSettings, SettingsError } from '../../main/app/settings';
import { openDatabase, type Db } from '../../main/ledger/database';
import { SettingsStore } from '../../main/ledger/settings-store';
import { CASHIER_PIN_RULE, MANAGER_PIN_RULE } from '../../shared/domain/limits';
import { tempDir } from '../support/fixture';

const weakHash = (pin: string) => {
  const salt = randomBytes(16);
  return {
    algo: 'scrypt' as const,
    N: 1024,
    r: 8,
    p: 1,
    salt: salt.toString('base64'),
    hash: scryptSync(pin, salt, 32, { N: 1024, r: 8, p: 1 }).toString('base64'),
  };
};

let db: Db;
afterEach(() => db?.close());

function terminal(opts: { manager?: string; cashiers?: Record<string, string> } = {}) {
  db = openDatabase(join(tempDir('tpos-pin-'), 'ledger.db'));
  const settings = new AppSettings(db);
  if (opts.manager) settings.set('managerPin', weakHash(opts.manager));
  if (opts.cashiers)
    settings.set(
      'cashierPins',
      Object.entries(opts.cashiers).map(([name, pin]) => ({ name, pin: weakHash(pin) })),
    );
  const clock = { t: 1_800_000_000_000 };
  return { settings, clock, pins: new ManagerPin(settings, () => clock.t) };
}

const errorOf = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
};

describe('new PINs that are refused', () => {
  it('a manager PIN shorter than 6 digits or not digits; a cashier PIN outside 4–8 digits', () => {
    const { pins, settings } = terminal();
    for (const bad of ['12345', '123456789', '12a456', '']) {
      const e = errorOf(() => pins.set(bad));
      expect(e).toBeInstanceOf(PinRule);
      expect(e.message).toBe(MANAGER_PIN_RULE);
    }
    expect(errorOf(() => pins.setCashier('Ada', '123'))).toEqual(new PinRule(CASHIER_PIN_RULE));
    expect(settings.get('managerPin')).toBeUndefined();
    expect(pins.cashiers()).toEqual([]);
  });

  it("a cashier PIN that is the manager's or another cashier's; nothing is stored", () => {
    const { pins } = terminal({ manager: '246810', cashiers: { Ada: '1111' } });
    const e = errorOf(() => pins.setCashier('Bola', '246810'));
    expect(e).toBeInstanceOf(PinInUse);
    expect(e.message).toBe("the PIN is the manager's: give each cashier their own");
    expect(errorOf(() => pins.setCashier('Bola', '1111')).message).toBe('another cashier already has this PIN');
    expect(pins.cashiers()).toEqual(['Ada']);
    // Ada may keep her own PIN (she is not "another" cashier); removing a name that is not there says so.
    expect(pins.removeCashier('Nobody')).toBe(false);
    expect(pins.removeCashier('Ada')).toBe(true);
    expect(pins.cashiers()).toEqual([]);
  });
});

describe('log-ins that are refused', () => {
  it('no manager PIN yet', () => {
    const { pins } = terminal();
    expect(pins.isSet()).toBe(false);
    expect(pins.check('246810')).toEqual({
      ok: false,
      message: 'no manager PIN is set: finish the setup first (or run `taxpoynt-pos set-pin`)',
    });
  });

  it("a cashier's PIN does not open the manager area; it does log in as that cashier", () => {
    const { pins } = terminal({ manager: '246810', cashiers: { Ada: '1111' } });
    expect(pins.check('1111')).toEqual({ ok: false, message: 'wrong PIN' });
    expect(pins.checkAny('1111')).toEqual({ ok: true, role: 'cashier', cashier: 'Ada' });
  });

  it('five wrong PINs block every PIN of the terminal, names included; the block runs out; a right PIN clears the count', () => {
    const { pins, clock } = terminal({ manager: '246810', cashiers: { Ada: '1111' } });
    for (let i = 0; i < 4; i++) expect(pins.checkAny('0000')).toEqual({ ok: false, message: 'wrong PIN' });
    expect(pins.signIn('Nobody', '1111')).toEqual({ ok: false, message: 'wrong PIN', retryAfterS: 30 });
    const blocked = { ok: false, message: 'too many wrong PINs: wait before trying again', retryAfterS: 30 };
    expect(pins.check('246810')).toEqual(blocked);
    expect(pins.signIn('Ada', '1111')).toEqual(blocked);
    clock.t += 31_000;
    expect(pins.signIn('Ada', '1111')).toEqual({ ok: true, role: 'cashier', cashier: 'Ada' });
    // The count started again: four more wrong tries are not blocked.
    for (let i = 0; i < 4; i++) expect(pins.signIn('Ada', '2222')).toEqual({ ok: false, message: 'wrong PIN' });
    expect(pins.signIn('Ada', '2222')).toMatchObject({ ok: false, retryAfterS: 30 });
  });

  it('a manager PIN hashed at an older, weaker setting still unlocks and is rewritten at the current one', () => {
    const { pins, settings } = terminal({ manager: '246810' });
    expect(settings.get('managerPin')!.N).toBe(1024);
    expect(pins.check('246810')).toEqual({ ok: true });
    expect(settings.get('managerPin')).toMatchObject({ N: 32768, r: 8, p: 2 });
    expect(pins.check('246810')).toEqual({ ok: true });
  });
});

describe('a damaged PIN setting', () => {
  it('of the wrong shape is an error naming the setting and the field', () => {
    const { pins } = terminal();
    new SettingsStore(db).set('app.managerPin', JSON.stringify({ algo: 'md5', hash: 'x' }));
    const e = errorOf(() => pins.check('246810'));
    expect(e).toBeInstanceOf(SettingsError);
    expect(e.message).toMatch(/^setting managerPin in the ledger is invalid: algo: /);
  });

  it('that is not JSON at all is an error naming the setting too', () => {
    const { pins } = terminal();
    new SettingsStore(db).set('app.cashierPins', '[{"name":"Ada",');
    const e = errorOf(() => pins.cashiers());
    expect(e).toBeInstanceOf(SettingsError);
    expect(e.message).toMatch(/^setting cashierPins in the ledger is not JSON/);
  });
});
