// Square polling: SearchOrders on updated_at, ascending, cursor-paged to the end, starting
// overlapHours before the watermark (offline orders reach Square up to 72 h late) on a "deep"
// poll every deepScanEveryMinutes, and shortOverlapMinutes before it otherwise. The watermark is
// the newest updated_at whose page is in the ledger, plus when the last deep scan completed
// ("<iso> deep:<iso>", written with the final page only); (order id, version) dedupes overlaps.
import { ConnectorError } from '../../capture/errors';
import type { PollPage, PollSource } from '../../capture/polling/poller';
import type { VendorApi } from '../../capture/vendor-api';
import type { SquareConfig } from '../../capture/config';
import type { MapOptionsInput, MapOutcome } from '../../../shared/capture/outcome';
import { mapSquare } from '../../../shared/capture/square/map-square';

interface SearchOrdersResponse {
  orders?: Record<string, unknown>[];
  cursor?: string;
}

/** "<updated_at iso>[ deep:<iso>]" → its parts (a plain ISO watermark is accepted). */
export function parseWatermark(stored: string | undefined): { watermark: string | undefined; deepAt: number | undefined } {
  if (!stored) return { watermark: undefined, deepAt: undefined };
  const [wm, deep] = stored.split(' deep:');
  const d = deep ? Date.parse(deep) : NaN;
  return { watermark: wm || undefined, deepAt: Number.isNaN(d) ? undefined : d };
}

export class SquarePollSource implements PollSource {
  readonly vendor = 'square' as const;

  constructor(
    private readonly api: VendorApi,
    private readonly config: SquareConfig,
    private readonly now: () => number,
  ) {}

  async *pages(stored: string | undefined): AsyncIterable<PollPage> {
    const { watermark, deepAt } = parseWatermark(stored);
    const now = this.now();
    const deep = deepAt === undefined || now - deepAt >= this.config.deepScanEveryMinutes * 60_000;
    const overlapMs = deep ? this.config.overlapHours * 3600_000 : this.config.shortOverlapMinutes * 60_000;
    const fromMs = (watermark ? Date.parse(watermark) : now) - overlapMs;
    let high = watermark;
    let cursor: string | undefined;
    do {
      const res = await this.api.call({
        method: 'POST',
        url: `${this.config.baseUrl}/v2/orders/search`,
        json: {
          location_ids: this.config.locationIds,
          limit: this.config.pageSize,
          ...(cursor ? { cursor } : {}),
          query: {
            filter: { date_time_filter: { updated_at: { start_at: new Date(fromMs).toISOString() } } },
            sort: { sort_field: 'UPDATED_AT', sort_order: 'ASC' },
          },
        },
      });
      const body = res.body as SearchOrdersResponse;
      if (body.orders !== undefined && !Array.isArray(body.orders))
        throw new ConnectorError('bad_response', 'square: SearchOrders answered without an orders array');
      const orders = body.orders ?? [];
      for (const o of orders) {
        const u = typeof o.updated_at === 'string' ? o.updated_at : undefined;
        if (u && !Number.isNaN(Date.parse(u)) && (!high || Date.parse(u) > Date.parse(high))) high = new Date(Date.parse(u)).toISOString();
      }
      const next = typeof body.cursor === 'string' && body.cursor ? body.cursor : undefined;
      if (next !== undefined && next === cursor)
        throw new ConnectorError('bad_response', 'square: SearchOrders returned the same cursor again');
      cursor = next;
      // The deep-scan time is recorded with the last page only: a scan cut short is not "done".
      const marker = !cursor && deep ? now : deepAt;
      const wm = high ?? new Date(fromMs + overlapMs).toISOString();
      yield { items: orders, watermark: marker !== undefined ? `${wm} deep:${new Date(marker).toISOString()}` : wm };
    } while (cursor);
  }

  key(item: unknown): { id: string; version: string } | undefined {
    const o = item as Record<string, unknown> | null;
    if (!o || typeof o !== 'object' || typeof o.id !== 'string') return undefined;
    return { id: o.id, version: String(o.version ?? o.updated_at ?? '') };
  }

  async map(items: unknown[]): Promise<MapOutcome[]> {
    // Orders carry only customer_id: look the customers up so the mapper can find a TIN.
    const customers: Record<string, unknown> = { ...(this.config.mapOptions?.customers ?? {}) };
    for (const item of items) {
      const id = (item as Record<string, unknown> | null)?.customer_id;
      if (typeof id === 'string' && !(id in customers)) {
        const c = await this.customer(id);
        if (c) customers[id] = c;
      }
    }
    const options: MapOptionsInput = { ...this.config.mapOptions, ...(Object.keys(customers).length ? { customers } : {}) };
    return mapSquare(items, options);
  }

  private async customer(id: string): Promise<unknown> {
    try {
      const res = await this.api.call({ method: 'GET', url: `${this.config.baseUrl}/v2/customers/${encodeURIComponent(id)}` });
      return (res.body as { customer?: unknown }).customer;
    } catch (e) {
      // A deleted customer (404) or no CUSTOMERS_READ scope: the sale is still a (B2C) sale.
      if (e instanceof ConnectorError && (e.problem === 'bad_response' || e.problem === 'missing_scope')) return undefined;
      throw e;
    }
  }
}
