// The onboarding self-check (`taxpoynt-pos firs-check`, Settings → "Check with FIRS"): with the
// business's own keys it asks the platform — health, credentials, the profile's codes against the
// platform's lists, IRN validation — and VALIDATES (never signs) a sample B2C invoice, a B2B
// invoice and a credit note built from this business's setup. Every problem is reported with its
// field path and the platform's words, so a store learns on day one what would be rejected.
import type { Business } from '../../shared/domain/business';
import { profileGaps } from '../../shared/domain/business';
import { buildFirsInvoice, type FirsInvoice } from '../../shared/domain/firs-invoice';
import { buildIrn, invoiceNumber } from '../../shared/domain/irn';
import { toLagos } from '../../shared/domain/lagos-time';
import { computeTotals } from '../../shared/domain/totals';
import { parseSale, type Party } from '../../shared/domain/sale';
import { FirsError } from './errors';
import { entryCode } from './code-lists';
import type { FirsClient } from './firs-client';

export interface CheckProblem {
  /** Dotted field path when the platform (or the local check) named one. */
  path?: string;
  message: string;
}

export interface CheckStep {
  name: string;
  ok: boolean;
  /** What was found when it passed. */
  note?: string;
  problems: CheckProblem[];
}

export interface FirsCheckReport {
  ok: boolean;
  baseUrl: string;
  steps: CheckStep[];
}

/** "a.b.0.c: reason" → path and message; details without a path are kept whole. */
export function splitDetails(details: string): CheckProblem {
  const m = /^([A-Za-z_][\w]*(?:\.[\w]+)*)\s*:\s*(.+)$/s.exec(details);
  return m ? { path: m[1]!, message: m[2]! } : { message: details };
}

function failureProblems(e: unknown): CheckProblem[] {
  if (e instanceof FirsError) {
    if (e.details) return [{ ...splitDetails(e.details), message: `${splitDetails(e.details).message} (the platform's words)` }];
    return [{ message: e.message }];
  }
  return [{ message: (e as Error).message }];
}

/** Sample sales built from the business's own setup (default classification, its own address). */
function samples(
  b: Business,
  now: Date,
): { b2c: FirsInvoice; b2b: FirsInvoice; credit: FirsInvoice; irnCheck: { invoice_reference: string; irn: string } } {
  const occurred = now.toISOString();
  const lagos = toLagos(now);
  const line = {
    name: 'FIRS check sample item',
    sku: 'FIRS-CHECK',
    quantity: '2',
    unit_price: '1075.00',
    tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true },
  };
  // The B2B buyer is the business itself: a TIN and address the platform knows.
  const buyer: Party = {
    name: b.name,
    tin: b.tin,
    email: b.email,
    ...(b.street && b.city
      ? {
          address: {
            street: b.street,
            city: b.city,
            ...(b.postal_zone ? { postal_zone: b.postal_zone } : {}),
            ...(b.state ? { state: b.state } : {}),
            ...(b.lga ? { lga: b.lga } : {}),
            country: b.country,
          },
        }
      : {}),
  };
  const build = (id: string, counter: number, extra: Record<string, unknown>, original?: { irn: string; issue_date: string }) => {
    const sale = parseSale({
      source: 'manual',
      external_id: id,
      occurred_at: occurred,
      currency: 'NGN',
      lines: [line],
      payments: [{ method: 'transfer', amount: '2150.00' }],
      ...extra,
    });
    const number = invoiceNumber(b.terminal, counter);
    const irn = buildIrn(number, b.service_id, lagos.compactDate);
    return { number, invoice: buildFirsInvoice(sale, computeTotals(sale), { business: b, irn, issuedAt: now, original }) };
  };
  // Counters far above any real series: the samples are only ever validated, never signed.
  const b2c = build('firs-check-b2c', 99_999_001, {});
  const b2b = build('firs-check-b2b', 99_999_002, { customer: buyer });
  const credit = build('firs-check-credit', 99_999_003, {}, { irn: b2c.invoice.irn, issue_date: b2c.invoice.issue_date });
  return { b2c: b2c.invoice, b2b: b2b.invoice, credit: credit.invoice, irnCheck: { invoice_reference: b2c.number, irn: b2c.invoice.irn } };
}

export async function firsCheck(client: FirsClient, business: Business, baseUrl: string, now = new Date()): Promise<FirsCheckReport> {
  const steps: CheckStep[] = [];
  const step = async (name: string, run: () => Promise<string | CheckProblem[] | void>): Promise<boolean> => {
    try {
      const r = await run();
      const problems = Array.isArray(r) ? r : [];
      steps.push({ name, ok: problems.length === 0, ...(typeof r === 'string' ? { note: r } : {}), problems });
      return problems.length === 0;
    } catch (e) {
      steps.push({ name, ok: false, problems: failureProblems(e) });
      return false;
    }
  };

  await step('health (GET /api)', async () => {
    const h = await client.healthCheck();
    return h.problem ? [{ message: h.problem }] : 'the platform answered {"healthy":true}';
  });
  const credentialsOk = await step('credentials (x-api-key / x-api-secret)', async () => {
    const states = await client.codeList('states');
    return `accepted (the states list has ${states.length} entries)`;
  });
  if (!credentialsOk) {
    steps.push({ name: 'the remaining checks', ok: false, problems: [{ message: 'skipped: they need working credentials' }] });
    return { ok: false, baseUrl, steps };
  }

  await step('business profile (NRS v1.1 fields and codes)', async () => {
    const problems: CheckProblem[] = profileGaps(business).map((g) => ({
      path: `business.${g.split(' ')[0]}`,
      message: 'missing: run taxpoynt-pos setup with it',
    }));
    const codes = async (name: 'states' | 'lgas' | 'hs-codes' | 'services-codes') =>
      new Set((await client.codeList(name)).map(entryCode).filter((c): c is string => c !== undefined));
    if (business.state && !(await codes('states')).has(business.state))
      problems.push({
        path: 'accounting_supplier_party.postal_address.state',
        message: `"${business.state}" is not in the platform's states list`,
      });
    if (business.lga && !(await codes('lgas')).has(business.lga))
      problems.push({
        path: 'accounting_supplier_party.postal_address.lga',
        message: `"${business.lga}" is not in the platform's lgas list`,
      });
    if (business.default_hs_code && !(await codes('hs-codes')).has(business.default_hs_code))
      problems.push({
        path: 'invoice_line.hsn_code',
        message: `the default HS code "${business.default_hs_code}" is not in the platform's hs-codes list`,
      });
    if (business.default_isic_code && !(await codes('services-codes')).has(business.default_isic_code))
      problems.push({
        path: 'invoice_line.isic_code',
        message: `the default ISIC code "${business.default_isic_code}" is not in the platform's services-codes list`,
      });
    return problems.length ? problems : "complete; state, LGA and classification are in the platform's lists";
  });

  const s = samples(business, now);
  await step('IRN validation (POST /invoice/irn/validate)', async () => {
    await client.validateIrn({ ...s.irnCheck, business_id: business.business_id });
    return `${s.irnCheck.irn} accepted`;
  });
  for (const [name, inv] of [
    ['sample B2C invoice', s.b2c],
    ['sample B2B invoice', s.b2b],
    ['sample credit note', s.credit],
  ] as const) {
    await step(`${name} (POST /invoice/validate, never signed)`, async () => {
      await client.validate(inv, `tpos:firs-check:${inv.irn}:${now.getTime()}`);
      return 'valid';
    });
  }
  return { ok: steps.every((x) => x.ok), baseUrl, steps };
}

/** The report for people: one line per step, each problem with its path. */
export function formatReport(r: FirsCheckReport): string {
  const lines = [`FIRS/NRS check against ${r.baseUrl}: ${r.ok ? 'everything passed' : 'PROBLEMS FOUND'}`];
  for (const s of r.steps) {
    lines.push(`  ${s.ok ? 'ok  ' : 'FAIL'}  ${s.name}${s.note ? `: ${s.note}` : ''}`);
    for (const p of s.problems) lines.push(`        ${p.path ? `${p.path}: ` : ''}${p.message}`);
  }
  return `${lines.join('\n')}\n`;
}
