// The settings screen's error splitter with the POS fields' keys: main's `pos.<vendor>.<key>`
// problems go to their fields, a problem naming no field on the screen stays in the general message.
import { describe, expect, it } from 'vitest';
import { splitFieldErrors } from '../../renderer/src/lib/field-errors';
import { SOURCES } from '../../shared/sources/registry';

const POS_KEYS = new Set(SOURCES.flatMap((s) => ('fields' in s ? s.fields.map((f) => `pos.${s.id}.${f.key}`) : [])));

describe('POS errors at their fields', () => {
  it('puts each known POS field problem at its field and keeps the rest general', () => {
    const split = splitFieldErrors(
      'pos.square.locationIds: give at least one location id; pos.square.baseUrl: must be an http(s) URL; pos.square: Unrecognized key: "colour"',
      POS_KEYS,
    );
    expect(split.fields).toEqual({
      'pos.square.locationIds': 'give at least one location id',
      'pos.square.baseUrl': 'must be an http(s) URL',
    });
    expect(split.general).toBe('pos.square: Unrecognized key: "colour"');
  });

  it('without the POS keys nothing POS is taken for a field (the screen passes them)', () => {
    expect(splitFieldErrors('pos.toast.restaurantGuid: Restaurant GUID is required').fields).toEqual({});
    expect(splitFieldErrors('pos.toast.restaurantGuid: Restaurant GUID is required', POS_KEYS).fields).toEqual({
      'pos.toast.restaurantGuid': 'Restaurant GUID is required',
    });
  });
});
