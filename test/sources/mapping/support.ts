// The published CRM examples (../shared/fixtures/real-crm), read in place; tests skip with a printed reason when absent.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import type { DealInvoice, DealNotWon, DealOutcome, DealReview } from '../../../shared/capture/crm/outcome';
import { computeTotals, type SaleTotals } from '../../../shared/domain/totals';

export const REAL_CRM = resolve(process.cwd(), '../shared/fixtures/real-crm');
export const HAVE_FIXTURES = existsSync(join(REAL_CRM, 'INDEX.txt'));
if (!HAVE_FIXTURES) console.warn(`skipping CRM fixture tests: ${REAL_CRM} is absent`);

export function real(path: string): any {
  return JSON.parse(readFileSync(join(REAL_CRM, path), 'utf8'));
}

export function asInvoice(o: DealOutcome | undefined): DealInvoice & { totals: SaleTotals } {
  expect(o?.kind, o?.kind === 'review' ? o.reason : o?.kind === 'not_won' ? o.reason : undefined).toBe('invoice');
  const inv = o as DealInvoice;
  return { ...inv, totals: computeTotals(inv.sale) };
}

export function asReview(o: DealOutcome | undefined): DealReview {
  expect(o?.kind).toBe('review');
  return o as DealReview;
}

export function asNotWon(o: DealOutcome | undefined): DealNotWon {
  expect(o?.kind).toBe('not_won');
  return o as DealNotWon;
}

export const NG_BUYER = {
  tin: '12345678-0001',
  email: 'ap@buyer.ng',
  street: '12 Marina',
  city: 'Lagos',
  postalZone: '101233',
  state: 'NG-LA',
  lga: 'NG-LA-IKJ',
  country: 'Nigeria',
};
