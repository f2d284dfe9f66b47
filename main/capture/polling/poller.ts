// The polling core every vendor shares: page through the vendor's feed from the stored
// watermark, skip (id, version) pairs already handled, map the rest, and put the page's sales,
// its "seen" marks and the new watermark in the ledger in ONE transaction. A crash anywhere
// before that commit re-reads the page next time (no gap); after it, the marks stop a second
// invoice (no duplicate).
import { createHash } from 'node:crypto';
import type { Db } from '../../ledger/database';
import type { CaptureVendor, MapOutcome } from '../../../shared/capture/outcome';
import type { CaptureState } from './state';

export interface PollPage {
  /** The vendor's orders/sales exactly as its API returned them. */
  items: unknown[];
  /** Watermark to store once this page's sales are durable (monotonic; absent = unchanged). */
  watermark?: string;
}

/** How one source's raw items are identified and mapped (webhooks, links and polls share it). */
export interface ItemSource {
  readonly vendor: CaptureVendor;
  /** The vendor's id and version of one raw item (undefined when the item has none). */
  key(item: unknown): { id: string; version: string } | undefined;
  /** Maps raw items (may fetch extra data first, e.g. customers for the TIN). */
  map(items: unknown[]): Promise<MapOutcome[]>;
}

export interface PollSource extends ItemSource {
  /** Pages from the watermark (minus the vendor's overlap window) to the end of the feed. */
  pages(watermark: string | undefined): AsyncIterable<PollPage>;
}

/** Where outcomes enter the ledger / review queue (main/capture/sink.ts); runs inside our transaction. */
export type IngestFn = (outcomes: MapOutcome[]) => unknown;

export interface PollResult {
  pages: number;
  fetched: number;
  /** Items not seen before at this version. */
  fresh: number;
  sales: number;
  skips: number;
  reviews: number;
  watermark: string | undefined;
}

export function itemKey(source: ItemSource, item: unknown): { id: string; version: string } {
  const k = source.key(item);
  if (k) return k;
  // No id/version: the payload's hash identifies it (it will be a review; seen once).
  const hash = createHash('sha256')
    .update(JSON.stringify(item) ?? 'undefined')
    .digest('hex')
    .slice(0, 32);
  return { id: `(no id) ${hash}`, version: hash };
}

/**
 * Maps items one by one so that an exception from a mapper (a bug, or a payload no schema
 * foresaw) becomes a review outcome for that item only, and the connector keeps going.
 */
export async function mapSafely(source: ItemSource, items: unknown[]): Promise<MapOutcome[]> {
  const out: MapOutcome[] = [];
  for (const item of items) {
    try {
      out.push(...(await source.map([item])));
    } catch (e) {
      out.push({
        kind: 'review',
        vendor: source.vendor,
        vendorId: itemKey(source, item).id,
        reason: `could not be mapped: ${(e as Error).message}`,
        payload: item,
      });
    }
  }
  return out;
}

export interface IngestSummary {
  fresh: number;
  sales: number;
  skips: number;
  reviews: number;
  /** The webhook event was already processed: nothing was done. */
  duplicateEvent: boolean;
}

export class Poller {
  private lock: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly state: CaptureState,
    readonly source: ItemSource | PollSource,
    private readonly ingest: IngestFn,
  ) {}

  get connector(): string {
    return this.source.vendor;
  }

  /** One poll to the end of the feed. Serialised with other polls and webhook ingests of this connector. */
  runOnce(): Promise<PollResult> {
    const source = this.source;
    if (!('pages' in source)) return Promise.reject(new Error(`${this.connector} is not a polled source (it delivers by webhook or link)`));
    return this.exclusive(async () => {
      const result: PollResult = {
        pages: 0,
        fetched: 0,
        fresh: 0,
        sales: 0,
        skips: 0,
        reviews: 0,
        watermark: this.state.watermark(this.connector),
      };
      for await (const page of source.pages(result.watermark)) {
        result.pages++;
        result.fetched += page.items.length;
        const s = await this.process(page.items, page.watermark);
        if (page.watermark !== undefined) result.watermark = page.watermark;
        result.fresh += s.fresh;
        result.sales += s.sales;
        result.skips += s.skips;
        result.reviews += s.reviews;
      }
      return result;
    });
  }

  /**
   * Items delivered by a webhook: ingested like a poll page, the event id recorded in the same
   * transaction (so a repeat delivery is recognised, and a failed one is retried by the vendor).
   */
  ingestEvent(items: unknown[], event?: { vendor: string; eventId: string }): Promise<IngestSummary> {
    // Not queued behind a poll (which may be waiting out a Retry-After): a webhook must be
    // answered promptly. Safe because the commit below re-checks what is already handled.
    return this.process(items, undefined, event);
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  private async process(items: unknown[], watermark?: string, event?: { vendor: string; eventId: string }): Promise<IngestSummary> {
    const summary: IngestSummary = { fresh: 0, sales: 0, skips: 0, reviews: 0, duplicateEvent: false };
    if (event && this.state.hasEvent(event.vendor, event.eventId)) return { ...summary, duplicateEvent: true };
    const fresh: { item: unknown; key: { id: string; version: string } }[] = [];
    const inPage = new Set<string>();
    for (const item of items) {
      const key = itemKey(this.source, item);
      const k = `${key.id}\u0000${key.version}`;
      if (inPage.has(k) || this.state.isSeen(this.connector, key.id, key.version)) continue;
      inPage.add(k);
      fresh.push({ item, key });
    }
    const outcomes = fresh.length
      ? await mapSafely(
          this.source,
          fresh.map((f) => f.item),
        )
      : [];
    this.db
      .transaction(() => {
        if (event && !this.state.claimEvent(event.vendor, event.eventId)) {
          summary.duplicateEvent = true;
          return;
        }
        // A concurrent poll/webhook may have handled some of these while we were mapping.
        const done = new Set(fresh.filter((f) => this.state.isSeen(this.connector, f.key.id, f.key.version)).map((f) => f.key.id));
        const todo = done.size ? outcomes.filter((o) => !done.has(o.vendorId)) : outcomes;
        if (todo.length) this.ingest(todo);
        for (const f of fresh) {
          const kinds = outcomes.filter((o) => o.vendorId === f.key.id).map((o) => o.kind);
          this.state.markSeen(this.connector, f.key.id, f.key.version, kinds.join(',') || 'none');
        }
        if (watermark !== undefined) this.state.setWatermark(this.connector, watermark);
      })
      .immediate();
    if (summary.duplicateEvent) return summary;
    summary.fresh = fresh.length;
    for (const o of outcomes) {
      if (o.kind === 'sale') summary.sales++;
      else if (o.kind === 'skip') summary.skips++;
      else summary.reviews++;
    }
    return summary;
  }
}
