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
export const CHECKED_LISTS = [
  'invoice-types',
  'currencies',
  'tax-categories',
  'payment-means',
  'countries',
] as const satisfies readonly CodeListName[];

/** Every list fetched and cached at run time: the checked ones, the profile's and the items'. */
export const REFRESHED_LISTS = [
  ...CHECKED_LISTS,
  'states',
  'lgas',
  'hs-codes',
  'services-codes',
  'invoice-quantity-codes',
] as const satisfies readonly CodeListName[];

/** The code of an entry, whatever the list's shape ("NGN", {code}, {alpha_2}, {id}, …). */
export function entryCode(e: CodeListEntry): string | undefined {
  if (typeof e === 'string') return e;
  for (const k of ['code', 'hscode', 'hs_code', 'alpha_2', 'alpha2', 'id', 'iso_code', 'value']) {
    const v = e[k];
    if (typeof v === 'string' || typeof v === 'number') return String(v);
  }
  return undefined;
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

interface Memo {
  fetchedAt: number;
  entries: CodeListEntry[];
  codes?: Set<string>;
  descriptions?: Map<string, string | undefined>;
}

/** Each code's description (the first entry with that code decides, as a scan would find it). */
function descriptionsOf(entries: CodeListEntry[]): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const e of entries) {
    const code = entryCode(e);
    if (code === undefined || out.has(code)) continue;
    let text: string | undefined;
    if (typeof e !== 'string')
      for (const k of ['description', 'name', 'value'])
        if (typeof e[k] === 'string' && e[k]) {
          text = e[k] as string;
          break;
        }
    out.set(code, text);
  }
  return out;
}

export class CodeLists {
  // Parsed lists and their code sets per fetched version: the check runs once per report, and
  // re-reading and re-parsing the lists (hs-codes has thousands of entries) each time was a
  // quarter of the sync's CPU per report (issue 15, --cpu-prof of a drain).
  private readonly memo = new Map<CodeListName, Memo>();
  private readonly shippedCodes = new Map<CodeListName, Set<string>>();
  private readonly shippedDescriptions = new Map<CodeListName, Map<string, string | undefined>>();
  private readonly store: CodeListStore;
  /**
   * Which version of each list is cached, read once per check(): it asks a dozen times per report,
   * and a query each time was the next largest share of a drain's CPU (issue 15). Outside a check
   * every call reads it afresh, so a fetch by another process is seen at once.
   */
  private versions: Map<string, number> | undefined;
  constructor(
    db: Db,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.store = new CodeListStore(db);
  }

  /** Fetches the checked lists (those older than maxAgeMs) and stores them. Returns the names refreshed. */
  async refresh(client: FirsClient, maxAgeMs = 24 * 3600_000): Promise<string[]> {
    const refreshed: string[] = [];
    for (const name of REFRESHED_LISTS) {
      const fetchedAt = this.store.fetchedAt(name);
      if (fetchedAt !== undefined && this.now() - fetchedAt < maxAgeMs) continue;
      const entries = await client.codeList(name);
      if (entries.length === 0) continue; // an empty list would refuse everything: keep what we have
      this.store.save(name, this.now(), JSON.stringify(entries));
      refreshed.push(name);
    }
    return refreshed;
  }

  /** The cached list, else the shipped copy (parsed once per fetched version). */
  entries(name: CodeListName): CodeListEntry[] {
    return this.current(name)?.entries ?? DEFAULT_CODE_LISTS[name] ?? [];
  }

  /** The fetched list as memoised for its version (the JSON is read only when the version changed). */
  private current(name: CodeListName): Memo | undefined {
    const fetchedAt = this.fetchedAt(name);
    if (fetchedAt === undefined) return undefined;
    const memo = this.memo.get(name);
    if (memo && memo.fetchedAt === fetchedAt) return memo;
    const stored = this.store.entries(name);
    if (stored !== undefined) {
      // A cached copy that is not JSON (a damaged row) is treated like one of the wrong shape: the
      // shipped copy stands until the next refresh, instead of every check throwing.
      const parsed = CodeListData.safeParse(parseOrUndefined(stored));
      if (parsed.success) {
        const fresh = { fetchedAt, entries: parsed.data };
        this.memo.set(name, fresh);
        return fresh;
      }
    }
    return undefined;
  }

  /** True when the platform's own copy has been fetched (the shipped copies of some lists are partial). */
  fetched(name: CodeListName): boolean {
    return this.fetchedAt(name) !== undefined;
  }

  private fetchedAt(name: CodeListName): number | undefined {
    return this.versions ? this.versions.get(name) : this.store.fetchedAt(name);
  }

  /** The description of an entry (hs-codes, services-codes: the item category), if listed. */
  describe(name: CodeListName, code: string): string | undefined {
    // Looked up per invoice line when issuing: a map per list version, not a scan of thousands of entries.
    const cur = this.current(name);
    if (cur) return (cur.descriptions ??= descriptionsOf(cur.entries)).get(code);
    let shipped = this.shippedDescriptions.get(name);
    if (!shipped) this.shippedDescriptions.set(name, (shipped = descriptionsOf(DEFAULT_CODE_LISTS[name] ?? [])));
    return shipped.get(code);
  }

  /** Runs `fn` with each list's version read once (one query, not one per lookup), as check() does. */
  atOneVersion<T>(fn: () => T): T {
    if (this.versions) return fn();
    this.versions = this.store.fetchedAll();
    try {
      return fn();
    } finally {
      this.versions = undefined;
    }
  }

  codes(name: CodeListName): Set<string> {
    const toSet = (entries: CodeListEntry[]) => new Set(entries.map(entryCode).filter((c): c is string => c !== undefined));
    const cur = this.current(name);
    if (cur) return (cur.codes ??= toSet(cur.entries));
    let shipped = this.shippedCodes.get(name);
    if (!shipped) this.shippedCodes.set(name, (shipped = toSet(DEFAULT_CODE_LISTS[name] ?? [])));
    return shipped;
  }

  /** Problems with an invoice's codes, each as "dotted.path: reason" (empty when it passes). */
  check(invoice: unknown): string[] {
    return this.atOneVersion(() => this.problems(invoice));
  }

  private problems(invoice: unknown): string[] {
    const inv = invoice as {
      invoice_type_code?: string;
      document_currency_code?: string;
      tax_currency_code?: string;
      tax_total?: { tax_subtotal?: { tax_category?: { id?: string } }[] }[];
      payment_means?: { payment_means_code?: string }[];
      accounting_supplier_party?: { postal_address?: { country?: string; state?: string; lga?: string } };
      accounting_customer_party?: { postal_address?: { country?: string; state?: string; lga?: string } };
      invoice_line?: { hsn_code?: string; isic_code?: string }[];
    };
    const problems: string[] = [];
    const lists = new Map<CodeListName, Set<string>>();
    const has = (name: CodeListName, code: string | undefined) => {
      if (!lists.has(name)) lists.set(name, this.codes(name));
      const set = lists.get(name)!;
      return set.size === 0 || (code !== undefined && set.has(code)); // no list known: cannot judge
    };
    if (!has('invoice-types', inv.invoice_type_code))
      problems.push(`invoice_type_code: "${inv.invoice_type_code}" is not in the FIRS invoice-types list`);
    if (!has('currencies', inv.document_currency_code))
      problems.push(`document_currency_code: "${inv.document_currency_code}" is not in the FIRS currencies list`);
    if (!has('currencies', inv.tax_currency_code))
      problems.push(`tax_currency_code: "${inv.tax_currency_code}" is not in the FIRS currencies list`);
    (inv.tax_total ?? []).forEach((t, i) =>
      (t.tax_subtotal ?? []).forEach((s, j) => {
        if (!has('tax-categories', s.tax_category?.id))
          problems.push(`tax_total.${i}.tax_subtotal.${j}.tax_category.id: "${s.tax_category?.id}" is not in the FIRS tax-categories list`);
      }),
    );
    (inv.invoice_line ?? []).forEach((l, i) => {
      if (l.hsn_code === undefined && l.isic_code === undefined)
        problems.push(`invoice_line.${i}: no item classification (hsn_code for goods or isic_code for services)`);
      if (l.hsn_code !== undefined && this.fetched('hs-codes') && !has('hs-codes', l.hsn_code))
        problems.push(`invoice_line.${i}.hsn_code: "${l.hsn_code}" is not in the FIRS hs-codes list`);
      if (l.isic_code !== undefined && this.fetched('services-codes') && !has('services-codes', l.isic_code))
        problems.push(`invoice_line.${i}.isic_code: "${l.isic_code}" is not in the FIRS services-codes list`);
    });
    for (const party of ['accounting_supplier_party', 'accounting_customer_party'] as const) {
      const a = inv[party]?.postal_address;
      if (a?.state !== undefined && !has('states', a.state))
        problems.push(`${party}.postal_address.state: "${a.state}" is not in the FIRS states list`);
      if (a?.lga !== undefined && this.lgaKnownWrong(a.state, a.lga))
        problems.push(`${party}.postal_address.lga: "${a.lga}" is not in the FIRS lgas list for ${a.state}`);
    }
    (inv.payment_means ?? []).forEach((p, i) => {
      if (!has('payment-means', p.payment_means_code))
        problems.push(`payment_means.${i}.payment_means_code: "${p.payment_means_code}" is not in the FIRS payment-means list`);
    });
    for (const party of ['accounting_supplier_party', 'accounting_customer_party'] as const) {
      const country = inv[party]?.postal_address?.country;
      if (country !== undefined && !has('countries', country))
        problems.push(`${party}.postal_address.country: "${country}" is not in the FIRS countries list`);
    }
    return problems;
  }

  /**
   * An LGA is wrong only when the list covers its state and does not hold it: the shipped copy
   * covers few states (see shared/firs-codes/lgas.ts), so elsewhere only its shape is checked.
   */
  lgaKnownWrong(state: string | undefined, lga: string): boolean {
    if (!state || !lga.startsWith(`${state}-`)) return true;
    const ofState = this.entries('lgas').filter(
      (e) => typeof e !== 'string' && (e.state_code === state || String(entryCode(e) ?? '').startsWith(`${state}-`)),
    );
    return ofState.length > 0 && !ofState.some((e) => entryCode(e) === lga);
  }

  /** Whether the list covers an LGA's state at all (else it is checked by shape only). */
  lgaCovered(state: string): boolean {
    return this.entries('lgas').some(
      (e) => typeof e !== 'string' && (e.state_code === state || String(entryCode(e) ?? '').startsWith(`${state}-`)),
    );
  }
}
