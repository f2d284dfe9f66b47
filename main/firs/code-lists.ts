// FIRS code lists (invoice types, currencies, tax categories, payment means, countries):
// fetched from /invoice/resources/{name}, cached in the ledger database, and used to check an
// invoice before it is sent, so a bad code is named locally instead of burning an attempt.
// A shipped copy (default-code-lists.ts) covers a terminal that has never been online.
import type { Db } from '../ledger/database';
import { CodeListStore } from '../ledger/code-list-store';
import type { FirsClient } from './firs-client';
import { CodeListData, type CodeListEntry, type CodeListName } from './wire';
import { DEFAULT_CODE_LISTS } from './default-code-lists';

/** The lists an invoice is checked against before sending. */
export const CHECKED_LISTS = ['invoice-types', 'currencies', 'tax-categories', 'payment-means', 'countries'] as const satisfies readonly CodeListName[];

/** The code of an entry, whatever the list's shape ("NGN", {code}, {alpha_2}, {id}, …). */
export function entryCode(e: CodeListEntry): string | undefined {
  if (typeof e === 'string') return e;
  for (const k of ['code', 'alpha_2', 'alpha2', 'id', 'iso_code', 'value']) {
    const v = e[k];
    if (typeof v === 'string' || typeof v === 'number') return String(v);
  }
  return undefined;
}

export class CodeLists {
  private readonly store: CodeListStore;
  constructor(db: Db, private readonly now: () => number = () => Date.now()) {
    this.store = new CodeListStore(db);
  }

  /** Fetches the checked lists (those older than maxAgeMs) and stores them. Returns the names refreshed. */
  async refresh(client: FirsClient, maxAgeMs = 24 * 3600_000): Promise<string[]> {
    const refreshed: string[] = [];
    for (const name of CHECKED_LISTS) {
      const fetchedAt = this.store.fetchedAt(name);
      if (fetchedAt !== undefined && this.now() - fetchedAt < maxAgeMs) continue;
      const entries = await client.codeList(name);
      if (entries.length === 0) continue; // an empty list would refuse everything: keep what we have
      this.store.save(name, this.now(), JSON.stringify(entries));
      refreshed.push(name);
    }
    return refreshed;
  }

  /** The cached list, else the shipped copy. */
  entries(name: CodeListName): CodeListEntry[] {
    const stored = this.store.entries(name);
    if (stored !== undefined) {
      const parsed = CodeListData.safeParse(JSON.parse(stored));
      if (parsed.success) return parsed.data;
    }
    return DEFAULT_CODE_LISTS[name] ?? [];
  }

  codes(name: CodeListName): Set<string> {
    return new Set(this.entries(name).map(entryCode).filter((c): c is string => c !== undefined));
  }

  /** Problems with an invoice's codes, each as "dotted.path: reason" (empty when it passes). */
  check(invoice: unknown): string[] {
    const inv = invoice as {
      invoice_type_code?: string; document_currency_code?: string; tax_currency_code?: string;
      tax_total?: { tax_subtotal?: { tax_category?: { id?: string } }[] }[];
      payment_means?: { payment_means_code?: string }[];
      accounting_supplier_party?: { postal_address?: { country?: string } };
      accounting_customer_party?: { postal_address?: { country?: string } };
    };
    const problems: string[] = [];
    const lists = new Map<CodeListName, Set<string>>();
    const has = (name: CodeListName, code: string | undefined) => {
      if (!lists.has(name)) lists.set(name, this.codes(name));
      const set = lists.get(name)!;
      return set.size === 0 || (code !== undefined && set.has(code)); // no list known: cannot judge
    };
    if (!has('invoice-types', inv.invoice_type_code)) problems.push(`invoice_type_code: "${inv.invoice_type_code}" is not in the FIRS invoice-types list`);
    if (!has('currencies', inv.document_currency_code)) problems.push(`document_currency_code: "${inv.document_currency_code}" is not in the FIRS currencies list`);
    if (!has('currencies', inv.tax_currency_code)) problems.push(`tax_currency_code: "${inv.tax_currency_code}" is not in the FIRS currencies list`);
    (inv.tax_total ?? []).forEach((t, i) => (t.tax_subtotal ?? []).forEach((s, j) => {
      if (!has('tax-categories', s.tax_category?.id)) problems.push(`tax_total.${i}.tax_subtotal.${j}.tax_category.id: "${s.tax_category?.id}" is not in the FIRS tax-categories list`);
    }));
    (inv.payment_means ?? []).forEach((p, i) => {
      if (!has('payment-means', p.payment_means_code)) problems.push(`payment_means.${i}.payment_means_code: "${p.payment_means_code}" is not in the FIRS payment-means list`);
    });
    for (const party of ['accounting_supplier_party', 'accounting_customer_party'] as const) {
      const country = inv[party]?.postal_address?.country;
      if (country !== undefined && !has('countries', country)) problems.push(`${party}.postal_address.country: "${country}" is not in the FIRS countries list`);
    }
    return problems;
  }
}
