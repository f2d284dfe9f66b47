// `node dist/bench/sync-cpu.cjs [--backlog=N] [--latency=ms] [--idle=s] [--thread]`: the CPU the
// background sync spends per report, measured with process.cpuUsage() (this process, every
// thread), because on a loaded machine wall-clock rates say more about the neighbours than about
// the code. The FIRS fake runs in a child process so its CPU is not counted. With --thread the sync
// runs in its worker thread as the app runs it; else on this thread, and --profile=FILE writes a
// CPU profile of the drain alone (not of issuing the backlog). Then the sync idles with nothing queued: its idle CPU.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchLedger } from './bench-ledger';
import { scaleSale } from './scale-ledger';
import { SyncService } from '../main/sync/sync-service';
import { SyncThreadHost } from '../main/sync/sync-host';
import { startFakeFirs } from '../test/fakes/firs-server';

const arg = (name: string, def: number): number => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : def;
};

if (process.argv[2] === '--fake') {
  const latency = Number(process.argv[3]);
  void startFakeFirs({ latencyMs: () => latency }).then((f) => process.send!({ url: f.url, key: f.apiKey, secret: f.apiSecret }));
} else {
  void main();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;

async function main(): Promise<void> {
  const backlog = arg('backlog', 3000);
  const latency = arg('latency', 20);
  const idleS = arg('idle', 10);
  const inThread = process.argv.includes('--thread');
  const child = fork(process.argv[1]!, ['--fake', String(latency)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const firs = await new Promise<{ url: string; key: string; secret: string }>((r) => child.once('message', (m) => r(m as never)));
  const dir = mkdtempSync(join(tmpdir(), 'tpos-bench-sync-cpu-'));
  const { db, ledger } = benchLedger(dir);
  for (let i = 0; i < backlog; i += 500)
    ledger.issueAll(Array.from({ length: Math.min(500, backlog - i) }, (_, j) => scaleSale(i + j, 3, 'cpu')));
  const done = db.prepare(`SELECT COUNT(*) FROM outbox WHERE kind = 'report' AND status = 'done'`).pluck();
  const options = {
    db,
    firs: { baseUrl: firs.url, apiKey: firs.key, apiSecret: firs.secret },
    ratePerSec: 1_000,
    burst: 100,
    concurrency: 64,
    log: () => {},
  };
  const sync = inThread
    ? new SyncThreadHost({ ...options, script: join(__dirname, '..', 'main', 'sync-thread.cjs') })
    : new SyncService({ ...options, ledger });
  const profile = process.argv.find((x) => x.startsWith('--profile='))?.split('=')[1];
  const session = profile ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const c0 = process.cpuUsage();
  const t0 = Date.now();
  sync.start();
  while ((done.get() as number) < backlog && Date.now() - t0 < 300_000) await sleep(50);
  const drainCpu = cpuMs(process.cpuUsage(c0));
  if (session && profile) {
    const { profile: p } = await session.post('Profiler.stop');
    writeFileSync(profile, JSON.stringify(p));
    session.disconnect();
  }
  const drainS = (Date.now() - t0) / 1000;
  const sent = done.get() as number;
  await sleep(2_000); // the last status pushes settle
  const c1 = process.cpuUsage();
  const t1 = Date.now();
  await sleep(idleS * 1000);
  const idleCpu = cpuMs(process.cpuUsage(c1));
  const idleWall = Date.now() - t1;
  await sync.stop();
  db.close();
  child.kill();
  rmSync(dir, { recursive: true, force: true });
  const mode = inThread ? 'worker thread' : 'same thread';
  console.log(
    `sync (${mode}), ${latency} ms latency: ${sent}/${backlog} reports in ${drainS.toFixed(1)} s wall (${Math.round(sent / drainS)}/s, machine load distorts this); ` +
      `CPU ${drainCpu.toFixed(0)} ms = ${((drainCpu / Math.max(1, sent)) * 1000).toFixed(0)} µs/report; ` +
      `idle ${idleS} s: CPU ${idleCpu.toFixed(1)} ms = ${((idleCpu / idleWall) * 100).toFixed(3)} % of a core`,
  );
}
