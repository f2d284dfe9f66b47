// Manager → Deals: won CRM deals and what became of them (waiting, in review with the reason and
// the CRM link, invoiced with IRN / clearance state / transmitted), and the manager's actions:
// re-try a deal (read it from the CRM again), issue the credit note a changed deal asks for, or
// keep the invoice. Settings → CRM connections reads the portal's stages here.
import type { CrmStages, DealView } from '../../../shared/ipc/contract';
import { clearanceState } from '../../../shared/capture/crm/clearance';
import type { CrmSource } from '../../../shared/capture/crm/outcome';
import type { DealState } from '../../../shared/capture/crm/decide';
import type { AppServices } from '../../app/services';
import type { CrmDeal } from '../../ledger/crm-deals';
import { ConnectorSettings } from '../../capture/config';
import { HttpClient } from '../../capture/http';
import { VENDOR_REQUEST_BACKOFF, realClock } from '../../net/retry';
import { DealConnector } from '../../capture/crm/deal-connector';
import { connectionFromSettings } from '../../capture/crm/config';
import { issueDealCreditNote, keepDealInvoice, DealActionError } from '../../capture/crm/deal-sink';
import { type HubspotSource } from '../../sources/hubspot/hubspot-source';
import { AppError } from '../handler';

const TRANSMITTED = /transmitted to the buyer/;

export function dealView(s: AppServices, d: CrmDeal): DealView {
  const inv = d.irn ? s.ledger.findByIrn(d.irn) : undefined;
  // The report worker notes a successful transmit in the attempt that cleared the invoice.
  const transmitted = d.irn
    ? s.data.reportJobs.attempts(d.irn).some((a) => a.outcome === 'done' && TRANSMITTED.test(a.message ?? ''))
    : false;
  return {
    source: d.source,
    dealId: d.dealId,
    title: d.title,
    state: d.state,
    amountKobo: d.amountKobo,
    currency: d.currency,
    reason: d.reason,
    missing: d.missing,
    recordUrl: d.recordUrl,
    irn: d.irn,
    invoiceNumber: inv?.invoice_number ?? null,
    clearance: inv ? clearanceState(inv.status) : null,
    transmitted,
    creditIrn: d.creditIrn,
    writeback: d.writeback,
    writebackError: d.writebackError,
    paid: d.paidAt !== null,
    updatedAt: d.updatedAt,
  };
}

export function listDeals(s: AppServices, f: { source?: CrmSource | undefined; state?: DealState | undefined }): DealView[] {
  return s.data.crmDeals
    .list({ ...(f.source ? { source: f.source } : {}), ...(f.state ? { states: [f.state] } : {}) })
    .map((d) => dealView(s, d));
}

function known(s: AppServices, source: CrmSource, dealId: string): CrmDeal {
  const d = s.data.crmDeals.get(source, dealId);
  if (!d) throw new AppError('not_found', `${source} deal ${dealId} is not known here`);
  return d;
}

/** The CRM's connector: the one the capture service runs, else one built from the stored settings. */
function dealConnector(s: AppServices, source: CrmSource): DealConnector {
  const running = s.capture?.connector?.(source);
  if (running instanceof DealConnector) return running;
  const stored = new ConnectorSettings(s.data).get(source);
  if (!stored) throw new AppError('invalid_request', `${source} is not connected: connect it in Settings → CRM connections`);
  return new DealConnector(connectionFromSettings(stored), {
    http: new HttpClient(),
    secrets: s.secrets,
    clock: realClock,
    backoff: { ...VENDOR_REQUEST_BACKOFF, maxAttempts: 2 },
    ledger: s.ledger,
  });
}

export async function retryDeal(s: AppServices, source: CrmSource, dealId: string): Promise<DealView> {
  known(s, source, dealId);
  // A fresh event id: the manager asked, so the deal is read and decided again (the deal memory still prevents a second invoice).
  await dealConnector(s, source).dealPoller().ingestEvent([dealId], `retry:${dealId}:${s.now().getTime()}`);
  return dealView(s, known(s, source, dealId));
}

export function creditDeal(s: AppServices, source: CrmSource, dealId: string): DealView {
  try {
    return dealView(s, issueDealCreditNote(s.ledger, s.data.reviewQueue, s.data.crmDeals, source, dealId, s.now()));
  } catch (e) {
    if (e instanceof DealActionError) throw new AppError('invalid_request', e.message);
    throw e;
  }
}

export function keepDeal(s: AppServices, source: CrmSource, dealId: string): DealView {
  try {
    return dealView(s, keepDealInvoice(s.data.reviewQueue, s.data.crmDeals, source, dealId));
  } catch (e) {
    if (e instanceof DealActionError) throw new AppError('invalid_request', e.message);
    throw e;
  }
}

export async function crmStages(s: AppServices, source: CrmSource): Promise<CrmStages> {
  if (source === 'salesforce') return { source, rule: 'an Opportunity is won when IsWon = true (never by its stage name)', stages: [] };
  if (source === 'pipedrive') return { source, rule: 'a deal is won when its status is won (won_time), never by a stage', stages: [] };
  const c = dealConnector(s, source);
  const hs = c.deals as HubspotSource;
  const stages = await hs.stages();
  const chosen = c.config.source === 'hubspot' ? c.config.map.wonStages : undefined;
  return {
    source,
    rule: chosen?.length ? 'the chosen stages issue an invoice' : 'stages whose metadata says closed-won issue an invoice (default)',
    stages: stages.map((st) => ({
      id: st.id,
      label: st.label,
      pipeline: st.pipelineLabel,
      closedWon: st.won,
      invoices: chosen?.length ? chosen.includes(st.id) : st.won,
    })),
  };
}
