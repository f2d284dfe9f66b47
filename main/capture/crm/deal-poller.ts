// The polling core the three CRMs share: page through the CRM's deal feed from the durable
// watermark, map each deal (pure), and record a page's deals and its watermark in ONE
// transaction (a crash re-reads the page; the deal memory stops a second invoice). Then re-read
// deals waiting for buyer data (a fixed company does not touch the deal's modified date), and
// write the IRN back to the CRM where enabled. Webhook deliveries go through the same path.
import type { Db } from '../../ledger/database';
import type { Ledger } from '../../ledger/ledger';
import type { ReviewQueue } from '../../ledger/review-queue';
import type { CrmDeal, CrmDeals } from '../../ledger/crm-deals';
import { CaptureState } from '../polling/state';
import { ConnectorError, type ConnectorProblem } from '../errors';
import type { CrmSource, DealOutcome } from '../../../shared/capture/crm/outcome';
import { clearanceState, type DealWriteback } from '../../../shared/capture/crm/clearance';
import { recordDeals, type DealResult } from './deal-sink';

export interface DealPage {
  /** Deals as the CRM's endpoints return them (see each mapper's input shape). */
  bundles: unknown[];
  /** Stored once this page's deals are durable (absent: unchanged). */
  watermark?: string;
}

export type CrmTestResult =
  | { ok: true; source: CrmSource; summary: string; details: Record<string, unknown> }
  | { ok: false; source: CrmSource; problem: ConnectorProblem | 'unknown_stage' | 'unknown_field'; message: string };

/** A CRM test failure that is about configuration (stage, field), not the connection. */
export class CrmConfigProblem extends Error {
  constructor(
    readonly problem: 'unknown_stage' | 'unknown_field',
    message: string,
  ) {
    super(message);
  }
}

export interface DealSource {
  readonly source: CrmSource;
  pages(watermark: string | undefined): AsyncIterable<DealPage>;
  /** One deal as a mapper bundle, or undefined when the CRM no longer has it (404). */
  fetchDeal(id: string): Promise<unknown | undefined>;
  /** The pure mapper with this connection's options. */
  map(bundles: unknown[]): DealOutcome[];
  /** Writes the invoice back onto the deal (IRN, invoice number, clearance state). */
  writeBack?(deal: CrmDeal, w: DealWriteback): Promise<void>;
  recordUrl?(dealId: string): string | undefined;
  testConnection(): Promise<CrmTestResult>;
}

export async function runCrmTest(
  source: CrmSource,
  fn: () => Promise<{ summary: string; details: Record<string, unknown> }>,
): Promise<CrmTestResult> {
  try {
    return { ok: true, source, ...(await fn()) };
  } catch (e) {
    if (e instanceof ConnectorError || e instanceof CrmConfigProblem) return { ok: false, source, problem: e.problem, message: e.message };
    throw e;
  }
}

export interface DealPollResult {
  pages: number;
  fetched: number;
  issued: number;
  reviews: number;
  creditReviews: number;
  rechecked: number;
  writtenBack: number;
  writebackFailed: number;
  watermark: string | undefined;
  results: DealResult[];
}

export interface DealPollerOptions {
  writeback: boolean;
  recheckReviews: number;
  /** The issued invoice's number and report state (reported / rejected / pending…), for the write-back. */
  invoice?: (irn: string) => { invoiceNumber: string; reportStatus: string } | undefined;
}

export class DealPoller {
  private lock: Promise<unknown> = Promise.resolve();
  private readonly state: CaptureState;

  constructor(
    private readonly db: Db,
    private readonly ledger: Ledger,
    private readonly reviews: ReviewQueue,
    private readonly deals: CrmDeals,
    readonly source: DealSource,
    private readonly o: DealPollerOptions,
  ) {
    this.state = new CaptureState(db);
  }

  runOnce(): Promise<DealPollResult> {
    return this.exclusive(async () => {
      const src = this.source.source;
      const r: DealPollResult = {
        pages: 0,
        fetched: 0,
        issued: 0,
        reviews: 0,
        creditReviews: 0,
        rechecked: 0,
        writtenBack: 0,
        writebackFailed: 0,
        watermark: this.deals.watermark(src),
        results: [],
      };
      for await (const page of this.source.pages(r.watermark)) {
        r.pages++;
        r.fetched += page.bundles.length;
        this.count(r, this.record(this.mapSafely(page.bundles), page.watermark));
        if (page.watermark !== undefined) r.watermark = page.watermark;
      }
      // Deals waiting for buyer data: re-read them (the company/account may have been fixed).
      const waiting = this.deals
        .list({ source: src, states: ['review'] })
        .slice(-this.o.recheckReviews)
        .filter((d) => !r.results.some((x) => x.dealId === d.dealId));
      for (const d of this.o.recheckReviews > 0 ? waiting : []) {
        const bundle = await this.source.fetchDeal(d.dealId);
        const outcomes: DealOutcome[] =
          bundle === undefined
            ? [{ kind: 'not_won', source: src, dealId: d.dealId, status: 'deleted', reason: 'the deal no longer exists in the CRM' }]
            : this.mapSafely([bundle]);
        r.rechecked++;
        this.count(r, this.record(outcomes, undefined));
      }
      await this.writeBacks(r);
      return r;
    });
  }

  /** Deals named by a webhook delivery: fetched, then recorded with the event id (a repeat delivery does nothing). */
  ingestEvent(dealIds: string[], eventId: string): Promise<{ duplicate: boolean; results: DealResult[] }> {
    return this.exclusive(async () => {
      const src = this.source.source;
      if (this.state.hasEvent(src, eventId)) return { duplicate: true, results: [] };
      const outcomes: DealOutcome[] = [];
      for (const id of dealIds) {
        const bundle = await this.source.fetchDeal(id);
        outcomes.push(
          ...(bundle === undefined
            ? [
                {
                  kind: 'not_won' as const,
                  source: src,
                  dealId: id,
                  status: 'deleted' as const,
                  reason: 'the deal no longer exists in the CRM',
                },
              ]
            : this.mapSafely([bundle])),
        );
      }
      let duplicate = false;
      const results = this.db
        .transaction(() => {
          if (!this.state.claimEvent(src, eventId)) {
            duplicate = true;
            return [];
          }
          return recordDeals(this.ledger, this.reviews, this.deals, outcomes, this.sinkOptions());
        })
        .immediate();
      const r = {
        pages: 0,
        fetched: 0,
        issued: 0,
        reviews: 0,
        creditReviews: 0,
        rechecked: 0,
        writtenBack: 0,
        writebackFailed: 0,
        watermark: undefined,
        results: [],
      } as DealPollResult;
      r.results = results;
      if (!duplicate) await this.writeBacks(r);
      return { duplicate, results };
    });
  }

  private sinkOptions() {
    return { writeback: this.o.writeback, recordUrl: (id: string) => this.source.recordUrl?.(id) };
  }

  private record(outcomes: DealOutcome[], watermark: string | undefined): DealResult[] {
    return this.db
      .transaction(() => {
        const results = recordDeals(this.ledger, this.reviews, this.deals, outcomes, this.sinkOptions());
        if (watermark !== undefined) this.deals.setWatermark(this.source.source, watermark);
        return results;
      })
      .immediate();
  }

  private count(r: DealPollResult, results: DealResult[]): void {
    r.results.push(...results);
    for (const x of results) {
      if (x.outcome === 'issued') r.issued++;
      else if (x.outcome === 'review') r.reviews++;
      else if (x.outcome === 'credit_review') r.creditReviews++;
    }
  }

  /** A mapper crash on one deal (a payload no schema foresaw) becomes that deal's review, not a stopped poll. */
  private mapSafely(bundles: unknown[]): DealOutcome[] {
    const out: DealOutcome[] = [];
    for (const b of bundles) {
      try {
        out.push(...this.source.map([b]));
      } catch (e) {
        out.push({
          kind: 'review',
          source: this.source.source,
          dealId: dealIdOf(b),
          reason: `could not be mapped: ${(e as Error).message}`,
          missing: [],
          payload: b,
        });
      }
    }
    return out;
  }

  /**
   * Writes each invoiced deal's IRN, number and clearance state to the CRM: once after issuing,
   * and again whenever the clearance state moves (awaiting → cleared / rejected).
   */
  private async writeBacks(r: DealPollResult): Promise<void> {
    if (!this.o.writeback || !this.source.writeBack) return;
    for (const d of this.deals.writebackCandidates(this.source.source)) {
      const inv = this.o.invoice?.(d.irn!);
      if (!inv) continue;
      const w: DealWriteback = { irn: d.irn!, invoiceNumber: inv.invoiceNumber, clearance: clearanceState(inv.reportStatus) };
      if (d.writeback === 'done' && d.writebackState === w.clearance) continue;
      try {
        await this.source.writeBack(d, w);
        this.deals.save(d.source, d.dealId, { state: d.state, writeback: 'done', writebackError: null, writebackState: w.clearance });
        r.writtenBack++;
      } catch (e) {
        if (!(e instanceof ConnectorError)) throw e;
        this.deals.save(d.source, d.dealId, { state: d.state, writeback: 'failed', writebackError: e.message });
        r.writebackFailed++;
      }
    }
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }
}

function dealIdOf(b: unknown): string {
  const o = (b && typeof b === 'object' ? b : {}) as Record<string, unknown>;
  const d = (o.deal && typeof o.deal === 'object' ? o.deal : o) as Record<string, unknown>;
  const inner = d.data && typeof d.data === 'object' ? (d.data as Record<string, unknown>) : d;
  const id = inner.id ?? inner.Id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : '(no id)';
}
