// The same flow through the Electron shell, where an Electron binary exists. This machine cannot
// download one (see docs/architecture.md), so here the test is skipped and says why.
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { _electron } from 'playwright-core';
import { decodeQrPng, tempData, poll } from './support';

const require = createRequire(import.meta.url);
const MAIN = join(process.cwd(), 'dist', 'main', 'electron.cjs');

function electronBinary(): { path?: string; reason?: string } {
  let path: string;
  try {
    path = require('electron') as string; // the package exports the binary's path, or throws when it was not downloaded
  } catch (e) {
    return { reason: `no Electron binary (${(e as Error).message.split('\n')[0]}); install one where it can be downloaded` };
  }
  if (typeof path !== 'string' || !existsSync(path))
    return { reason: `the electron package points at ${String(path)}, which does not exist` };
  if (!existsSync(MAIN)) return { reason: `the Electron main bundle ${MAIN} is not built (npm run build)` };
  return { path };
}

const bin = electronBinary();
if (!bin.path) console.log(`SKIPPED test/e2e/electron.test.ts: ${bin.reason}`);

describe('Electron shell', () => {
  it.skipIf(!bin.path)(
    'demo store: a sale becomes a receipt with a decodable QR, through the preload bridge',
    async () => {
      const dataDir = tempData('tpos-electron-');
      const app = await _electron.launch({
        executablePath: bin.path!,
        args: [MAIN, '--no-sandbox'],
        env: { ...process.env, TAXPOYNT_POS_DATA_DIR: dataDir },
      });
      try {
        const page = await app.firstWindow();
        // The preload exposes exactly { invoke, on } and nothing of Node.
        expect(
          await page.evaluate(() => ({
            keys: Object.keys(window.taxpoynt ?? {}).sort(),
            node: typeof (window as unknown as { require?: unknown }).require,
          })),
        ).toEqual({ keys: ['invoke', 'on'], node: 'undefined' });
        await page.getByRole('button', { name: /Try the demo store/ }).click();
        await page.getByTestId('demo-badge').waitFor();
        await page.getByRole('button', { name: 'Simulate a sale now' }).click();
        const row = page.getByTestId('sale-row').first();
        await row.waitFor();
        const number = await row.getAttribute('data-invoice-number');
        await poll(() => page.getByTestId('receipt-number').textContent()).toBe(number);
        const qr = decodeQrPng(await page.locator('[data-testid=receipt] [data-testid=qr] canvas').screenshot());
        const expected = await page.evaluate(async (n) => {
          const day = new Date(Date.now() + 3600_000).toISOString().slice(0, 10);
          const list = (await window.taxpoynt!.invoke('invoices.listByDay', { date: day, search: n })) as {
            items?: { irn: string }[];
            result?: { items: { irn: string }[] };
          };
          const items = list.items ?? list.result!.items;
          const d = (await window.taxpoynt!.invoke('invoices.get', { irn: items[0]!.irn })) as { qr?: string; result?: { qr: string } };
          return d.qr ?? d.result!.qr;
        }, number);
        expect(qr).toBe(expected);
      } finally {
        await app.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
