// The local webhook receiver: off by default, loopback unless allowRemote. Each POST
// /webhooks/<vendor> is verified (fail closed), deduped on its event id, and answered 2xx only
// after the sale is committed to the ledger; a failure answers 5xx so the vendor redelivers.
import { isDiskFull, type DiskState } from '../../ledger/disk-space';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookConfig } from '../config';
import type { Poller } from '../polling/poller';
import type { CaptureState } from '../polling/state';
import { WebhookBadRequest, type WebhookHandler } from './handlers';
import { clientErrorResponse } from '../../server/client-error';

const MAX_BODY = 1024 * 1024;
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export interface WebhookRoute {
  handler: WebhookHandler;
  poller: Poller;
}

export interface WebhookLog {
  vendor: string;
  status: number;
  eventId?: string;
  message: string;
}

const DISK_FULL = 'disk full: the event was not recorded; send it again later';

export class WebhookReceiver {
  private server: Server | undefined;
  readonly log: WebhookLog[] = [];

  constructor(
    private readonly config: WebhookConfig,
    private readonly routes: Map<string, WebhookRoute>,
    private readonly state: CaptureState,
    private readonly onEvent: (entry: WebhookLog) => void = () => undefined,
    private readonly disk?: DiskState,
  ) {}

  async start(): Promise<{ host: string; port: number }> {
    if (!LOOPBACK.has(this.config.host) && !this.config.allowRemote) {
      throw new Error(`webhooks.host: ${this.config.host} is not loopback; set allowRemote to listen beyond this machine`);
    }
    this.server = createServer((req, res) => {
      // Nothing a request does may take the process down: the last net answers 500 and logs.
      this.handle(req, res).catch((e: unknown) => this.crashed(req, res, e));
    });
    this.server.headersTimeout = 15_000; // slow clients are cut off
    this.server.requestTimeout = 60_000;
    this.server.on('clientError', (e, socket) => {
      if (socket.writable) socket.end(clientErrorResponse(e));
      else socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.config.port, this.config.host, () => resolve());
    });
    const a = this.server.address() as AddressInfo;
    return { host: a.address, port: a.port };
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeIdleConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private reply(
    res: ServerResponse,
    status: number,
    body: Record<string, unknown>,
    entry: WebhookLog,
    headers: Record<string, string> = {},
  ): void {
    this.log.push(entry);
    if (this.log.length > 200) this.log.shift();
    this.onEvent(entry);
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  private crashed(req: IncomingMessage, res: ServerResponse, e: unknown): void {
    const message = `internal error on ${req.method} ${String(req.url).slice(0, 200)}: ${(e as Error).message ?? e}`;
    const entry = { vendor: '', status: 500, message };
    this.log.push(entry);
    if (this.log.length > 200) this.log.shift();
    try {
      this.onEvent(entry);
    } catch {
      // the log sink failing must not turn into a crash either
    }
    if (!res.headersSent && !res.destroyed && !req.destroyed) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: 'internal error' }));
    } else res.destroy();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? '/';
    // Origin-form only: "//" or "//host/…" would make URL parsing throw or read a host.
    const path = target.startsWith('/') && !target.startsWith('//') ? target.split('?')[0]! : '';
    const m = /^\/webhooks\/([a-z-]+)\/?$/.exec(path);
    const vendor = m?.[1] ?? '';
    const route = this.routes.get(vendor);
    if (req.method !== 'POST' || !route)
      return this.reply(
        res,
        404,
        { ok: false, error: 'unknown webhook path' },
        { vendor, status: 404, message: `${req.method} ${target.slice(0, 200)}` },
      );
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const c of req) {
        size += (c as Buffer).length;
        if (size > MAX_BODY)
          return this.reply(res, 413, { ok: false, error: 'body too large' }, { vendor, status: 413, message: 'body over 1 MiB' });
        chunks.push(c as Buffer);
      }
    } catch (e) {
      // The sender hung up mid-body (Content-Length larger than what came): nothing to answer, nothing written.
      this.log.push({ vendor, status: 400, message: `request body aborted after ${size} bytes (${(e as Error).message})` });
      if (this.log.length > 200) this.log.shift();
      res.destroy();
      return;
    }
    if (req.readableAborted || !req.complete) {
      this.log.push({ vendor, status: 400, message: `request body aborted after ${size} bytes` });
      res.destroy();
      return;
    }
    const wreq = { rawBody: Buffer.concat(chunks), headers: req.headers, path: target };
    const verified = route.handler.verify(wreq);
    if (!verified.ok) return this.reply(res, 401, { ok: false, error: verified.reason }, { vendor, status: 401, message: verified.reason });
    // While the disk is full nothing can be recorded: the vendor is told to redeliver later (a 5xx
    // is what Square and Toast retry), and the little space left stays for SQLite's own needs.
    const diskFull = () =>
      this.reply(
        res,
        503,
        { ok: false, error: DISK_FULL },
        { vendor, status: 503, ...(eventId ? { eventId } : {}), message: DISK_FULL },
        { 'retry-after': '60' },
      );
    let eventId: string | undefined;
    if (this.disk?.isFull) return diskFull();
    try {
      const action = await route.handler.action(wreq);
      eventId = action.eventId;
      if (this.state.hasEvent(vendor, action.eventId))
        return this.reply(res, 200, { ok: true, duplicate: true }, { vendor, status: 200, eventId, message: 'duplicate event' });
      if (action.kind === 'ignore') {
        this.state.claimEvent(vendor, action.eventId);
        return this.reply(
          res,
          200,
          { ok: true, ignored: action.reason },
          { vendor, status: 200, eventId, message: `ignored: ${action.reason}` },
        );
      }
      if (action.kind === 'handle') {
        const done = await action.run();
        return this.reply(res, 200, { ok: true, ...done.result }, { vendor, status: 200, eventId, message: done.message });
      }
      if (action.kind === 'poll') {
        const r = await route.poller.runOnce();
        await route.poller.ingestEvent([], { vendor, eventId });
        return this.reply(res, 200, { ok: true, polled: r.fresh }, { vendor, status: 200, eventId, message: `polled: ${r.fresh} new` });
      }
      const s = await route.poller.ingestEvent(await action.load(), { vendor, eventId });
      return this.reply(
        res,
        200,
        { ok: true, ...s },
        {
          vendor,
          status: 200,
          eventId,
          message: s.duplicateEvent ? 'duplicate event' : `sales ${s.sales}, skips ${s.skips}, reviews ${s.reviews}`,
        },
      );
    } catch (e) {
      if (e instanceof WebhookBadRequest)
        return this.reply(res, 400, { ok: false, error: e.message }, { vendor, status: 400, message: e.message });
      if (isDiskFull(e)) {
        // The transaction rolled back: neither the sale nor the event id was recorded.
        this.disk?.full();
        return diskFull();
      }
      // Not durable: tell the vendor to redeliver.
      return this.reply(
        res,
        503,
        { ok: false, error: (e as Error).message },
        { vendor, status: 503, ...(eventId ? { eventId } : {}), message: (e as Error).message },
      );
    }
  }
}
