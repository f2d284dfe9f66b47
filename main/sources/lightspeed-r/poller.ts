// Lightspeed R polling: GET /API/V3/Account/{id}/Sale.json filtered on timeStamp (>= watermark −
// overlap), sorted by timeStamp, ≤100 per page with SaleLines, SalePayments and Customer loaded,
// following @attributes.next until it is empty. R has no sales webhooks: this is the only path.
// Returned lines name their original line (parentSaleLineID): we look up its sale for the mapper.
import { ConnectorError } from '../../capture/errors';
import type { PollPage, PollSource } from '../../capture/polling/poller';
import type { VendorApi } from '../../capture/vendor-api';
import type { LightspeedRConfig } from '../../capture/config';
import type { MapOutcome } from '../../../shared/capture/outcome';
import { mapLightspeedR } from '../../../shared/capture/lightspeed-r/map-lightspeed-r';

const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** R's timestamps: 2026-11-24T10:00:00+00:00 (no milliseconds). */
const rTime = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', '+00:00');

export class LightspeedRPollSource implements PollSource {
  readonly vendor = 'lightspeed-r' as const;

  constructor(
    private readonly api: VendorApi,
    private readonly config: LightspeedRConfig,
    private readonly now: () => number,
  ) {}

  get accountUrl(): string {
    return `${this.config.baseUrl}/API/V3/Account/${this.config.accountId}`;
  }

  async *pages(watermark: string | undefined): AsyncIterable<PollPage> {
    const from = (watermark ? Date.parse(watermark) : this.now()) - this.config.overlapMinutes * 60_000;
    let high = watermark;
    let url: string | undefined = `${this.accountUrl}/Sale.json`;
    let query: Record<string, string | number> | undefined = {
      timeStamp: `>=,${rTime(from)}`,
      sort: 'timeStamp',
      limit: this.config.pageSize,
      load_relations: JSON.stringify([
        'SaleLines',
        'SaleLines.Item',
        'SalePayments',
        'SalePayments.PaymentType',
        'Customer',
        'TaxCategory',
      ]),
      ...(this.config.shopId ? { shopID: this.config.shopId } : {}),
    };
    while (url) {
      const res = await this.api.call({ method: 'GET', url, ...(query ? { query } : {}) });
      const body = res.body as { '@attributes'?: { next?: string }; Sale?: unknown };
      if (!body || typeof body !== 'object') throw new ConnectorError('bad_response', 'lightspeed-r: Sale.json answered no object');
      const sales = asList(body.Sale as Record<string, unknown> | Record<string, unknown>[] | undefined);
      for (const s of sales) {
        const t = typeof s?.timeStamp === 'string' ? Date.parse(s.timeStamp) : NaN;
        if (!Number.isNaN(t) && (!high || t > Date.parse(high))) high = new Date(t).toISOString();
      }
      const next = body['@attributes']?.next;
      if (typeof next === 'string' && next && next === url)
        throw new ConnectorError('bad_response', 'lightspeed-r: @attributes.next points at the page just read');
      url = typeof next === 'string' && next && sales.length ? next : undefined;
      query = undefined; // the next URL carries the whole query
      yield { items: sales, ...(high ? { watermark: high } : {}) };
    }
  }

  key(item: unknown): { id: string; version: string } | undefined {
    const s = item as Record<string, unknown> | null;
    if (!s || typeof s !== 'object' || typeof s.saleID !== 'string') return undefined;
    return { id: s.saleID, version: typeof s.timeStamp === 'string' ? s.timeStamp : '' };
  }

  async map(items: unknown[]): Promise<MapOutcome[]> {
    const saleLineSales: Record<string, string> = { ...(this.config.mapOptions?.saleLineSales ?? {}) };
    const inPayload = new Set<string>();
    for (const s of items as Record<string, unknown>[])
      for (const l of asList((s?.SaleLines as { SaleLine?: unknown } | undefined)?.SaleLine) as Record<string, unknown>[])
        if (typeof l?.saleLineID === 'string') inPayload.add(l.saleLineID);
    for (const s of items as Record<string, unknown>[]) {
      for (const l of asList((s?.SaleLines as { SaleLine?: unknown } | undefined)?.SaleLine) as Record<string, unknown>[]) {
        const parent = l?.parentSaleLineID;
        if (typeof parent === 'string' && parent !== '0' && !inPayload.has(parent) && !(parent in saleLineSales)) {
          try {
            const res = await this.api.call({ method: 'GET', url: `${this.accountUrl}/SaleLine/${encodeURIComponent(parent)}.json` });
            const saleId = (res.body as { SaleLine?: { saleID?: unknown } }).SaleLine?.saleID;
            if (typeof saleId === 'string') saleLineSales[parent] = saleId;
          } catch (e) {
            if (!(e instanceof ConnectorError && e.problem === 'bad_response')) throw e; // unknown line: the mapper says so
          }
        }
      }
    }
    return mapLightspeedR(items, { ...this.config.mapOptions, ...(Object.keys(saleLineSales).length ? { saleLineSales } : {}) });
  }
}
