// Browser mode: the same main-process services serve the same renderer over HTTP + WebSocket.
//   GET  /?token=<secret>        → sets the tpos_session cookie, redirects to /
//   POST /api/invoke/<channel>   → {ok:true,result} | {ok:false,error:{code,message}} (400/401/403/404/409/500)
//   POST /api/export/csv         → the 'export.csv' request, answered as a streamed text/csv download
//   GET  /api/events (WebSocket) → {event,payload} messages
//   GET  /login, POST /login     → manager PIN login (only with --lan)
// Loopback only unless --lan; every /api request needs the session cookie (or Bearer secret).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { CHANNELS, EVENT_NAMES, type Envelope } from '../../shared/ipc/contract';
import { describeIssues, dispatch, failure, HTTP_STATUS } from '../app/dispatch';
import { csvChunks, planCsvExport } from '../features/reports/csv-export';
import { ManagerSession } from '../app/handlers';
import type { AppServices } from '../app/services';
import { findRendererDir, staticFile } from './static-files';
import { jsonDepth, MAX_JSON_DEPTH, PIN_PATTERN } from '../../shared/domain/limits';
import { clientErrorResponse } from './client-error';
import {
  BASE_HEADERS,
  COOKIE,
  contentSecurityPolicy,
  installToken,
  newSessionId,
  parseCookies,
  sameSecret,
  sessionCookie,
  signSession,
  verifySession,
} from './security';

export interface AppServerOptions {
  services: AppServices;
  port?: number;
  /** Bind 0.0.0.0 and require the manager PIN to log in. */
  lan?: boolean;
  host?: string;
  rendererDir?: string;
  /** Check handler responses against the contract (development, tests). */
  checkResponses?: boolean;
  log?: (message: string) => void;
}

interface Session {
  manager: ManagerSession;
  pinLoggedIn: boolean;
  /** LAN log-ins expire (unix ms; 0: not logged in). */
  loggedInUntil: number;
}

/** A browser session (its cookie) lasts one working day; a LAN log-in one shift. */
export const SESSION_MAX_AGE_S = 12 * 3600;
export const LAN_LOGIN_MS = 8 * 3600_000;

const MAX_BODY = 2 * 1024 * 1024;
const BEARER = 'bearer-token-client';
const MAX_SESSIONS = 500;
const HEADERS_TIMEOUT_MS = 15_000;
const REQUEST_TIMEOUT_MS = 60_000;

export class AppServer {
  private server: Server | undefined;
  private wss: WebSocketServer | undefined;
  private readonly sessions = new Map<string, Session>();
  private readonly sockets = new Set<Socket>();
  private readonly token: string;
  private readonly rendererDir: string | undefined;
  private readonly unsubscribe: (() => void)[] = [];
  private port = 0;

  constructor(private readonly o: AppServerOptions) {
    this.token = installToken(o.services.secrets);
    this.rendererDir = o.rendererDir ?? findRendererDir();
  }

  get host(): string {
    return this.o.host ?? (this.o.lan ? '0.0.0.0' : '127.0.0.1');
  }

  /** The URL to open, carrying the secret once (loopback address even in LAN mode). */
  get url(): string {
    return `http://127.0.0.1:${this.port}/?token=${encodeURIComponent(this.token)}`;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get secret(): string {
    return this.token;
  }

  async listen(): Promise<string> {
    const server = createServer((req, res) => {
      void this.handle(req, res);
    });
    // Slow clients (headers or a body dribbled a byte at a time) are cut off instead of holding a socket.
    server.headersTimeout = HEADERS_TIMEOUT_MS;
    server.requestTimeout = REQUEST_TIMEOUT_MS;
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
    server.on('upgrade', (req, socket, head) => this.upgrade(req, socket as Socket, head));
    server.on('clientError', (e, socket) => {
      // Malformed request lines/headers: Node answers nothing by default once we listen for this.
      if (socket.writable) socket.end(clientErrorResponse(e));
      else socket.destroy();
      this.o.log?.(`http: refused a malformed request (${(e as NodeJS.ErrnoException).code ?? e.message})`);
    });
    this.server = server;
    this.wss = wss;
    for (const event of EVENT_NAMES) {
      this.unsubscribe.push(this.o.services.on(event, (payload) => this.broadcast(event, payload)));
    }
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.o.port ?? 0, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.port = (server.address() as AddressInfo).port;
    return this.url;
  }

  /** Stops accepting, closes sockets; the services are stopped by their owner (see stop()). */
  async close(): Promise<void> {
    for (const off of this.unsubscribe.splice(0)) off();
    for (const client of this.wss?.clients ?? []) client.terminate();
    this.wss?.close();
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
    this.server = undefined;
  }

  // ---------- HTTP ----------

  private send(res: ServerResponse, status: number, body: Buffer | string, headers: Record<string, string>): void {
    res.writeHead(status, { ...BASE_HEADERS, ...headers });
    res.end(body);
  }

  private json(res: ServerResponse, status: number, body: Envelope<unknown>): void {
    this.send(res, status, JSON.stringify(body), { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  }

  private fail(res: ServerResponse, status: number, code: keyof typeof HTTP_STATUS, message: string): void {
    this.json(res, status, { ok: false, error: { code, message } });
  }

  /** Only our own host names: refuses DNS-rebinding pages that point an evil name at 127.0.0.1. */
  private hostAllowed(req: IncomingMessage): boolean {
    if (this.o.lan) return true;
    const host = (req.headers.host ?? '').toLowerCase();
    return host === `127.0.0.1:${this.port}` || host === `localhost:${this.port}` || host === `[::1]:${this.port}`;
  }

  /** A cross-site page must not drive the API (cookies are SameSite=Strict too). */
  private originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (!origin) return true;
    try {
      return new URL(origin).host === req.headers.host;
    } catch {
      return false;
    }
  }

  private nowMs(): number {
    return this.o.services.now().getTime();
  }

  /** The session behind this request, if it carries the secret (cookie or Bearer). */
  private session(req: IncomingMessage): { id: string; session: Session } | undefined {
    const cookie = parseCookies(req.headers.cookie)[COOKIE];
    const id = cookie ? verifySession(cookie, this.token, this.nowMs(), SESSION_MAX_AGE_S * 1000) : undefined;
    if (id) {
      const s = this.sessionById(id);
      if (s.pinLoggedIn && this.nowMs() >= s.loggedInUntil) {
        s.pinLoggedIn = false;
        s.manager.lock();
        s.manager.signOutCashier();
      }
      return { id, session: s };
    }
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ') && sameSecret(auth.slice(7).trim(), this.token)) {
      // Scripts hold no session: each request stands alone, and its X-TPOS-PIN acts for that request
      // only (a manager's PIN also unlocks the manager channels), so one client's PIN unlocks nobody else.
      const s = this.newSession();
      const pin = req.headers['x-tpos-pin'];
      if (typeof pin === 'string' && PIN_PATTERN.test(pin)) {
        const r = this.o.services.pin.checkAny(pin);
        if (r.ok) {
          s.pinLoggedIn = true;
          s.loggedInUntil = this.nowMs() + LAN_LOGIN_MS;
          if (r.role === 'manager') s.manager.unlock();
          else s.manager.signInCashier(r.cashier!); // the sale it issues names this cashier
        }
      }
      return { id: BEARER, session: s };
    }
    return undefined;
  }

  private newSession(): Session {
    return { manager: new ManagerSession(() => this.nowMs()), pinLoggedIn: false, loggedInUntil: 0 };
  }

  private sessionById(id: string): Session {
    let s = this.sessions.get(id);
    if (!s) {
      // Bounded: every token exchange makes one; the oldest are forgotten (they log in again).
      if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
      s = this.newSession();
      this.sessions.set(id, s);
    }
    return s;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (!this.hostAllowed(req)) return this.send(res, 421, 'unknown host', { 'content-type': 'text/plain' });
      const url = requestUrl(req.url);
      if (!url) return this.send(res, 400, 'bad request target', { 'content-type': 'text/plain' });
      if (url.pathname.startsWith('/api/')) return await this.api(req, res, url);
      if (url.pathname === '/login') return await this.login(req, res);
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return this.send(res, 405, 'method not allowed', { 'content-type': 'text/plain', allow: 'GET' });

      const token = url.searchParams.get('token');
      if (token !== null) {
        if (!sameSecret(token, this.token))
          return this.send(res, 401, 'This link is not valid for this TaxPoynt POS.', { 'content-type': 'text/plain; charset=utf-8' });
        const existing = this.session(req);
        const id = existing && existing.id !== BEARER ? existing.id : newSessionId(this.nowMs());
        this.sessionById(id);
        // Redirect to drop the secret from the address bar and history.
        return this.send(res, 303, '', {
          location: this.o.lan ? '/login' : '/',
          'set-cookie': sessionCookie(signSession(id, this.token), SESSION_MAX_AGE_S),
          'cache-control': 'no-store',
        });
      }
      const s = this.session(req);
      if (!s) {
        return this.send(res, 401, page("Open TaxPoynt POS with the link printed when it started (it carries this terminal's secret)."), {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': contentSecurityPolicy(req.headers.host),
        });
      }
      if (this.o.lan && !s.session.pinLoggedIn) return this.send(res, 303, '', { location: '/login', 'cache-control': 'no-store' });
      const f = staticFile(this.rendererDir, url.pathname);
      this.send(res, f.status, req.method === 'HEAD' ? '' : f.body, {
        'content-type': f.type,
        'cache-control': f.cache,
        'content-security-policy': contentSecurityPolicy(req.headers.host),
      });
    } catch (e) {
      this.o.log?.(`http: ${req.method} ${String(req.url).slice(0, 200)}: ${(e as Error).stack ?? e}`);
      // An aborted body lands here too: the socket is gone, there is nobody to answer.
      if (!res.headersSent && !res.destroyed && !req.destroyed) this.fail(res, 500, 'internal', 'internal error');
      else res.destroy();
    }
  }

  private async readBody(req: IncomingMessage): Promise<Buffer | 'too_large'> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) return 'too_large';
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  private async api(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const s = this.session(req);
    if (!s)
      return this.fail(res, 401, 'unauthorized', 'this request does not carry the terminal secret: open the link printed at start-up');
    if (this.o.lan && !s.session.pinLoggedIn)
      return this.fail(res, 401, 'unauthorized', 'LAN access needs the manager PIN: log in at /login');
    if (!this.originAllowed(req)) return this.fail(res, 403, 'unauthorized', 'cross-origin requests are refused');
    const m = /^\/api\/invoke\/([A-Za-z0-9._-]{1,64})$/.exec(url.pathname);
    const csv = url.pathname === '/api/export/csv';
    if (!m && !csv) return this.fail(res, 404, 'not_found', `no such endpoint ${url.pathname}`);
    if (req.method !== 'POST') return this.fail(res, 405, 'invalid_request', 'use POST with a JSON body');
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    // JSON only: a plain HTML form (which a foreign page could submit) cannot send it.
    if (type !== 'application/json')
      return this.fail(res, 415, 'invalid_request', 'the body must be JSON (content-type: application/json)');
    const body = await this.readBody(req);
    if (body === 'too_large') return this.fail(res, 413, 'invalid_request', `the body is larger than ${MAX_BODY} bytes`);
    let payload: unknown = {};
    if (body.length) {
      const text = body.toString('utf8');
      if (jsonDepth(text) > MAX_JSON_DEPTH)
        return this.fail(res, 400, 'invalid_request', `the body is nested deeper than ${MAX_JSON_DEPTH} levels`);
      try {
        payload = JSON.parse(text);
      } catch (e) {
        return this.fail(res, 400, 'invalid_request', `the body is not valid JSON: ${(e as Error).message}`);
      }
    }
    if (csv) return await this.exportCsv(res, payload, s.session.manager);
    const result = await dispatch(
      m![1]!,
      payload,
      { services: this.o.services, session: s.session.manager },
      { checkResponses: this.o.checkResponses ?? false, log: this.o.log },
    );
    this.json(res, result.ok ? 200 : HTTP_STATUS[result.error.code], result);
  }

  /**
   * The CSV export written to the response as it is read (chunked, with backpressure): the same
   * request, checks and errors as the 'export.csv' channel, without the whole file in memory.
   */
  private async exportCsv(res: ServerResponse, payload: unknown, session: ManagerSession): Promise<void> {
    const channel = 'export.csv';
    const parsed = CHANNELS[channel].request.safeParse(payload);
    if (!parsed.success) return this.fail(res, 400, 'invalid_request', `${channel}: ${describeIssues(parsed.error)}`);
    if (!session.isUnlocked()) return this.fail(res, HTTP_STATUS.locked, 'locked', `${channel} needs the manager PIN: unlock first`);
    session.touch();
    const services = this.o.services;
    let plan;
    try {
      plan = planCsvExport(services, parsed.data.from, parsed.data.to);
    } catch (e) {
      const f = failure(channel, e, { services, session }, { log: this.o.log });
      return this.json(res, HTTP_STATUS[f.error.code], f);
    }
    res.writeHead(200, {
      ...BASE_HEADERS,
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${plan.filename}"`,
      'cache-control': 'no-store',
    });
    const closed = new Promise<void>((resolve) => res.once('close', resolve));
    await services.track(async () => {
      for await (const chunk of csvChunks(services.data, plan.days)) {
        if (res.destroyed) return; // the browser went away: stop reading
        if (!res.write(chunk)) await Promise.race([once(res, 'drain'), closed]);
      }
      res.end();
    });
  }

  // ---------- LAN login (a plain form: works before the renderer loads, no script needed) ----------

  private async login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const csp = {
      'content-security-policy': contentSecurityPolicy(req.headers.host),
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
    };
    const s = this.session(req);
    if (!s) return this.send(res, 401, page('Open the link printed when TaxPoynt POS started first.'), csp);
    if (req.method === 'GET') return this.send(res, 200, loginPage(), csp);
    if (req.method !== 'POST' || !this.originAllowed(req)) return this.send(res, 405, page('Not allowed.'), csp);
    const body = await this.readBody(req);
    if (body === 'too_large') return this.send(res, 413, page('Too large.'), csp);
    const pin = new URLSearchParams(body.toString('utf8')).get('pin') ?? '';
    if (!PIN_PATTERN.test(pin)) return this.send(res, 400, loginPage('The PIN is 4 to 8 digits.'), csp);
    // A cashier's PIN logs in to the till; the manager's also unlocks the manager area.
    const r = this.o.services.pin.checkAny(pin);
    if (!r.ok) return this.send(res, 401, loginPage(r.retryAfterS ? `${r.message} (wait ${r.retryAfterS} s)` : r.message), csp);
    if (s.id === BEARER) return this.send(res, 400, page('Scripts send X-TPOS-PIN with each request instead of logging in.'), csp);
    s.session.pinLoggedIn = true;
    s.session.loggedInUntil = this.nowMs() + LAN_LOGIN_MS;
    if (r.role === 'manager') s.session.manager.unlock();
    else s.session.manager.signInCashier(r.cashier!); // a cashier's LAN log-in is their till sign-in too
    return this.send(res, 303, '', { location: '/', 'cache-control': 'no-store' });
  }

  // ---------- events ----------

  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const refuse = (status: number, text: string) => {
      if (socket.writable) socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      else socket.destroy();
    };
    // The socket is ours from here on: a reset must not surface as an uncaught 'error'.
    socket.on('error', () => socket.destroy());
    try {
      const url = requestUrl(req.url);
      if (!url) return refuse(400, 'Bad Request');
      if (url.pathname !== '/api/events') return refuse(404, 'Not Found');
      if (!this.hostAllowed(req) || !this.originAllowed(req)) return refuse(403, 'Forbidden');
      const s = this.session(req);
      if (!s || (this.o.lan && !s.session.pinLoggedIn)) return refuse(401, 'Unauthorized');
      this.wss!.handleUpgrade(req, socket, head, (ws: WebSocket) => {
        ws.on('message', () => {
          /* events flow one way; requests use /api/invoke */
        });
        ws.on('error', () => ws.terminate());
      });
    } catch (e) {
      this.o.log?.(`websocket upgrade: ${String(req.url).slice(0, 200)}: ${(e as Error).stack ?? e}`);
      refuse(500, 'Internal Server Error');
    }
  }

  private broadcast(event: string, payload: unknown): void {
    if (!this.wss) return;
    const text = JSON.stringify({ event, payload });
    for (const client of this.wss.clients) {
      if (client.readyState === client.OPEN) client.send(text);
    }
  }
}

/**
 * The request target as a URL, or undefined when it is not an origin-form path: "//" or
 * "//host/x" would make `new URL` throw (or read a host), and an absolute-form target is not ours.
 */
export function requestUrl(target: string | undefined): URL | undefined {
  const t = target ?? '/';
  if (!t.startsWith('/') || t.startsWith('//')) return undefined;
  try {
    return new URL(t, 'http://local');
  } catch {
    return undefined;
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function page(message: string): string {
  return `<!doctype html><html lang="en-NG"><meta charset="utf-8"><title>TaxPoynt POS</title><h1>TaxPoynt POS</h1><p>${escapeHtml(message)}</p></html>`;
}

function loginPage(error?: string): string {
  return `<!doctype html><html lang="en-NG"><meta charset="utf-8"><title>TaxPoynt POS — log in</title>
<h1>TaxPoynt POS</h1><p>This terminal is shared on the network: enter your cashier PIN or the manager PIN.</p>
${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/login"><label>PIN <input name="pin" type="password" inputmode="numeric" autocomplete="off" required autofocus></label>
<button type="submit">Log in</button></form></html>`;
}
