// Toast polling: ordersBulk by modified time (startDate inclusive, endDate exclusive), paged
// with page/pageSize (≤100) until a short page or no Link rel="next". Pages in a window are not
// ordered by modification, so the watermark (the window's end) is stored with the window's last
// page; earlier pages commit their sales and "seen" marks, and a crash re-reads the window.
// Long outages are read in slices of maxWindowHours.
import { ConnectorError } from '../../capture/errors';
import type { PollPage, PollSource } from '../../capture/polling/poller';
import type { VendorApi } from '../../capture/vendor-api';
import type { ToastConfig } from '../../capture/config';
import type { MapOutcome } from '../../../shared/capture/outcome';
import { mapToast } from '../../../shared/capture/toast/map-toast';

/** Toast's documented date format: yyyy-MM-dd'T'HH:mm:ss.SSS+0000 */
export const toastDate = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000');

export class ToastPollSource implements PollSource {
  readonly vendor = 'toast' as const;

  constructor(
    private readonly api: VendorApi,
    private readonly config: ToastConfig,
    private readonly now: () => number,
  ) {}

  async *pages(watermark: string | undefined): AsyncIterable<PollPage> {
    const end = this.now();
    let from = (watermark ? Date.parse(watermark) : end) - this.config.overlapMinutes * 60_000;
    const slice = this.config.maxWindowHours * 3600_000;
    while (from < end) {
      const to = Math.min(end, from + slice);
      let page = 1;
      for (;;) {
        const res = await this.api.call({
          method: 'GET',
          url: `${this.config.baseUrl}/orders/v2/ordersBulk`,
          query: { startDate: toastDate(from), endDate: toastDate(to), pageSize: this.config.pageSize, page },
        });
        if (!Array.isArray(res.body)) throw new ConnectorError('bad_response', 'toast: ordersBulk answered without an array of orders');
        const orders = res.body as unknown[];
        const more = /rel="?next"?/.test(res.headers.link ?? '') || orders.length >= this.config.pageSize;
        const last = !more || orders.length === 0;
        // The watermark is the window's end, committed with its last page only.
        const wm = last && (!watermark || to > Date.parse(watermark)) ? new Date(to).toISOString() : undefined;
        yield { items: orders, ...(wm ? { watermark: wm } : {}) };
        if (last) break;
        page++;
      }
      from = to;
    }
  }

  key(item: unknown): { id: string; version: string } | undefined {
    const o = item as Record<string, unknown> | null;
    if (!o || typeof o !== 'object' || typeof o.guid !== 'string') return undefined;
    return { id: o.guid, version: typeof o.modifiedDate === 'string' ? o.modifiedDate : '' };
  }

  async map(items: unknown[]): Promise<MapOutcome[]> {
    // Toast orders carry no currency: the restaurant's (config mapOptions.currency, default NGN).
    return mapToast(items, this.config.mapOptions ?? {});
  }
}
