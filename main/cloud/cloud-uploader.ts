// Uploads invoices (with their sale, chain link and report state) and each closed day's summary
// to the TaxPoynt cloud: batches bounded by count and bytes, a bearer token, an Idempotency-Key
// per batch and per invoice (stable across retries and crashes), and the server's per-invoice
// answers recorded. An invoice is sent again only when its report state changed since.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../ledger/database';
import { CloudStore, type CloudPendingRow } from '../ledger/cloud-store';
import { SettingsStore } from '../ledger/settings-store';
import { toLagos } from '../../shared/domain/lagos-time';
import { createHttpClient, type HttpClient } from '../net/http-client';
import { NetError, TimeoutError, UnreachableError } from '../net/net-errors';
import { backoffDelay, parseRetryAfter, type BackoffPolicy } from '../net/retry';
import { daySummary } from './day-summary';
import { InvalidInput } from '../../shared/domain/sale';
import {
  CLOUD_PATHS,
  CloudError,
  CloudInvoice,
  DaySummary,
  DaySummaryResponse,
  InvoiceBatchRequest,
  InvoiceBatchResponse,
  type InvoiceResult,
} from './wire';

export interface CloudConfig {
  baseUrl: string;
  token: string;
  timeoutMs?: number;
  maxBatchCount?: number;
  maxBatchBytes?: number;
  /** How often closed days are looked for (a scan of the day index). */
  zEveryMs?: number;
  /**
   * An invoice still waiting for its FIRS report is uploaded only after this long (default
   * 10 min): online, it is then sent once, already reported, instead of twice (pending, then
   * reported); offline, the cloud still gets it within minutes.
   */
  pendingGraceMs?: number;
}

export const CloudConfigSchema = z.object({
  baseUrl: z.string().url('must be a URL like https://api.taxpoynt.com'),
  token: z.string().min(1, 'the TaxPoynt cloud token is missing'),
  timeoutMs: z.number().int().positive().optional(),
  maxBatchCount: z.number().int().min(1).max(500).optional(),
  maxBatchBytes: z.number().int().min(1024).optional(),
  zEveryMs: z.number().int().nonnegative().optional(),
  pendingGraceMs: z.number().int().nonnegative().optional(),
});

export class CloudUploadError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    readonly auth = false,
  ) {
    super(message);
    this.name = 'CloudUploadError';
  }
}

type PendingRow = CloudPendingRow;

const BusinessKeys = z.object({ business_id: z.string(), terminal: z.string() });

const POLICY: BackoffPolicy = { baseMs: 2_000, capMs: 10 * 60_000, maxAttempts: Number.POSITIVE_INFINITY };

export class CloudUploader {
  private readonly http: HttpClient;
  private readonly cfg: Required<Omit<CloudConfig, 'timeoutMs'>>;
  private failures = 0;
  private lastError: string | undefined;
  private nextTryAt = 0;
  private lastZAt = Number.NEGATIVE_INFINITY;

  private readonly store: CloudStore;

  constructor(
    private readonly db: Db,
    config: CloudConfig,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.store = new CloudStore(db);
    const parsed = CloudConfigSchema.safeParse(config);
    if (!parsed.success) throw new InvalidInput(parsed.error.issues.map((i) => `cloud.${i.path.join('.')}: ${i.message}`).join('; '));
    const c = parsed.data;
    this.cfg = {
      baseUrl: c.baseUrl,
      token: c.token,
      maxBatchCount: c.maxBatchCount ?? 100,
      maxBatchBytes: c.maxBatchBytes ?? 1_000_000,
      zEveryMs: c.zEveryMs ?? 60_000,
      pendingGraceMs: c.pendingGraceMs ?? 10 * 60_000,
    };
    this.http = createHttpClient({
      baseUrl: c.baseUrl,
      timeoutMs: c.timeoutMs ?? 30_000,
      headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json', accept: 'application/json' },
    });
  }

  status(): { pending: number; rejected: number; lastError?: string } {
    // Reads the queue (recent invoices only), never the whole ledger: this runs on every status push.
    const pending = this.store.pendingCount();
    const rejected = this.store.rejectedCount();
    return { pending, rejected, ...(this.lastError ? { lastError: this.lastError } : {}) };
  }

  retryNow(): void {
    this.nextTryAt = 0;
  }

  /** How long to wait after the last failure. */
  backoffMs(): number {
    return Math.max(0, this.nextTryAt - this.now());
  }

  /** One pass: at most one invoice batch, then any closed day due. */
  async runOnce(): Promise<{ sent: number; results: InvoiceResult[] }> {
    if (this.now() < this.nextTryAt) return { sent: 0, results: [] };
    try {
      const r = await this.uploadInvoiceBatch();
      if (r.sent === 0 && this.now() - this.lastZAt >= this.cfg.zEveryMs) {
        await this.uploadClosedDays();
        this.lastZAt = this.now();
      }
      this.failures = 0;
      this.lastError = undefined;
      return r;
    } catch (e) {
      this.failures++;
      const err = e as CloudUploadError;
      this.lastError = err.message;
      this.nextTryAt = this.now() + (err.auth ? 15 * 60_000 : backoffDelay(this.failures, POLICY, Math.random, err.retryAfterMs));
      throw e;
    }
  }

  private business(): { business_id: string; terminal: string } {
    const stored = new SettingsStore(this.db).get('business');
    if (stored === undefined) throw new CloudUploadError('the terminal is not set up: nothing to upload');
    return BusinessKeys.parse(JSON.parse(stored));
  }

  /** Queued invoices due for upload (cloud_queue is filled by triggers: see 008-sync-cloud-queue). */
  private pending(limit: number): PendingRow[] {
    return this.store.pending(this.now() - this.cfg.pendingGraceMs, limit);
  }

  async uploadInvoiceBatch(): Promise<{ sent: number; results: InvoiceResult[] }> {
    const rows = this.pending(this.cfg.maxBatchCount);
    if (rows.length === 0) return { sent: 0, results: [] };
    const business = this.business();
    // Bounded by bytes too: add invoices while the body stays under the limit (at least one).
    const invoices: CloudInvoice[] = [];
    const counters = new Map<string, { counter: number; state: string }>();
    let bytes = 200;
    for (const r of rows) {
      const inv = CloudInvoice.parse({
        idempotency_key: `tpos:cloud:${r.irn}:${r.state}`,
        irn: r.irn,
        invoice_number: r.invoice_number,
        counter: r.counter,
        type: r.type,
        source: r.source,
        external_id: r.external_id,
        issued_at: r.issued_at,
        issue_date: r.issue_date,
        currency: r.currency,
        payable_kobo: r.payable_kobo,
        tax_kobo: r.tax_kobo,
        net_kobo: r.net_kobo,
        tip_kobo: r.tip_kobo,
        b2b: r.b2b,
        original_irn: r.original_irn,
        qr: r.qr,
        hash: r.hash,
        prev_hash: r.prev_hash,
        report_state: r.state,
        invoice: JSON.parse(r.invoice_json),
        sale: JSON.parse(r.sale_json),
      });
      const size = Buffer.byteLength(JSON.stringify(inv)) + 1;
      if (invoices.length > 0 && bytes + size > this.cfg.maxBatchBytes) break;
      invoices.push(inv);
      counters.set(inv.idempotency_key, { counter: r.counter, state: r.state });
      bytes += size;
    }
    // The batch key is derived from its members: a retried batch carries the same key.
    const batchId = `tpos:cloud-batch:${createHash('sha256')
      .update(invoices.map((i) => i.idempotency_key).join('\n'))
      .digest('hex')
      .slice(0, 32)}`;
    const body = InvoiceBatchRequest.parse({ batch_id: batchId, business_id: business.business_id, terminal: business.terminal, invoices });
    const res = await this.post(CLOUD_PATHS.invoiceBatches, body, batchId, InvoiceBatchResponse);
    const recorded: { counter: number; state: string; outcome: string; reason: string | null }[] = [];
    for (const r of res.results) {
      const c = counters.get(r.idempotency_key);
      if (!c) continue; // an answer about something we did not send: ignored
      recorded.push({ counter: c.counter, state: c.state, outcome: r.status, reason: r.reason ?? null });
    }
    // Dequeued only if its state did not change while the batch was on the wire.
    this.store.recordInvoiceResults(batchId, this.now(), recorded);
    const answered = new Set(res.results.map((r) => r.idempotency_key));
    const missing = invoices.filter((i) => !answered.has(i.idempotency_key));
    if (missing.length > 0)
      throw new CloudUploadError(
        `cloud answered ${res.results.length} of ${invoices.length} invoices (missing ${missing[0]!.irn}); the rest will be sent again`,
      );
    return { sent: invoices.length, results: res.results };
  }

  /** Day summaries for closed (past) Lagos days not yet uploaded, or changed since (a late sale). */
  async uploadClosedDays(): Promise<number> {
    const today = toLagos(new Date(this.now())).date;
    // Days a new invoice touched (cloud_days_dirty, filled by a trigger), once they are closed.
    const days = this.store.dirtyDays(today);
    if (days.length === 0) return 0;
    const business = this.business();
    let sent = 0;
    for (const day of days) {
      const s = daySummary(this.db, day, business);
      const digest = s ? createHash('sha256').update(JSON.stringify(s)).digest('hex') : undefined;
      const prev = this.store.uploadedDigest(day);
      if (!s || prev === digest) {
        this.store.cleanDay(day); // only demo invoices, or nothing changed
        continue;
      }
      const key = `tpos:z:${business.terminal}:${day}:${digest!.slice(0, 16)}`;
      const doc = DaySummary.parse({ idempotency_key: key, ...s });
      const res = await this.post(CLOUD_PATHS.zReports, doc, key, DaySummaryResponse);
      // A late sale recorded while the summary was on the wire keeps the day dirty (new digest next time).
      this.store.recordDay(day, digest!, res.status, res.reason ?? null, this.now(), () => {
        const again = daySummary(this.db, day, business);
        return again !== undefined && createHash('sha256').update(JSON.stringify(again)).digest('hex') === digest;
      });
      sent++;
    }
    return sent;
  }

  private async post<T extends z.ZodType>(path: string, body: unknown, key: string, schema: T): Promise<z.infer<T>> {
    let res;
    try {
      res = await this.http.request({ method: 'POST', url: path, body: JSON.stringify(body), headers: { 'idempotency-key': key } });
    } catch (e) {
      if (!(e instanceof NetError)) throw e;
      throw new CloudUploadError(
        `TaxPoynt cloud unreachable (${e instanceof TimeoutError || e instanceof UnreachableError ? e.code : e.message})`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(res.text);
    } catch {
      parsed = undefined;
    }
    if (res.status >= 200 && res.status < 300) {
      const ok = schema.safeParse(parsed);
      if (!ok.success) throw new CloudUploadError(`TaxPoynt cloud answered ${path} with a malformed body (HTTP ${res.status})`);
      return ok.data;
    }
    const env = CloudError.safeParse(parsed);
    const msg = env.success ? `${env.data.error.code}: ${env.data.error.message}` : `HTTP ${res.status}`;
    if (res.status === 401 || res.status === 403)
      throw new CloudUploadError(`TaxPoynt cloud refused the token (${msg}); check it in Settings`, undefined, true);
    throw new CloudUploadError(`TaxPoynt cloud error on ${path} (HTTP ${res.status}): ${msg}`, parseRetryAfter(res.headers['retry-after']));
  }
}
