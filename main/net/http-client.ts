// The one place HTTP clients are made (axios underneath; eslint keeps axios out of every other
// module). Every client gets a timeout, the proxy from HTTPS_PROXY/HTTP_PROXY/NO_PROXY (loopback
// never goes through a proxy), and fails with a small set of typed errors (net-errors.ts) that
// each caller turns into its own user-facing words. Any HTTP status comes back as an answer:
// FIRS, the cloud and each vendor read their statuses differently, so classifying them is theirs.
import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';
import http from 'node:http';
import https from 'node:https';
import { InvalidResponseError, NetError, TimeoutError, UnreachableError } from './net-errors';
import { proxyFor, type ProxyEnv } from './proxy';
import { TunnelAgent } from './tunnel-agent';

export interface HttpClientOptions {
  /** Prefixed to relative request URLs (its path is kept: https://host/v1 + /x → https://host/v1/x). */
  baseUrl?: string;
  /** Whole-request deadline, connecting (and any proxy tunnel) included. */
  timeoutMs?: number;
  /** Sent with every request (a request's own headers win). */
  headers?: Record<string, string>;
  /** Where the proxy settings are read from (default: process.env, read per request). */
  env?: ProxyEnv;
  /** An extra CA to trust (PEM), e.g. a test server's; a TLS-inspecting proxy's CA goes in NODE_EXTRA_CA_CERTS. */
  ca?: string;
  /** Connections kept open per host (default 64: the sync's concurrency bound). */
  maxSockets?: number;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Absolute, or relative to the client's baseUrl. */
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface HttpAnswer {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  text: string;
  url: string;
}

export interface HttpClient {
  readonly timeoutMs: number;
  /** An answer for any status; throws only NetError (TimeoutError, UnreachableError, InvalidResponseError). */
  request(req: HttpRequest): Promise<HttpAnswer>;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

export function createHttpClient(o: HttpClientOptions = {}): HttpClient {
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const env = o.env ?? process.env;
  // One keep-alive agent per scheme for the client's life: a report is two requests, and a new
  // connection (or agent) per request cost a TCP handshake plus the agent's bookkeeping each time.
  const maxSockets = o.maxSockets ?? 64;
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets });
  const directAgent = new https.Agent({ keepAlive: true, maxSockets, ...(o.ca ? { ca: o.ca } : {}) });
  const instance: AxiosInstance = axios.create({
    timeout: timeoutMs,
    headers: o.headers,
    // Raw text and every status back to the caller, no redirects followed, no axios proxy guessing.
    responseType: 'text',
    // Bodies are sent as given: axios would JSON.parse a JSON-typed string body to "check" it
    // (a whole invoice parsed per request: a measurable share of the sync's CPU, issue 15).
    transformRequest: [(d: unknown) => d],
    transformResponse: [(d: unknown) => d],
    validateStatus: () => true,
    maxRedirects: 0,
    proxy: false,
    httpAgent,
    httpsAgent: directAgent,
  });
  const tunnels = new Map<string, TunnelAgent>();

  function routed(url: URL): Pick<AxiosRequestConfig, 'proxy' | 'httpsAgent'> {
    const proxy = proxyFor(url, env);
    if (!proxy) return NO_ROUTE; // the instance's keep-alive agents
    if (url.protocol === 'http:') {
      // Plain HTTP goes to the proxy in absolute form ("GET http://host/path").
      const auth = proxy.username
        ? { username: decodeURIComponent(proxy.username), password: decodeURIComponent(proxy.password) }
        : undefined;
      const port = Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80));
      return { proxy: { protocol: proxy.protocol.replace(':', ''), host: proxy.hostname, port, ...(auth ? { auth } : {}) } };
    }
    // HTTPS goes through a CONNECT tunnel, so the proxy never sees the request or the keys.
    let agent = tunnels.get(proxy.href);
    if (!agent) tunnels.set(proxy.href, (agent = new TunnelAgent(proxy, { timeoutMs, ...(o.ca ? { ca: o.ca } : {}) })));
    return { httpsAgent: agent };
  }

  return {
    timeoutMs,
    async request(req: HttpRequest): Promise<HttpAnswer> {
      const url = resolveUrl(req.url, o.baseUrl);
      const signal = AbortSignal.timeout(timeoutMs);
      try {
        const r = await instance.request<string>({
          method: req.method,
          url: url.href,
          headers: req.headers,
          data: req.body,
          signal,
          ...routed(url),
        });
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(r.headers))
          if (v !== undefined && v !== null) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
        return { status: r.status, headers, text: typeof r.data === 'string' ? r.data : '', url: url.href };
      } catch (e) {
        throw toNetError(e, url, timeoutMs, signal.aborted);
      }
    },
  };
}

const NO_ROUTE: Pick<AxiosRequestConfig, 'proxy' | 'httpsAgent'> = Object.freeze({});

function resolveUrl(url: string, baseUrl: string | undefined): URL {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || !baseUrl) return new URL(url);
  return new URL(`${baseUrl.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`);
}

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ERR_CANCELED']);

function toNetError(e: unknown, url: URL, timeoutMs: number, deadlinePassed: boolean): NetError {
  if (e instanceof NetError) return e;
  const err = e as { code?: string; message?: string; cause?: { code?: string } };
  const code = err.code ?? err.cause?.code;
  if (deadlinePassed || (code !== undefined && TIMEOUT_CODES.has(code))) return new TimeoutError(url, timeoutMs);
  if (code === 'ERR_BAD_RESPONSE') return new InvalidResponseError(url, err.message ?? 'unreadable answer');
  return new UnreachableError(url, code ?? 'EUNKNOWN', err.message ?? 'network error');
}
