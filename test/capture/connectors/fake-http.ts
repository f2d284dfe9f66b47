// Shared plumbing for the vendor API fakes: a loopback HTTP server, a request log, injected
// faults (429 with Retry-After, 5xx, "down for hours") and a controllable clock.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  text: string;
  json: unknown;
  form: URLSearchParams;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
}

export interface Fault {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  /** Only for requests whose path starts with this (default: any API path, not auth). */
  path?: string;
}

export abstract class FakeVendorServer {
  private server: Server | undefined;
  url = '';
  readonly requests: FakeRequest[] = [];
  /** Injected answers, consumed in order by matching API requests. */
  readonly faults: Fault[] = [];
  /** While true every API request answers 503 (the vendor is down). */
  down = false;
  /** Runs before each request is answered (a test can hold a response here). */
  beforeRoute: ((req: FakeRequest) => Promise<void> | void) | undefined;
  /** The fake's clock (ms): tests move it to expire tokens. */
  clockOffsetMs = 0;
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  protected abstract route(req: FakeRequest): FakeResponse | Promise<FakeResponse>;
  /** Paths that are auth endpoints (faults and "down" do not apply unless targeted). */
  protected isAuthPath(_path: string): boolean {
    return false;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  count(pathPrefix: string, method?: string): number {
    return this.requests.filter((r) => r.path.startsWith(pathPrefix) && (!method || r.method === method)).length;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const u = new URL(req.url ?? '/', 'http://x');
    let json: unknown;
    try {
      json = text && /json/.test(req.headers['content-type'] ?? '') ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const fr: FakeRequest = {
      method: req.method ?? 'GET',
      path: u.pathname,
      query: u.searchParams,
      headers: req.headers,
      text,
      json,
      form: new URLSearchParams(/form/.test(req.headers['content-type'] ?? '') ? text : ''),
    };
    this.requests.push(fr);
    await this.beforeRoute?.(fr);
    let out: FakeResponse;
    const faultIdx = this.faults.findIndex((f) => (f.path ? fr.path.startsWith(f.path) : !this.isAuthPath(fr.path)));
    if (faultIdx >= 0) {
      const f = this.faults.splice(faultIdx, 1)[0]!;
      out = { status: f.status, headers: f.headers, json: f.json ?? { message: `injected ${f.status}` } };
    } else if (this.down && !this.isAuthPath(fr.path)) {
      out = { status: 503, json: { message: 'Service Unavailable' } };
    } else {
      try {
        out = await this.route(fr);
      } catch (e) {
        out = { status: 500, json: { message: (e as Error).message } };
      }
    }
    const headers: Record<string, string> = { ...out.headers };
    let body = out.text ?? '';
    if (out.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(out.json);
    }
    res.writeHead(out.status, headers);
    res.end(body);
  }
}

export function bearer(req: FakeRequest): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7) : undefined;
}

let seq = 0;
export const token = (prefix: string): string =>
  `${prefix}-${Date.now().toString(36)}-${(++seq).toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
