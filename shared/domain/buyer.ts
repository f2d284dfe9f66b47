// Who the buyer is decides the invoice kind (NRS v1.1 `invoice_kind`) and what its party must
// carry: B2C (no TIN) omits the party; B2B (a TIN) and B2G (a government buyer) need the TIN in a
// published format, an email and the full postal address with state and LGA codes.
import type { Party } from './sale';

export type InvoiceKind = 'B2C' | 'B2B' | 'B2G';

/** Published TIN formats: NNNNNNNN-NNNN, or RN-<digits> for registrations from Oct 2025. */
export const TIN_FORMATS: readonly RegExp[] = [/^\d{8}-\d{4}$/, /^RN-\d{6,14}$/];

export function tinProblem(tin: string): string | undefined {
  return TIN_FORMATS.some((re) => re.test(tin))
    ? undefined
    : `"${tin}" is not a TIN in a published format (8 digits, a dash, 4 digits like 12345678-0001; or RN- and digits for newer registrations)`;
}

export function invoiceKind(customer: Party | null | undefined): InvoiceKind {
  if (customer?.government) return 'B2G';
  return customer?.tin ? 'B2B' : 'B2C';
}

/** What a B2B/B2G buyer lacks, as "customer.field: reason" (empty when complete or B2C). */
export function buyerProblems(customer: Party | null | undefined): string[] {
  const kind = invoiceKind(customer);
  if (kind === 'B2C' || !customer) return [];
  const problems: string[] = [];
  if (!customer.tin) problems.push(`customer.tin: a ${kind} buyer needs a TIN`);
  else {
    const bad = tinProblem(customer.tin);
    if (bad) problems.push(`customer.tin: ${bad}`);
  }
  if (!customer.email) problems.push(`customer.email: a ${kind} buyer needs an email address`);
  const a = customer.address;
  if (!a) problems.push(`customer.address: a ${kind} buyer needs a postal address (street, city, postal_zone, state, lga, country)`);
  else {
    for (const f of ['street', 'city', 'postal_zone', 'state', 'lga'] as const) {
      if (!a[f])
        problems.push(
          `customer.address.${f}: required for a ${kind} buyer${f === 'state' ? ' (like NG-LA)' : f === 'lga' ? ' (like NG-LA-IKJ)' : ''}`,
        );
    }
    if (a.state && a.lga && !a.lga.startsWith(`${a.state}-`)) problems.push(`customer.address.lga: ${a.lga} is not an LGA of ${a.state}`);
  }
  return problems;
}

/**
 * A stable product code for lines without a SKU (sellers_item_identification must not be blank):
 * the name in capitals with non-alphanumerics as dashes, or a hash of it when nothing is left.
 */
export function productCode(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  if (slug) return slug;
  let h = 0x811c9dc5; // FNV-1a over UTF-16 units: stable across runs and machines
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return `P-${h.toString(16).padStart(8, '0').toUpperCase()}`;
}
