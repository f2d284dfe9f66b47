import { describe, expect, it } from 'vitest';
import { buildIrn, invoiceNumber } from '../../shared/domain/irn';
import { lagosDayBounds, toLagos } from '../../shared/domain/lagos-time';

describe('Lagos time (UTC+1, no DST)', () => {
  it('23:30 UTC is already the next day in Lagos: the IRN date follows Lagos', () => {
    expect(toLagos(new Date('2026-11-24T23:30:00Z'))).toEqual({ date: '2026-11-25', time: '00:30:00', compactDate: '20261125' });
    expect(toLagos(new Date('2026-11-24T22:59:59Z'))).toEqual({ date: '2026-11-24', time: '23:59:59', compactDate: '20261124' });
  });

  it('the same in June and December (no daylight saving)', () => {
    expect(toLagos(new Date('2026-06-30T23:00:00Z')).date).toBe('2026-07-01');
    expect(toLagos(new Date('2026-12-31T23:00:00Z')).date).toBe('2027-01-01');
  });

  it('a Lagos day is [23:00 UTC the day before, 23:00 UTC)', () => {
    const { start, end } = lagosDayBounds('2026-11-24');
    expect(start.toISOString()).toBe('2026-11-23T23:00:00.000Z');
    expect(end.toISOString()).toBe('2026-11-24T23:00:00.000Z');
  });

  it.each(['2026-13-01', '24/11/2026', '', '2026-11-24T00:00'])('rejects the date %j', (d) => {
    expect(() => lagosDayBounds(d)).toThrow(/is not a date/);
  });
});

describe('invoice numbers and IRNs', () => {
  it('number = terminal + 8-digit counter; IRN = number-serviceid-YYYYMMDD', () => {
    expect(invoiceNumber('T01', 42)).toBe('T0100000042');
    expect(buildIrn('T0100000042', '94ND90NR', '20261124')).toBe('T0100000042-94ND90NR-20261124');
  });

  it('two terminals can never produce the same number (fixed-width counter)', () => {
    // "T1" + counter 100000001 would collide with "T11" + 00000001 if the width were not fixed
    expect(invoiceNumber('T1', 10_000_001)).not.toBe(invoiceNumber('T11', 1));
    expect(() => invoiceNumber('T1', 100_000_000)).toThrow(/out of range/);
  });

  it.each([
    ['t01', 1],
    ['1T', 1],
    ['T-1', 1],
    ['T01', 0],
    ['T01', 1.5],
  ])('refuses terminal %j counter %j', (t, c) => {
    expect(() => invoiceNumber(t, c)).toThrow();
  });

  it('refuses bad service ids and dates; keeps the IRN within 140 characters', () => {
    expect(() => buildIrn('T0100000001', '94ND90N', '20261124')).toThrow(/service id/);
    expect(() => buildIrn('T0100000001', '94ND90NR', '2026-11-24')).toThrow(/YYYYMMDD/);
    expect(() => buildIrn('T01-0001', '94ND90NR', '20261124')).toThrow(/letters and digits/);
    expect(() => buildIrn('A'.repeat(130), '94ND90NR', '20261124')).toThrow(/at most 140/);
  });
});
