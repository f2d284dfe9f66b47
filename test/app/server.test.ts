// Browser mode over real loopback HTTP and WebSocket: the secret, the cookie, the contract's
// errors on the wire, the manager lock, pushed events, LAN login, clean shutdown.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { WebSocket } from 'ws';
import { AppServices } from '../../main/app/services';
import { AppServer } from '../../main/server/app-server';
import { BUSINESS, CLI, keyPair, simpleSale, tempDir } from '../support/fixture';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const NOW = new Date('2026-11-24T20:00:00+01:00');
const PIN = '246810';
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function boot(o: { lan?: boolean; configure?: boolean; rendererDir?: string } = {}) {
  const dataDir = tempDir();
  const services = new AppServices({ dataDir, mode: 'browser', now: () => NOW, demoFeedMs: 0, watchMs: 60_000, log: () => {} });
  if (o.configure !== false) await services.configure(BUSINESS, keyPair().keysFileJson, PIN);
  services.start();
  const server = new AppServer({ services, lan: o.lan ?? false, checkResponses: true, rendererDir: o.rendererDir, log: () => {} });
  await server.listen();
  cleanup.push(async () => {
    await server.close();
    await services.stop();
  });
  const base = server.baseUrl;
  const post = (channel: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/api/invoke/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  /** Exchanges the URL token for the session cookie, as a browser does. */
  const login = async () => {
    const r = await fetch(server.url, { redirect: 'manual' });
    expect(r.status).toBe(303);
    const setCookie = r.headers.get('set-cookie')!;
    return { cookie: setCookie.split(';')[0]!, setCookie, location: r.headers.get('location') };
  };
  return { services, server, base, post, login, dataDir };
}

describe('browser mode: authentication', () => {
  it('answers 401 without the secret, exchanges the URL token for an HttpOnly SameSite=Strict cookie, and refuses forged cookies', async () => {
    const { server, base, post, login } = await boot();
    const denied = await post('app.state', {});
    expect(denied.status).toBe(401);
    expect(await denied.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/?token=wrong`, { redirect: 'manual' })).status).toBe(401);

    const { cookie, setCookie, location } = await login();
    expect(location).toBe('/');
    expect(setCookie).toMatch(/^tpos_session=[^;]+; HttpOnly; SameSite=Strict; Path=\//);
    const ok = await post('app.state', {}, { cookie });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ ok: true, result: { mode: 'browser', setup: 'configured' } });
    expect((await post('app.state', {}, { authorization: `Bearer ${server.secret}` })).status).toBe(200);
    expect((await post('app.state', {}, { authorization: 'Bearer nope' })).status).toBe(401);
    const forged = cookie.replace(/\.[^.]+$/, '.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect((await post('app.state', {}, { cookie: forged })).status).toBe(401);
  });

  it('serves the renderer with a strict CSP and refuses foreign hosts and origins', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title><div id="root"></div>');
    writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
    const { base, post, login } = await boot({ rendererDir: dir });
    const { cookie } = await login();
    const page = await fetch(`${base}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await fetch(`${base}/assets/app.js`, { headers: { cookie } })).headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${base}/till/today`, { headers: { cookie } })).status).toBe(200); // client-side route → index.html
    expect((await fetch(`${base}/..%2f..%2fetc/passwd.txt`, { headers: { cookie } })).status).toBe(404);
    expect((await post('app.state', {}, { cookie, origin: 'http://evil.example' })).status).toBe(403);
    // DNS rebinding: a foreign Host name is refused outright.
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      const u = new URL(base);
      request({ host: u.hostname, port: u.port, path: '/', headers: { host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      }).end();
    });
    expect(status).toBe(421);
  });
});

describe('browser mode: the contract on the wire', () => {
  it('400 names the field, 404 for unknown channels, 403 locked then unlock with the PIN', async () => {
    const { post, login } = await boot();
    const { cookie } = await login();
    const bad = await post(
      'sales.createManual',
      { sale: { ...simpleSale('w1'), payments: [{ method: 'bitcoin', amount: '1075.00' }] } },
      { cookie },
    );
    expect(bad.status).toBe(400);
    const body = await bad.json();
    expect(body).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(body.error.message).toMatch(/sale\.payments\[0\]\.method/);
    const notJson = await post('app.state', '{oops', { cookie });
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.message).toMatch(/not valid JSON/);
    expect((await post('app.state', {}, { cookie, 'content-type': 'text/plain' })).status).toBe(415);
    const unknown = await post('invoices.deleteAll', {}, { cookie });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'not_found' } });

    const locked = await post('reports.daySummary', { date: '2026-11-24' }, { cookie });
    expect(locked.status).toBe(403);
    expect(await locked.json()).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(await (await post('manager.unlock', { pin: '0000' }, { cookie })).json()).toMatchObject({
      ok: true,
      result: { unlocked: false },
    });
    expect(await (await post('manager.unlock', { pin: PIN }, { cookie })).json()).toMatchObject({ ok: true, result: { unlocked: true } });
    expect((await post('reports.daySummary', { date: '2026-11-24' }, { cookie })).status).toBe(200);
    // The unlock belongs to this browser session only.
    const other = await login();
    expect((await post('reports.daySummary', { date: '2026-11-24' }, { cookie: other.cookie })).status).toBe(403);
  });

  it('pushes invoice.issued over the authenticated WebSocket and refuses it without the cookie', async () => {
    const { base, post, login } = await boot();
    const { cookie } = await login();
    const wsUrl = `${base.replace('http', 'ws')}/api/events`;
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(wsUrl);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode!));
      ws.on('open', () => resolve(101));
      ws.on('error', () => {});
    });
    expect(refused).toBe(401);
    const ws = new WebSocket(wsUrl, { headers: { cookie } });
    await new Promise((resolve, reject) => {
      ws.on('open', resolve);
      ws.on('error', reject);
    });
    const got = new Promise<any>((resolve) =>
      ws.on('message', (m) => {
        const msg = JSON.parse(String(m));
        if (msg.event === 'invoice.issued') resolve(msg);
      }),
    );
    const sale = await (await post('sales.createManual', { sale: simpleSale('ws-1') }, { cookie })).json();
    const msg = await got;
    expect(msg.payload).toMatchObject({ irn: sale.result.invoice.irn, payable_kobo: 107500, kind: 'invoice' });
    ws.close();
  });
});

describe('browser mode: --lan', () => {
  it('needs the manager PIN login on top of the secret', async () => {
    const { server, base, post, login } = await boot({ lan: true });
    expect(server.host).toBe('0.0.0.0');
    const { cookie, location } = await login();
    expect(location).toBe('/login');
    const before = await post('app.state', {}, { cookie });
    expect(before.status).toBe(401);
    expect((await before.json()).error.message).toMatch(/manager PIN/);
    const form = (pin: string) =>
      fetch(`${base}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: `pin=${pin}`,
      });
    expect((await form('1111')).status).toBe(401);
    expect((await form(PIN)).status).toBe(303);
    expect((await post('app.state', {}, { cookie })).status).toBe(200);
    // Scripts: Bearer secret plus the PIN header.
    expect((await post('app.state', {}, { authorization: `Bearer ${server.secret}` })).status).toBe(401);
    expect((await post('app.state', {}, { authorization: `Bearer ${server.secret}`, 'x-tpos-pin': PIN })).status).toBe(200);
  });
});

describe('shutdown', () => {
  it('stop() waits for in-flight work before closing the ledger', async () => {
    const dataDir = tempDir();
    const services = new AppServices({ dataDir, mode: 'browser', now: () => NOW, demoFeedMs: 0, log: () => {} });
    await services.configure(BUSINESS, keyPair().keysFileJson, PIN);
    const late = services.track(
      () => new Promise<string>((resolve) => setTimeout(() => resolve(services.ledger.issue(simpleSale('late-1')).invoice.irn), 300)),
    );
    await services.stop();
    const irn = await late;
    const again = new AppServices({ dataDir, mode: 'browser', now: () => NOW, log: () => {} });
    expect(again.ledger.findByIrn(irn)?.external_id).toBe('late-1');
    await again.stop();
    await expect(services.track(() => 1)).rejects.toThrow(/shutting down/);
  });

  it('`taxpoynt-pos serve` prints a working URL and exits cleanly on SIGTERM', async () => {
    const dataDir = tempDir();
    const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    cleanup.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        const m = /Open: (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
    });
    const r = await fetch(url, { redirect: 'manual' });
    expect(r.status).toBe(303);
    const cookie = r.headers.get('set-cookie')!.split(';')[0]!;
    const state = await fetch(`${new URL(url).origin}/api/invoke/app.state`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(await state.json()).toMatchObject({ ok: true, result: { mode: 'browser', setup: 'none' } });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const bad = spawn(process.execPath, [CLI, '--data-dir', dataDir, 'serve', '--port', 'abc'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    bad.stderr.on('data', (d) => {
      err += d;
    });
    expect(await new Promise((resolve) => bad.on('exit', resolve))).toBe(2);
    expect(err).toMatch(/--port: "abc" is not a port number/);
  });
});
