// The HTTP client factory against real loopback servers: a forward/CONNECT proxy (a small node
// http server acting as one) that requests go through when HTTP_PROXY/HTTPS_PROXY is set and do not
// for NO_PROXY hosts and loopback; a server that never answers (short timeout option); and the
// typed errors. Target host names are under .test (RFC 2606: never resolvable), so an answer for
// one can only have come through the proxy, which maps every name to the loopback target.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../main/net/http-client';
import {
  expectOk,
  HttpStatusError,
  InvalidResponseError,
  NetError,
  readJson,
  TimeoutError,
  UnreachableError,
} from '../../main/net/net-errors';
import { bypassesProxy, proxyFor } from '../../main/net/proxy';

const servers: (http.Server | net.Server)[] = [];
const sockets = new Set<net.Socket>();

async function listen<S extends http.Server | net.Server>(server: S): Promise<{ server: S; port: number }> {
  servers.push(server);
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** What the proxy saw: absolute-form requests, CONNECT targets and the Proxy-Authorization sent. */
interface ProxyLog {
  forwarded: string[];
  tunnels: string[];
  auth: (string | undefined)[];
}

/** A forward (absolute-form) and CONNECT proxy that sends every host to 127.0.0.1 on the same port. */
async function startProxy(opts: { refuseConnect?: number; silent?: boolean } = {}): Promise<{ url: string; log: ProxyLog }> {
  const log: ProxyLog = { forwarded: [], tunnels: [], auth: [] };
  const server = http.createServer((req, res) => {
    log.forwarded.push(req.url!);
    log.auth.push(req.headers['proxy-authorization']);
    const target = new URL(req.url!);
    const upstream = http.request(
      { host: '127.0.0.1', port: target.port, path: target.pathname + target.search, method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode!, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket) => {
    log.tunnels.push(req.url!);
    log.auth.push(req.headers['proxy-authorization']);
    if (opts.silent) return; // never answers the CONNECT
    if (opts.refuseConnect) {
      client.end(`HTTP/1.1 ${opts.refuseConnect} Refused\r\n\r\n`);
      return;
    }
    const port = Number(req.url!.split(':').pop());
    const upstream = net.connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const { port } = await listen(server);
  return { url: `http://127.0.0.1:${port}`, log };
}

function answering(status = 200, body = '{"ok":true}', type = 'application/json'): http.RequestListener {
  return (req, res) => {
    res.writeHead(status, { 'content-type': type, 'x-path': req.url ?? '' });
    res.end(body);
  };
}

let dir: string;
let cert: string;
let key: string;
let plainPort: number;
let tlsPort: number;

beforeAll(async () => {
  // A certificate for a .test name, so TLS through the tunnel is checked end to end against it.
  dir = mkdtempSync(join(tmpdir(), 'tpos-net-'));
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1'].concat(
      ['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-subj', '/CN=pay.example.test'],
      ['-addext', 'subjectAltName=DNS:pay.example.test'],
    ),
    { stdio: 'ignore' },
  );
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  key = readFileSync(join(dir, 'key.pem'), 'utf8');
  plainPort = (await listen(http.createServer(answering()))).port;
  tlsPort = (await listen(https.createServer({ key, cert }, answering()))).port;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  rmSync(dir, { recursive: true, force: true });
});

describe('proxy from the environment', () => {
  it('HTTP_PROXY: a plain-HTTP request goes to the proxy in absolute form, with its credentials', async () => {
    const proxy = await startProxy();
    const proxied = proxy.url.replace('http://', 'http://till:s%40cret@');
    const client = createHttpClient({ env: { HTTP_PROXY: proxied }, timeoutMs: 5_000 });
    const r = await client.request({ method: 'GET', url: `http://shop.example.test:${plainPort}/orders?page=2` });
    expect(r.status).toBe(200);
    expect(r.headers['x-path']).toBe('/orders?page=2');
    expect(proxy.log.forwarded).toEqual([`http://shop.example.test:${plainPort}/orders?page=2`]);
    expect(proxy.log.auth).toEqual([`Basic ${Buffer.from('till:s@cret').toString('base64')}`]);
  });

  it('HTTPS_PROXY: an https request goes through a CONNECT tunnel, TLS checked end to end', async () => {
    const proxy = await startProxy();
    const client = createHttpClient({ env: { https_proxy: proxy.url }, ca: cert, timeoutMs: 5_000 });
    const r = await client.request({ method: 'POST', url: `https://pay.example.test:${tlsPort}/api/v1/sign`, body: '{}' });
    expect(r.status).toBe(200);
    expect(r.headers['x-path']).toBe('/api/v1/sign');
    expect(proxy.log.tunnels).toEqual([`pay.example.test:${tlsPort}`]);
    expect(proxy.log.forwarded).toEqual([]); // the proxy never saw the request itself
  });

  it('a certificate that does not match is refused through the tunnel too', async () => {
    const proxy = await startProxy();
    const client = createHttpClient({ env: { HTTPS_PROXY: proxy.url }, timeoutMs: 5_000 }); // no extra CA
    const e = await client.request({ method: 'GET', url: `https://pay.example.test:${tlsPort}/` }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UnreachableError);
    expect(proxy.log.tunnels).toHaveLength(1);
  });

  it('NO_PROXY hosts and loopback bypass the proxy', async () => {
    const proxy = await startProxy();
    const env = { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: 'example.test' };
    const client = createHttpClient({ env, timeoutMs: 5_000 });
    // Direct, so the .test name is looked up and not found.
    const e = await client.request({ method: 'GET', url: `http://shop.example.test:${plainPort}/` }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UnreachableError);
    expect((e as UnreachableError).code).toMatch(/ENOTFOUND|EAI_AGAIN/);
    // Loopback is always direct, whatever NO_PROXY says.
    const local = createHttpClient({ env: { HTTP_PROXY: proxy.url }, timeoutMs: 5_000 });
    expect((await local.request({ method: 'GET', url: `http://127.0.0.1:${plainPort}/a` })).status).toBe(200);
    expect((await local.request({ method: 'GET', url: `http://localhost:${plainPort}/b` })).status).toBe(200);
    expect(proxy.log).toEqual({ forwarded: [], tunnels: [], auth: [] });
  });

  it('a proxy that refuses the tunnel is an unreachable error naming it', async () => {
    const proxy = await startProxy({ refuseConnect: 407 });
    const client = createHttpClient({ env: { HTTPS_PROXY: proxy.url }, ca: cert, timeoutMs: 5_000 });
    const e = await client.request({ method: 'GET', url: `https://pay.example.test:${tlsPort}/` }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UnreachableError);
    expect((e as UnreachableError).code).toBe('EPROXY');
  });

  it('proxyFor reads the conventional variables', () => {
    const u = (s: string) => new URL(s);
    expect(proxyFor(u('https://a.example/x'), { HTTPS_PROXY: 'proxy:3128' })?.href).toBe('http://proxy:3128/');
    expect(proxyFor(u('https://a.example/x'), { HTTP_PROXY: 'http://p:1' })).toBeUndefined(); // https uses HTTPS_PROXY only
    expect(proxyFor(u('http://a.example/x'), { http_proxy: 'http://lower:1', HTTP_PROXY: 'http://upper:1' })?.host).toBe('lower:1');
    expect(proxyFor(u('http://[::1]:8080/'), { HTTP_PROXY: 'http://p:1' })).toBeUndefined();
    expect(() => proxyFor(u('http://a.example/'), { HTTP_PROXY: 'socks5://p:1' })).toThrow(/not an http:\/\/ or https:\/\/ proxy/);
    expect(() => proxyFor(u('http://a.example/'), { HTTP_PROXY: 'http://[bad' })).toThrow(/is not a URL/);
    const bypass = (url: string, np: string) => bypassesProxy(u(url), np);
    expect(bypass('https://api.firs.gov.ng/', '.gov.ng')).toBe(true);
    expect(bypass('https://api.firs.gov.ng/', '*.firs.gov.ng')).toBe(true);
    expect(bypass('https://firs.gov.ng/', 'firs.gov.ng')).toBe(true);
    expect(bypass('https://notfirs.gov.ng/', 'firs.gov.ng')).toBe(false);
    expect(bypass('https://a.example/', 'a.example:443')).toBe(true);
    expect(bypass('https://a.example:8443/', 'a.example:443')).toBe(false);
    expect(bypass('https://a.example/', 'x.example, *')).toBe(true);
    expect(bypass('https://a.example/', '')).toBe(false);
  });
});

describe('timeouts', () => {
  it('a server that accepts but never answers fails with a TimeoutError at the configured deadline', async () => {
    const { port } = await listen(net.createServer(() => undefined));
    const client = createHttpClient({ timeoutMs: 150 });
    const e = await client.request({ method: 'GET', url: `http://127.0.0.1:${port}/` }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TimeoutError);
    expect(e).toMatchObject({ kind: 'timeout', timeoutMs: 150, code: 'ETIMEDOUT' });
  });

  it('a proxy that never answers the CONNECT does not hold the request past the deadline', async () => {
    const proxy = await startProxy({ silent: true });
    const client = createHttpClient({ env: { HTTPS_PROXY: proxy.url }, ca: cert, timeoutMs: 150 });
    const e = await client.request({ method: 'GET', url: `https://pay.example.test:${tlsPort}/` }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TimeoutError);
    expect(proxy.log.tunnels).toHaveLength(1);
  });
});

describe('typed errors and answers', () => {
  it('any status is an answer; a refused port is UnreachableError(ECONNREFUSED)', async () => {
    const { port } = await listen(http.createServer(answering(503, 'x'.repeat(1_000), 'text/plain')));
    const client = createHttpClient({ baseUrl: `http://127.0.0.1:${port}/v1/`, timeoutMs: 5_000 });
    const r = await client.request({ method: 'GET', url: '/status' });
    expect(r).toMatchObject({ status: 503, url: `http://127.0.0.1:${port}/v1/status` });
    expect(r.headers['x-path']).toBe('/v1/status'); // the base URL's path is kept
    const status = (() => {
      try {
        expectOk(r);
      } catch (e) {
        return e;
      }
    })();
    expect(status).toBeInstanceOf(HttpStatusError);
    expect(status).toMatchObject({ kind: 'http_status', status: 503 });
    expect((status as HttpStatusError).bodyExcerpt.length).toBeLessThanOrEqual(201);
    expect(() => readJson(r)).toThrow(InvalidResponseError);
    expect(readJson({ status: 200, text: '{"a":1}', url: r.url })).toEqual({ a: 1 });

    // A port nothing listens on any more (a fresh one: a kept-alive socket would report a reset).
    const closed = await listen(net.createServer());
    await new Promise((resolve) => closed.server.close(resolve));
    const gone = createHttpClient({ baseUrl: `http://127.0.0.1:${closed.port}/v1`, timeoutMs: 5_000 });
    const e = await gone.request({ method: 'GET', url: 'status' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UnreachableError);
    expect(e).toBeInstanceOf(NetError);
    expect(e).toMatchObject({ kind: 'unreachable', code: 'ECONNREFUSED', target: `http://127.0.0.1:${closed.port}/v1/status` });
    expect((e as Error).message).toBe(`cannot reach http://127.0.0.1:${closed.port}: ECONNREFUSED`);
  });

  it('default headers are sent and a request header wins', async () => {
    let seen: http.IncomingHttpHeaders = {};
    const { port } = await listen(
      http.createServer((req, res) => {
        seen = req.headers;
        res.end('');
      }),
    );
    const client = createHttpClient({ headers: { 'x-api-key': 'k', accept: 'application/json' } });
    await client.request({ method: 'GET', url: `http://127.0.0.1:${port}/`, headers: { accept: 'text/plain' } });
    expect(seen['x-api-key']).toBe('k');
    expect(seen.accept).toBe('text/plain');
  });
});
