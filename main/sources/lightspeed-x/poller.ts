// Lightspeed X polling: the API 2.0 change feed GET /api/2.0/sales?after={version}&page_size,
// ordered by version; the next page starts after version.max; an empty `data` ends it. Versions
// only grow (a sale completed offline gets a new version when it syncs), so the watermark is
// the last committed page's version.max and no overlap window is needed.
import { ConnectorError } from '../../capture/errors';
import type { PollPage, PollSource } from '../../capture/polling/poller';
import type { VendorApi } from '../../capture/vendor-api';
import type { LightspeedXConfig } from '../../capture/config';
import type { MapOutcome } from '../../../shared/capture/outcome';
import { mapLightspeedX } from '../../../shared/capture/lightspeed-x/map-lightspeed-x';
import { lightspeedXBaseUrl } from './auth';

export class LightspeedXPollSource implements PollSource {
  readonly vendor = 'lightspeed-x' as const;
  private readonly base: string;

  constructor(
    private readonly api: VendorApi,
    private readonly config: LightspeedXConfig,
  ) {
    this.base = lightspeedXBaseUrl(config);
  }

  async *pages(watermark: string | undefined): AsyncIterable<PollPage> {
    let after = watermark ?? '0';
    for (;;) {
      const res = await this.api.call({
        method: 'GET',
        url: `${this.base}/api/2.0/sales`,
        query: { after, page_size: this.config.pageSize },
      });
      const body = res.body as { data?: unknown; version?: { min?: unknown; max?: unknown } | null };
      if (!Array.isArray(body.data)) throw new ConnectorError('bad_response', 'lightspeed-x: /api/2.0/sales answered without a data array');
      if (body.data.length === 0) return;
      const max = body.version?.max;
      if (typeof max !== 'number' && typeof max !== 'string')
        throw new ConnectorError('bad_response', 'lightspeed-x: a page of sales without version.max');
      if (BigInt(String(max)) <= BigInt(after))
        throw new ConnectorError('bad_response', `lightspeed-x: version.max ${String(max)} does not move past ${after}`);
      after = String(max);
      yield { items: body.data, watermark: after };
    }
  }

  key(item: unknown): { id: string; version: string } | undefined {
    const s = item as Record<string, unknown> | null;
    if (!s || typeof s !== 'object' || typeof s.id !== 'string') return undefined;
    return { id: s.id, version: String(s.version ?? s.updated_at ?? '') };
  }

  async map(items: unknown[]): Promise<MapOutcome[]> {
    const out: MapOutcome[] = [];
    const mine: unknown[] = [];
    for (const item of items) {
      const s = item as Record<string, unknown>;
      if (this.config.outletId && s && typeof s === 'object' && s.outlet_id !== this.config.outletId) {
        out.push({
          kind: 'skip',
          vendor: 'lightspeed-x',
          vendorId: String(s.id),
          reason: `sale of outlet ${String(s.outlet_id)}, not the configured ${this.config.outletId}`,
        });
      } else mine.push(item);
    }
    // Sales carry only customer_id: fetch customers so a configured TIN field can make it B2B.
    const customers: Record<string, unknown> = { ...(this.config.mapOptions?.customers ?? {}) };
    for (const item of mine) {
      const id = (item as Record<string, unknown> | null)?.customer_id;
      if (typeof id === 'string' && id && !(id in customers)) {
        try {
          const res = await this.api.call({ method: 'GET', url: `${this.base}/api/2.0/customers/${encodeURIComponent(id)}` });
          const c = (res.body as { data?: unknown }).data;
          if (c) customers[id] = c;
        } catch (e) {
          if (!(e instanceof ConnectorError && (e.problem === 'bad_response' || e.problem === 'missing_scope'))) throw e;
        }
      }
    }
    if (mine.length)
      out.push(...mapLightspeedX(mine, { ...this.config.mapOptions, ...(Object.keys(customers).length ? { customers } : {}) }));
    return out;
  }
}
