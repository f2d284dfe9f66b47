// The renderer's Electron path without Electron: a window.taxpoynt with the preload's exact shape
// ({ invoke → envelope, on → unsubscribe }) is injected before the page loads, carried here over
// the real server's HTTP/WebSocket. Proves the renderer then talks only through the bridge.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { decodeQrPng, launchChromium, startServer, tempData, type Browser, type Server, poll } from './support';

describe('renderer over a preload-shaped bridge', () => {
  let dir: string;
  let server: Server;
  let browser: Browser;
  let page: Page;
  const apiCalls: { url: string; viaBridge: boolean }[] = [];

  beforeAll(async () => {
    dir = tempData();
    server = await startServer(dir);
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('request', (r) => {
      if (r.url().includes('/api/invoke/')) apiCalls.push({ url: r.url(), viaBridge: r.headers()['x-via-bridge'] === '1' });
    });
    await page.addInitScript(() => {
      const listeners = new Map<string, Set<(p: unknown) => void>>();
      const ws = new WebSocket(`ws://${location.host}/api/events`);
      ws.onmessage = (m) => {
        const { event, payload } = JSON.parse(String(m.data));
        for (const cb of listeners.get(event) ?? []) cb(payload);
      };
      (window as unknown as { taxpoynt: unknown }).taxpoynt = Object.freeze({
        // Like ipcRenderer.invoke on the dispatcher: resolves to the envelope, never rejects on app errors.
        invoke: (channel: string, payload: unknown) =>
          fetch(`/api/invoke/${channel}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-via-bridge': '1' },
            body: JSON.stringify(payload ?? {}),
          }).then((r) => r.json()),
        on: (event: string, cb: (p: unknown) => void) => {
          let s = listeners.get(event);
          if (!s) listeners.set(event, (s = new Set()));
          s.add(cb);
          return () => s!.delete(cb);
        },
      });
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs the demo store through window.taxpoynt: envelopes unwrapped, errors shown, events received', async () => {
    await page.goto(server.url);
    await page.getByRole('button', { name: /Try the demo store/ }).click();
    await page.getByTestId('demo-badge').waitFor();
    // A simulated sale made by another client arrives as an event through the bridge's on().
    const res = await fetch(`${server.origin}/api/invoke/demo.sale`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      body: '{}',
    });
    const { result } = (await res.json()) as { result: { invoice: { invoice_number: string } } };
    const row = page.locator(`[data-testid=sale-row][data-invoice-number="${result.invoice.invoice_number}"]`);
    await row.waitFor({ timeout: 15_000 });
    await row.click();
    await page.getByTestId('receipt-preview').waitFor();
    const qr = decodeQrPng(await page.locator('[data-testid=receipt] [data-testid=qr] canvas').screenshot());
    expect(qr).toMatch(/^[A-Za-z0-9+/]+=*$/);
    // An error envelope ({ok:false}) is shown in words: printing the original twice (F8) is refused.
    await poll(
      async () => {
        await page.keyboard.press('F8');
        return page.getByTestId('till-error').count();
      },
      { timeout: 15_000, interval: 500 },
    ).toBe(1);
    expect(await page.getByTestId('till-error').textContent()).toMatch(/already printed; use reprint/);
    expect(apiCalls.length).toBeGreaterThan(3);
    expect(apiCalls.filter((c) => !c.viaBridge)).toEqual([]);
  }, 60_000);
});
