// Shares a whole-kobo amount out over weights so the shares add up to it exactly: each share is
// rounded down, then the kobo left over go one each to the largest remainders (ties: first).
import Big from 'big.js';
import type { Kobo } from './money';

export function allocate(total: Kobo, weights: readonly Kobo[]): Kobo[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (total === 0 || sum === 0) return weights.map(() => 0);
  const exact = weights.map((w) => new Big(total).times(w).div(sum));
  const floors = exact.map((e) => Number(e.round(0, Big.roundDown).toFixed(0)));
  let rest = total - floors.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, frac: e.minus(floors[i]!) })).sort((a, b) => b.frac.cmp(a.frac) || a.i - b.i);
  for (const { i } of order) {
    if (rest <= 0) break;
    floors[i]! += 1;
    rest -= 1;
  }
  return floors;
}
