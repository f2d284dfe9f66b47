// A loopback stand-in for the TaxPoynt cloud upload API (docs/openapi/taxpoynt-cloud.yaml). It
// validates every request against the same zod schemas the client uses (main/cloud/wire.ts),
// checks the bearer token and the Idempotency-Key, replays a batch it has already answered,
// answers "duplicate" for an invoice key it already stored, and can refuse chosen invoices.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServer } from './loopback-server';
import {
  CLOUD_PATHS,
  DaySummary,
  InvoiceBatchRequest,
  type CloudInvoice,
  type DaySummaryResponse,
  type InvoiceBatchResponse,
  type InvoiceResult,
} from '../../main/cloud/wire';

export type CloudFault = 'status500' | 'rate_limited' | 'drop' | 'drop_after_processing' | 'unauthorized' | 'malformed';

export class FakeCloud extends LoopbackServer {
  readonly token: string;
  /** Stored invoices by idempotency key (one per invoice and report state). */
  readonly invoices = new Map<string, CloudInvoice>();
  /** How many times each IRN was stored (any state). */
  readonly storedPerIrn = new Map<string, number>();
  readonly days = new Map<string, DaySummary[]>();
  readonly batches: { key: string; count: number; bytes: number; replay: boolean }[] = [];
  /** IRN → reason: the cloud refuses that invoice. */
  readonly rejectIrns = new Map<string, string>();
  private readonly answered = new Map<string, string>();
  private faults: { fault: CloudFault; times: number }[] = [];
  constructor(opts: { token?: string } = {}) {
    super();
    this.token = opts.token ?? 'cloud-test-token';
  }

  close(): Promise<void> {
    return this.down();
  }

  fault(fault: CloudFault, times = 1): void {
    this.faults.push({ fault, times });
  }

  private takeFault(): CloudFault | undefined {
    const f = this.faults[0];
    if (!f) return undefined;
    if (--f.times <= 0) this.faults.shift();
    return f.fault;
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
      res.end(text);
    };
    const error = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
      send(status, { error: { code, message } }, headers);

    const fault = this.takeFault();
    if (fault === 'status500') return error(500, 'internal', 'internal error');
    if (fault === 'rate_limited') return error(429, 'rate_limited', 'slow down', { 'retry-after': '0' });
    if (fault === 'unauthorized') return error(401, 'unauthorized', 'token expired');
    if (fault === 'drop') return void res.socket?.destroy();
    if (fault === 'malformed') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return void res.end('<html>');
    }

    if (req.headers.authorization !== `Bearer ${this.token}`) return error(401, 'unauthorized', 'missing or invalid bearer token');
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key.length === 0) return error(400, 'missing_idempotency_key', 'the Idempotency-Key header is required');
    if (req.method !== 'POST') return error(405, 'method_not_allowed', `${req.method} is not allowed`);
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return error(400, 'invalid_json', 'the body is not JSON');
    }

    const finish = (status: number, answer: unknown) => {
      this.answered.set(`${req.url} ${key}`, JSON.stringify(answer));
      if (fault === 'drop_after_processing') return void res.socket?.destroy();
      send(status, answer);
    };
    const replay = this.answered.get(`${req.url} ${key}`);

    if (req.url === CLOUD_PATHS.invoiceBatches) {
      const parsed = InvoiceBatchRequest.safeParse(body);
      if (!parsed.success) {
        const i = parsed.error.issues[0]!;
        return error(400, 'invalid_request', `${i.path.join('.')}: ${i.message}`);
      }
      if (parsed.data.batch_id !== key) return error(400, 'invalid_request', 'batch_id: must equal the Idempotency-Key header');
      this.batches.push({ key, count: parsed.data.invoices.length, bytes: raw.length, replay: replay !== undefined });
      if (replay) return send(200, JSON.parse(replay));
      const results: InvoiceResult[] = parsed.data.invoices.map((inv) => {
        const base = { irn: inv.irn, idempotency_key: inv.idempotency_key };
        const reason = this.rejectIrns.get(inv.irn);
        if (reason) return { ...base, status: 'rejected', reason };
        if (this.invoices.has(inv.idempotency_key)) return { ...base, status: 'duplicate' };
        this.invoices.set(inv.idempotency_key, inv);
        this.storedPerIrn.set(inv.irn, (this.storedPerIrn.get(inv.irn) ?? 0) + 1);
        return { ...base, status: 'accepted' };
      });
      const answer: InvoiceBatchResponse = { batch_id: key, results };
      return finish(200, answer);
    }

    if (req.url === CLOUD_PATHS.zReports) {
      const parsed = DaySummary.safeParse(body);
      if (!parsed.success) {
        const i = parsed.error.issues[0]!;
        return error(400, 'invalid_request', `${i.path.join('.')}: ${i.message}`);
      }
      if (replay) return send(200, JSON.parse(replay));
      const list = this.days.get(parsed.data.day) ?? [];
      const dup = list.some((d) => d.idempotency_key === parsed.data.idempotency_key);
      if (!dup) list.push(parsed.data);
      this.days.set(parsed.data.day, list);
      const answer: DaySummaryResponse = { day: parsed.data.day, status: dup ? 'duplicate' : 'accepted' };
      return finish(200, answer);
    }

    return error(404, 'not_found', `${req.url} is not part of the API`);
  }
}

export async function startFakeCloud(opts: { token?: string } = {}): Promise<FakeCloud> {
  return new FakeCloud(opts).up();
}
