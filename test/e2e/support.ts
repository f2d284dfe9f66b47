// End-to-end plumbing: the real store server (the built CLI's `serve`, temp data dir, port 0),
// Debian's Chromium driven by playwright-core, and QR decoding of real pixels with jsQR.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import { BUSINESS, CLI, keyPair } from '../support/fixture';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// The README's screenshots are refreshed only on request (`npm run screenshots`); a normal test
// run writes its screenshots under test-results/ so `git status` stays clean after `npm test`.
export const SCREENSHOTS =
  process.env.TPOS_SCREENSHOTS === 'update'
    ? join(process.cwd(), 'docs', 'screenshots')
    : join(process.cwd(), 'test-results', 'screenshots');

export interface Server {
  url: string; // with ?token=… (what the server printed)
  origin: string; // http://127.0.0.1:PORT
  token: string;
  output: () => string;
  stop(): Promise<void>;
}

const URL_LINE = /(http:\/\/127\.0\.0\.1:\d+\/?\?token=[A-Za-z0-9_\-.~%]+)/;

/** Starts `taxpoynt-pos --data-dir DIR serve --port P` (default 0: any free port) and waits for the URL it prints. */
export function startServer(dataDir: string, extraArgs: string[] = [], timeoutMs = 20_000, port = '0'): Promise<Server> {
  // --print-link: a restart on the same data dir prints the link again (it is otherwise printed once).
  return spawnUntilUrl([CLI, '--data-dir', dataDir, 'serve', '--port', port, '--print-link', ...extraArgs], dataDir, timeoutMs);
}

/** `npm start` as a user runs it (scripts/start.mjs): on a machine without Electron, browser mode. */
export function startNpmStart(dataDir: string, timeoutMs = 30_000): Promise<Server> {
  return spawnUntilUrl([join(process.cwd(), 'scripts', 'start.mjs')], dataDir, timeoutMs);
}

function spawnUntilUrl(args: string[], dataDir: string, timeoutMs: number): Promise<Server> {
  const child: ChildProcess = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TAXPOYNT_POS_DATA_DIR: dataDir },
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no URL printed within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = URL_LINE.exec(out);
      if (!m) return;
      clearTimeout(timer);
      const url = new URL(m[1]!);
      resolve({
        url: url.toString(),
        origin: url.origin,
        token: url.searchParams.get('token')!,
        output: () => out,
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(killer);
        },
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code ?? signal}) before printing a URL:\n${out}`));
    });
  });
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh profile each time, no background traffic (this machine has no network beyond loopback). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
  const profile = mkdtempSync(join(tmpdir(), 'tpos-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1440, height: 900 },
    locale: 'en-NG',
    timezoneId: 'Africa/Lagos',
    args: [
      '--lang=en-NG',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  // Every wait fails on its own, naming the step, well before the test's own timeout.
  context.setDefaultTimeout(20_000);
  context.setDefaultNavigationTimeout(20_000);
  const flushCoverage = recordRendererCoverage(context);
  return {
    context,
    async close() {
      await flushCoverage();
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Under `npm run coverage` (TPOS_RENDERER_COVERAGE=dir) every page records V8 JS coverage from its
 * first script; scripts/coverage.mjs maps it back to renderer/src through Vite's source maps.
 * Otherwise a no-op.
 *
 * V8 only reports scripts of the document that is alive when the coverage is taken: a reload or a
 * second goto throws away everything the page ran before it (the first run lost the setup wizard and
 * the refund dialog of till.test.ts that way). So the coverage is taken (a delta: V8 resets its
 * counters on each take; the merge adds the deltas up) before every navigation a test makes, when a
 * page closes, and when the browser closes. Pages the tests do not open themselves (popups) are
 * recorded from the moment they appear.
 */
function recordRendererCoverage(context: BrowserContext): () => Promise<void> {
  const dir = process.env.TPOS_RENDERER_COVERAGE;
  if (!dir) return async () => {};
  const sessions = new Map<Page, Promise<CDPSession | null>>();
  let n = 0;
  const take = async (page: Page) => {
    const session = await sessions.get(page);
    if (!session) return;
    const taken = await session.send('Profiler.takePreciseCoverage').catch(() => null);
    const own = (taken?.result ?? []).filter((e) => /\/assets\/[^/]+\.js$/.test(new URL(e.url || 'about:blank', 'http://x').pathname));
    if (!own.length) return;
    writeFileSync(
      join(dir, `page-${process.pid}-${Date.now()}-${n++}.json`),
      JSON.stringify(own.map(({ url, functions }) => ({ url, functions }))),
    );
  };
  const track = (page: Page): Promise<CDPSession | null> => {
    const known = sessions.get(page);
    if (known) return known;
    const started = (async () => {
      const session = await context.newCDPSession(page);
      await session.send('Profiler.enable');
      await session.send('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
      return session;
    })().catch(() => null);
    sessions.set(page, started);
    for (const method of ['goto', 'reload', 'goBack', 'goForward'] as const) {
      const navigate = page[method].bind(page) as (...args: unknown[]) => Promise<unknown>;
      (page as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
        await take(page);
        return navigate(...args);
      };
    }
    const close = page.close.bind(page);
    page.close = async (options) => {
      await take(page);
      sessions.delete(page);
      return close(options);
    };
    return started;
  };
  context.on('page', (page) => void track(page));
  const newPage = context.newPage.bind(context);
  context.newPage = async () => {
    const page = await newPage();
    await track(page); // before the test's first goto, so the app's first script is counted
    return page;
  };
  return async () => {
    await Promise.all([...sessions.keys()].map(take));
    sessions.clear();
  };
}

/** Decodes the QR in a PNG (a screenshot or the receipt preview) from its pixels. */
export function decodeQrPng(png: Buffer): string | null {
  const img = PNG.sync.read(png);
  const code = jsQR(new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.byteLength), img.width, img.height);
  return code ? code.data : null;
}

export function tempData(prefix = 'tpos-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** expect.poll with a wait that suits a loaded 2-core machine (vitest's default is 1 s). */
export function poll<T>(fn: () => T | Promise<T>, opts: { timeout?: number; interval?: number } = {}) {
  return expect.poll(fn, { timeout: 10_000, interval: 100, ...opts });
}

/** Sets up the test business through the server's own API (`setup.configure`, as the wizard does). */
export async function configureBusiness(server: Server, managerPin: string): Promise<void> {
  const res = await fetch(`${server.origin}/api/invoke/setup.configure`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
    body: JSON.stringify({ business: BUSINESS, cryptoKeys: keyPair().keysFileJson, managerPin }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

export interface OpenTill {
  dir: string;
  server: Server;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** A set-up terminal's till open in Chromium: a temp data dir, `serve`, the test business with `managerPin`. */
export async function openTill(managerPin: string): Promise<OpenTill> {
  const dir = tempData();
  const server = await startServer(dir);
  await configureBusiness(server, managerPin);
  const browser = await launchChromium();
  const page = await browser.context.newPage();
  await page.goto(server.url);
  await page.getByRole('region', { name: 'New sale' }).waitFor();
  return {
    dir,
    server,
    browser,
    page,
    close: async () => {
      await browser.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export { overflowProblems } from './layout-check';
