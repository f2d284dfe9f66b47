// CPU per till sale through browser mode (POST /api/invoke/sales.createManual on the app's own
// server), client and server in this one process, against the same round trip of a read-only
// request (the HTTP floor). CPU (process.cpuUsage), not wall time: the machine is shared.
// Run: npx esbuild bench/browser-sale-cpu.ts --bundle --platform=node --format=cjs --external:better-sqlite3
//      --outfile=dist/bench/browser-sale-cpu.cjs && node dist/bench/browser-sale-cpu.cjs [n]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchLedger } from './bench-ledger';
import { scaleSale } from './scale-ledger';
import { pct } from './stats';
import { AppServices } from '../main/app/services';
import { AppServer } from '../main/server/app-server';

const N = Number(process.argv[2] ?? 300);

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tpos-bench-browser-cpu-'));
  benchLedger(dataDir).db.close(); // a set-up ledger in the data folder
  const app = new AppServices({ dataDir, mode: 'browser', log: () => {} });
  app.start();
  const server = new AppServer({ services: app, port: 0, lan: false, log: () => {} });
  await server.listen();
  const login = await fetch(server.url, { redirect: 'manual' });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const invoke = async (channel: string, body: unknown): Promise<void> => {
    const r = await fetch(`${server.baseUrl}/api/invoke/${channel}`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const out = (await r.json()) as { ok: boolean; error?: unknown };
    if (!out.ok) throw new Error(`${channel} refused: ${JSON.stringify(out.error)}`);
  };
  const cpu = async (fn: () => Promise<void>): Promise<number> => {
    const c = process.cpuUsage();
    await fn();
    const d = process.cpuUsage(c);
    return d.user + d.system;
  };
  let n = 0;
  for (let i = 0; i < 50; i++) await invoke('sales.createManual', { sale: scaleSale(n++, 3, 'warm') });
  const sale: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < N; i++) {
    sale.push(await cpu(() => invoke('sales.createManual', { sale: scaleSale(n++, 3, 'browser') })));
    floor.push(await cpu(() => invoke('sync.status', {})));
  }
  const mean = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
  console.log(
    JSON.stringify({
      sale_cpu_us_mean: mean(sale),
      sale_cpu_us_p50: pct(sale, 50),
      floor_cpu_us_mean: mean(floor),
      floor_cpu_us_p50: pct(floor, 50),
    }),
  );
  await server.close();
  await app.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

void main();
