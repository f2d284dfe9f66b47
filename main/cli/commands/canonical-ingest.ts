// `ingest --source canonical`: the JSON text (one sale or an array) → invoices, all or nothing.
// A function of the text and the ledger, so the resilience fuzz runs the very path the CLI runs.
import type { IssueResult, Ledger } from '../../ledger/ledger';
import { InvalidInput, parseSale } from '../../../shared/domain/sale';
import { computeTotals } from '../../../shared/domain/totals';
import { parseJson } from '../context';

export function canonicalIngest(text: string, what: string, openLedger: () => Ledger): IssueResult[] {
  const doc = parseJson(text, what);
  const items = Array.isArray(doc) ? doc : [doc];
  if (items.length === 0) throw new InvalidInput('the file holds an empty array: no sales to ingest');
  // Validate everything before writing anything: a bad sale anywhere leaves the ledger unchanged.
  items.forEach((item, i) => {
    try {
      computeTotals(parseSale(item));
    } catch (e) {
      if (e instanceof InvalidInput && items.length > 1) throw new InvalidInput(`sale[${i}]: ${e.message}`);
      throw e;
    }
  });
  return openLedger().issueAll(items);
}
