// A shipped subset of the NRS `invoice-quantity-codes` list (added Apr 2026; {code, name,
// description}): UN/ECE Recommendation 20 unit codes. See firs-spellings.ts for how price_unit uses it.
export interface QuantityEntry {
  code: string;
  name: string;
}

export const QUANTITY_CODES: readonly QuantityEntry[] = [
  ['10', 'group'],
  ['11', 'outfit'],
  ['13', 'ration'],
  ['C62', 'one'],
  ['H87', 'piece'],
  ['EA', 'each'],
  ['KGM', 'kilogram'],
  ['GRM', 'gram'],
  ['LTR', 'litre'],
  ['MTR', 'metre'],
  ['SET', 'set'],
  ['DZN', 'dozen'],
  ['BX', 'box'],
  ['PK', 'pack'],
  ['HUR', 'hour'],
  ['DAY', 'day'],
  ['MON', 'month'],
  ['E48', 'service unit'],
].map(([code, name]) => ({ code: code!, name: name! }));
