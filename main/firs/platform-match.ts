// Is the invoice the platform holds under an IRN ours? After a sign failure (or a lost answer)
// confirm/{IRN} decides: the same business, date, type and amounts as our stored invoice → ours
// (the job is done); anything different → an IRN collision (a restored backup or two tills sharing
// a terminal code issued the same number for another sale): never marked done.
// The confirm/download answers' shape is not published, so the fields are looked up by name at
// the top level, under `invoice`/`data`, and under `legal_monetary_total`.

export type PlatformVerdict =
  | { verdict: 'ours'; compared: string[] }
  | { verdict: 'theirs'; differences: string[] }
  /** Nothing differs, but no amount could be compared (the record is too thin to call it ours). */
  | { verdict: 'unknown'; compared: string[] };

/** The fields compared, as [label, path in our FIRS invoice JSON]. */
const COMPARED: readonly [string, readonly string[]][] = [
  ['business_id', ['business_id']],
  ['irn', ['irn']],
  ['issue_date', ['issue_date']],
  ['invoice_type_code', ['invoice_type_code']],
  ['document_currency_code', ['document_currency_code']],
  ['payable_amount', ['legal_monetary_total', 'payable_amount']],
  ['tax_inclusive_amount', ['legal_monetary_total', 'tax_inclusive_amount']],
  ['tax_exclusive_amount', ['legal_monetary_total', 'tax_exclusive_amount']],
];

function at(obj: unknown, path: readonly string[]): unknown {
  let cur = obj;
  for (const k of path) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/** The platform's value for a field: nested as ours, or flat (e.g. `payable_amount` at the top). */
function platformValue(record: unknown, path: readonly string[]): unknown {
  for (const root of [record, at(record, ['invoice']), at(record, ['data'])]) {
    if (!root || typeof root !== 'object') continue;
    const nested = at(root, path);
    if (nested !== undefined && nested !== null) return nested;
    const flat = at(root, [path[path.length - 1]!]);
    if (flat !== undefined && flat !== null) return flat;
  }
  return undefined;
}

function same(a: unknown, b: unknown): boolean {
  // Amounts may come back as numbers or decimal strings ("1075.00"): compare numbers to the kobo.
  const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : undefined);
  const na = num(a);
  const nb = num(b);
  if (na !== undefined && nb !== undefined) return na.toFixed(2) === nb.toFixed(2);
  return String(a) === String(b);
}

export function matchPlatformRecord(stored: unknown, record: unknown): PlatformVerdict {
  const compared: string[] = [];
  const differences: string[] = [];
  for (const [label, path] of COMPARED) {
    const theirs = platformValue(record, path);
    if (theirs === undefined) continue;
    const ours = at(stored, path);
    compared.push(label);
    if (!same(ours, theirs)) differences.push(`${label}: ours ${JSON.stringify(ours)}, the platform's ${JSON.stringify(theirs)}`);
  }
  if (differences.length > 0) return { verdict: 'theirs', differences };
  // Same business, IRN and date say little (a re-used IRN has all three): an amount must agree too.
  return compared.some((c) => c.endsWith('_amount')) ? { verdict: 'ours', compared } : { verdict: 'unknown', compared };
}
