// Shared by the mapping tests: vendor fixtures (fresh copies), and the invoice totals a mapped sale gives.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { MapOutcome, ReviewOutcome, SaleOutcome, SkipOutcome } from '../../../shared/capture/outcome';
import { parseSale } from '../../../shared/domain/sale';
import { computeTotals, type SaleTotals } from '../../../shared/domain/totals';

export const FIXTURES = join(process.cwd(), 'test/fixtures/vendors');

export function load(path: string): any {
  return JSON.parse(readFileSync(join(FIXTURES, path), 'utf8'));
}

export function only(outcomes: MapOutcome[]): MapOutcome {
  expect(outcomes).toHaveLength(1);
  return outcomes[0]!;
}

export function asSale(o: MapOutcome | undefined): SaleOutcome & { totals: SaleTotals } {
  expect(o?.kind, o?.kind === 'review' ? (o as ReviewOutcome).reason : undefined).toBe('sale');
  const s = o as SaleOutcome;
  return { ...s, totals: computeTotals(parseSale(s.sale)) };
}

export function asReview(o: MapOutcome | undefined): ReviewOutcome {
  expect(o?.kind).toBe('review');
  return o as ReviewOutcome;
}

export function asSkip(o: MapOutcome | undefined): SkipOutcome {
  expect(o?.kind).toBe('skip');
  return o as SkipOutcome;
}
