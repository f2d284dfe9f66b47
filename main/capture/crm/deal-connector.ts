// A CRM as a registry connector (main/sources/<crm>/source.ts): the capture service polls it on
// its schedule through the deal poller (deal memory, one invoice per deal, credit-note questions,
// write-back, payment status), tests its connection, and routes its webhooks (HubSpot v3 signed,
// Pipedrive Basic auth) to the same deal poller with each event's id (a repeat does nothing).
import { createHash } from 'node:crypto';
import type { CrmSource, DealOutcome } from '../../../shared/capture/crm/outcome';
import type { MapOutcome } from '../../../shared/capture/outcome';
import type { ConnectorDeps, SourceConnector, TestResult } from '../connector';
import type { ItemSource, PollResult } from '../polling/poller';
import { WebhookBadRequest, type WebhookHandler } from '../webhooks/handlers';
import type { CrmConnection } from './config';
import { createDealPoller, createDealSource } from './create-source';
import type { DealPoller, DealSource } from './deal-poller';
import { CrmWebhookBadRequest, type CrmWebhookRoute } from './webhooks';

/** A deal outcome as the shared sale outcomes read it (what the deal maps to, without the deal memory). */
function asMapOutcome(o: DealOutcome): MapOutcome {
  const base = { vendor: o.source, vendorId: o.dealId, ...(o.version ? { version: o.version } : {}) };
  if (o.kind === 'invoice') return { kind: 'sale', ...base, sale: o.sale };
  if (o.kind === 'review') return { kind: 'review', ...base, reason: o.reason, payload: o.payload };
  return { kind: 'skip', ...base, reason: o.reason, ...(o.status === 'deleted' ? { withdrawn: true as const } : {}) };
}

export class DealConnector implements SourceConnector {
  readonly vendor: CrmSource;
  readonly deals: DealSource;
  readonly source: ItemSource;
  private poller: DealPoller | undefined;

  constructor(
    readonly config: CrmConnection,
    private readonly deps: ConnectorDeps,
  ) {
    this.vendor = config.source;
    this.deals = createDealSource(config, deps);
    const deals = this.deals;
    this.source = {
      vendor: config.source,
      key: (item) => {
        const o = deals.map([item])[0];
        return o && o.dealId !== '(no id)' ? { id: o.dealId, version: o.version ?? '' } : undefined;
      },
      map: async (items) => deals.map(items).map(asMapOutcome),
    };
  }

  /** The deal poller on the service's ledger (built on first use: a connection test needs no ledger). */
  dealPoller(): DealPoller {
    if (!this.deps.ledger) throw new Error(`${this.vendor}: polling needs the ledger (ConnectorDeps.ledger)`);
    this.poller ??= createDealPoller(this.deps.ledger, this.config, this.deps, this.deals);
    return this.poller;
  }

  async poll(): Promise<PollResult> {
    const r = await this.dealPoller().runOnce();
    return {
      pages: r.pages,
      fetched: r.fetched,
      fresh: r.results.filter((x) => x.outcome !== 'none').length,
      sales: r.issued,
      skips: r.results.filter((x) => x.outcome === 'withdrawn').length,
      reviews: r.reviews + r.creditReviews,
      watermark: r.watermark,
    };
  }

  async testConnection(): Promise<TestResult> {
    const r = await this.deals.testConnection();
    return r.ok
      ? { ok: true, vendor: this.vendor, summary: r.summary, details: r.details }
      : { ok: false, vendor: this.vendor, problem: r.problem, message: r.message };
  }

  /** The deal as the mapper reads it (webhooks, the Deals screen's "re-try"). */
  fetchOrder(id: string): Promise<unknown> {
    return this.deals.fetchDeal(id);
  }
}

/**
 * A CRM webhook route (verification + event ids) as the capture service's webhook handler: the
 * deals each event names are fetched and recorded by the deal poller with the event's id.
 */
export function crmWebhookHandler(
  route: (path: string, headers: Record<string, unknown>) => CrmWebhookRoute,
  connector: SourceConnector,
): WebhookHandler {
  const c = connector as DealConnector;
  return {
    vendor: c.vendor,
    verify: (req) =>
      route(req.path ?? `/webhooks/${c.vendor}`, req.headers).verify(req.rawBody, req.headers, req.path ?? `/webhooks/${c.vendor}`),
    async action(req) {
      let events: { eventId: string; dealIds: string[] }[];
      try {
        events = route(req.path ?? '', req.headers).events(req.rawBody);
      } catch (e) {
        if (e instanceof CrmWebhookBadRequest) throw new WebhookBadRequest(e.message);
        throw e;
      }
      const batchId = `batch:${createHash('sha256').update(req.rawBody).digest('hex').slice(0, 32)}`;
      if (!events.length) return { kind: 'ignore', eventId: batchId, reason: 'no deal events in the delivery' };
      return {
        kind: 'handle',
        eventId: events.length === 1 ? events[0]!.eventId : batchId,
        run: async () => {
          const poller = c.dealPoller();
          const results = [];
          for (const ev of events) {
            const r = await poller.ingestEvent(ev.dealIds, ev.eventId);
            results.push({
              event: ev.eventId,
              duplicate: r.duplicate,
              deals: r.results.map((x) => ({ deal: x.dealId, outcome: x.outcome, ...(x.irn ? { irn: x.irn } : {}) })),
            });
          }
          const issued = results.flatMap((x) => x.deals).filter((d) => d.outcome === 'issued').length;
          const dup = results.every((x) => x.duplicate);
          return {
            message: dup ? 'duplicate event' : `deals ${results.flatMap((x) => x.deals).length}, issued ${issued}`,
            result: { results },
          };
        },
      };
    },
  };
}
