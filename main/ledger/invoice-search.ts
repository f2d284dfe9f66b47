// What the day view filters and searches on besides the invoice's own columns, taken from the
// sale once when it is issued (migration 022 fills older rows): the buyer's name and TIN, the
// payment methods, and the item names in a trigram FTS5 table (invoice_items: substring search
// through an index, the same "contains" as the LIKE it replaced). The stored JSON is compressed
// (invoice-body.ts), so nothing may search it in SQL; these are the searchable copies.
import type { Db } from './database';
import { prepared } from './prepared';

interface SaleLike {
  customer?: { name?: string; tin?: string } | null;
  payments?: { method?: string }[];
  lines?: { name?: string }[];
}

export interface SearchFields {
  customer: string | null;
  customer_tin: string | null;
  /** Distinct payment methods in the order paid, space-separated ('' when none). */
  methods: string;
  /** Item names, one a line (the FTS row of the invoice). */
  items: string;
}

export function searchFields(sale: SaleLike): SearchFields {
  const methods = [...new Set((sale.payments ?? []).map((p) => p.method).filter((m): m is string => typeof m === 'string'))];
  return {
    customer: typeof sale.customer?.name === 'string' ? sale.customer.name : null,
    customer_tin: typeof sale.customer?.tin === 'string' ? sale.customer.tin : null,
    methods: methods.join(' '),
    items: (sale.lines ?? []).map((l) => l.name ?? '').join('\n'),
  };
}

/** Indexes an invoice's item names (inside the issuing transaction). */
export function indexItems(db: Db, counter: number, items: string): void {
  prepared(db, 'INSERT INTO invoice_items (rowid, names) VALUES (?, ?)').run(counter, items);
}
