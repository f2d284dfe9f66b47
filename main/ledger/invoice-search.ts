// What the day view filters and searches on besides the invoice's own columns, taken from the
// sale once when it is issued (migration 022 fills older rows): the buyer's name and TIN, the
// payment methods, and the search text in a trigram FTS5 table (invoice_search: the same
// "contains" as the LIKE over the row it replaced, through an index, from 3 characters). The
// stored JSON is compressed (invoice-body.ts), so nothing may search it in SQL.
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
  /** Number, IRN, external id, buyer, TIN and item names, one a line (the invoice's FTS row). */
  text: string;
}

export function searchFields(ids: { invoice_number: string; irn: string; external_id: string }, sale: SaleLike): SearchFields {
  const methods = [...new Set((sale.payments ?? []).map((p) => p.method).filter((m): m is string => typeof m === 'string'))];
  const customer = typeof sale.customer?.name === 'string' ? sale.customer.name : null;
  const customer_tin = typeof sale.customer?.tin === 'string' ? sale.customer.tin : null;
  const names = (sale.lines ?? []).map((l) => l.name ?? '');
  return {
    customer,
    customer_tin,
    methods: methods.join(' '),
    text: [ids.invoice_number, ids.irn, ids.external_id, customer ?? '', customer_tin ?? '', ...names].join('\n'),
  };
}

/** Indexes an invoice's search text (inside the issuing transaction). */
export function indexSearch(db: Db, counter: number, text: string): void {
  prepared(db, 'INSERT INTO invoice_search (rowid, text) VALUES (?, ?)').run(counter, text);
}
