// Plumbing for the resilience suite: `taxpoynt-pos serve` as a real supervised process (its
// worker pids read from the supervisor's log), raw TCP requests, a seeded random source, and
// the switch between the fast subset (always, in `npm test`) and the full run (RESILIENCE_FULL=1).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:net';
import { CLI } from '../support/fixture';

export const FULL = process.env.RESILIENCE_FULL === '1';

/** The fast figure in `npm test`, the full one under RESILIENCE_FULL=1. */
export const scale = (fast: number, full: number): number => (FULL ? full : fast);

/** Deterministic PRNG (mulberry32): a failing case can be replayed from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ServeProcess {
  child: ChildProcess;
  origin: string;
  port: number;
  token: string;
  output(): string;
  /** Worker pids in start order (the supervisor logs each one). */
  workers(): number[];
  /** Resolves once a worker other than `pid` has started and answers HTTP. */
  waitForNewWorker(pid: number, timeoutMs?: number): Promise<number>;
  stop(): Promise<number | null>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts `taxpoynt-pos --data-dir DIR serve --print-link` (supervised) and waits for its link. */
export async function startServe(dataDir: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, 'serve', '--print-link', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no link within 30 s:\n${out}`)), 30_000);
    const onData = () => {
      const m = /Open: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve(new URL(m[1]!));
      }
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited ${code} before printing its link:\n${out}`));
    });
  });
  const workers = () => [...out.matchAll(/server process (\d+) started/g)].map((m) => Number(m[1]));
  const origin = url.origin;
  const answers = async () => {
    try {
      const r = await fetch(`${origin}/api/invoke/app.state`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${url.searchParams.get('token')}` },
        body: '{}',
        signal: AbortSignal.timeout(3000),
      });
      return r.status === 200;
    } catch {
      return false;
    }
  };
  return {
    child,
    origin,
    port: Number(url.port),
    token: url.searchParams.get('token')!,
    output: () => out,
    workers,
    async waitForNewWorker(pid, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const w = workers().filter((p) => p !== pid);
        const latest = workers().at(-1);
        if (w.length > 0 && latest !== pid && latest !== undefined && (await answers())) return latest;
        if (Date.now() > deadline) throw new Error(`no new server process answered within ${timeoutMs} ms:\n${out.slice(-3000)}`);
        await sleep(100);
      }
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(killer);
      return code;
    },
  };
}

/** POST /api/invoke/<channel> with the Bearer secret; network errors are returned, not thrown. */
export async function invoke(
  s: { origin: string; token: string },
  channel: string,
  body: unknown,
  timeoutMs = 15_000,
): Promise<{ status: number; json: any } | { error: string }> {
  try {
    const r = await fetch(`${s.origin}/api/invoke/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: r.status, json: await r.json() };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

export interface RawResult {
  status: number | null;
  head: string;
  error?: string;
}

/**
 * Sends raw bytes (parts with pauses between them: a slow client) and reads what comes back
 * until the server closes or `timeoutMs` passes. `abort` closes right after the last part.
 */
export function raw(
  port: number,
  parts: (string | Buffer)[],
  o: { pauseMs?: number; timeoutMs?: number; abort?: boolean } = {},
): Promise<RawResult> {
  return new Promise((resolve) => {
    const sock = connect(port, '127.0.0.1');
    let data = '';
    let done = false;
    const finish = (error?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      const head = data.split('\r\n')[0] ?? '';
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      resolve({ status: m ? Number(m[1]) : null, head, ...(error ? { error } : {}) });
    };
    const timer = setTimeout(() => finish(), o.timeoutMs ?? 3000);
    sock.on('data', (d) => {
      data += d.toString('latin1');
      if (/\r\n\r\n/.test(data) && !/^HTTP\/1\.1 101/.test(data)) finish();
    });
    sock.on('error', (e) => finish((e as NodeJS.ErrnoException).code ?? e.message));
    sock.on('close', () => finish());
    sock.on('connect', () => {
      void (async () => {
        for (const [i, p] of parts.entries()) {
          if (done) return;
          sock.write(p);
          if (o.pauseMs && i < parts.length - 1) await sleep(o.pauseMs);
        }
        if (o.abort) sock.destroy();
      })();
    });
  });
}

/**
 * A real tiny filesystem for disk-full tests: a tmpfs of `size` mounted on a temp dir (needs root).
 * `mounted` false (with `why`) where it cannot be made; the caller skips, printing the reason.
 */
export function mountTinyFs(dir: string, size = '6m'): { mounted: boolean; why: string; unmount(): void } {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (e) {
    const why = `cannot mount a tmpfs here (${((e as { stderr?: Buffer }).stderr ?? '').toString().trim() || (e as Error).message})`;
    return { mounted: false, why, unmount: () => rmSync(dir, { recursive: true, force: true }) };
  }
  return {
    mounted: true,
    why: '',
    unmount() {
      execFileSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Fills the filesystem holding `dir` to the last byte with one file; returns its path (rm it to free the space). */
export function fillDisk(dir: string): string {
  const file = join(dir, 'filler.bin');
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
    for (let n = 4096; n >= 1; n = Math.floor(n / 2)) {
      try {
        for (;;) writeSync(fd, Buffer.alloc(n, 1));
      } catch {
        /* next smaller size */
      }
    }
  } finally {
    closeSync(fd);
  }
  return file;
}
