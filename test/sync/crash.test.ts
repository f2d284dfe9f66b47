// Exactly once under crashes: a worker process is killed (SIGKILL) at random points, at least
// 20 times, while draining 2,000 invoices; each restart resumes from the ledger alone. The fake
// platform then holds every IRN signed exactly once (and received exactly one sign request per
// IRN), and every report job is done; the TaxPoynt cloud (uploading alongside) ends with every
// invoice in its final, reported state, each stored once per state.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { startFakeFirs } from '../fakes/firs-server';
import { startFakeCloud } from '../fakes/cloud-server';
import { issue, newLedger, waitFor } from './helpers';

const CHILD = join(process.cwd(), 'dist', 'test', 'sync-child.cjs');

beforeAll(() => {
  buildSync({
    entryPoints: ['test/sync/sync-child.ts'],
    outfile: CHILD,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['better-sqlite3'],
    logLevel: 'warning',
  });
});

function startChild(args: string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (code, signal) => {
      if (signal === null && code !== 0) reject(new Error(`sync child exited ${code}: ${err}`));
    });
  });
}

const exited = (c: ChildProcess) =>
  new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));

describe('crash test', () => {
  it('SIGKILL at random points ≥ 20 times while draining 2,000 invoices: every IRN signed exactly once', async () => {
    const fake = await startFakeFirs({ latencyMs: () => Math.floor(Math.random() * 4) });
    const cloud = await startFakeCloud();
    const t = newLedger();
    const invoices = issue(t.ledger, 2_000, 'crash');
    const counts = t.db.prepare(`SELECT status, COUNT(*) AS n FROM outbox WHERE kind = 'report' GROUP BY status`);
    const remaining = () =>
      (counts.all() as { status: string; n: number }[]).filter((r) => r.status !== 'done').reduce((a, r) => a + r.n, 0);
    const args = [t.file, fake.url, fake.apiKey, fake.apiSecret, '800', cloud.url, cloud.token];
    const cloudDone = t.db
      .prepare(`SELECT COUNT(*) FROM cloud_invoice_uploads WHERE state_sent = 'reported' AND outcome IN ('accepted', 'duplicate')`)
      .pluck();
    let kills = 0;
    try {
      // Kill while there is still work in flight, at random moments (some during SQLite commits,
      // some with sign requests on the wire, some while idle between batches).
      // Each kill comes after the child has begun at least one attempt of its own: on a loaded
      // machine a fixed delay alone can end a child before its first claim, interrupting nothing.
      const attempts = t.db.prepare('SELECT COUNT(*) FROM report_attempts').pluck();
      while (kills < 25 && remaining() > 0) {
        const before = attempts.get() as number;
        const child = await startChild(args);
        await waitFor(() => (attempts.get() as number) > before || remaining() === 0, 'the child begins an attempt', 60_000);
        await new Promise((r) => setTimeout(r, Math.random() * 300));
        child.kill('SIGKILL');
        await exited(child);
        kills++;
      }
      expect(kills).toBeGreaterThanOrEqual(20);
      const last = await startChild(args);
      await waitFor(() => remaining() === 0 && cloudDone.get() === 2_000, 'all reported and uploaded after the last restart', 150_000);
      last.kill('SIGTERM');
      await exited(last);

      const signedTwice = fake.signedTwice();
      expect(signedTwice).toEqual([]);
      for (const inv of invoices) {
        expect(fake.signed.get(inv.irn)?.count, inv.irn).toBe(1);
        expect(fake.signRequests.get(inv.irn), inv.irn).toBe(1);
      }
      expect(fake.signed.size).toBe(2_000);
      expect(counts.all()).toEqual([{ status: 'done', n: 2_000 }]);
      // The kills really interrupted work: attempts were left without an answer and picked up again.
      const lost = t.db.prepare(`SELECT COUNT(*) FROM report_attempts WHERE outcome = 'lost'`).pluck().get() as number;
      const confirmed = t.db.prepare(`SELECT COUNT(*) FROM report_results WHERE outcome = 'confirmed'`).pluck().get() as number;
      process.stdout.write(`crash test: ${kills} kills, ${lost} interrupted attempts, ${confirmed} confirmed after restart\n`);
      expect(lost).toBeGreaterThan(0);
      expect(t.ledger.verify().ok).toBe(true);
      for (const inv of invoices) expect(cloud.invoices.get(`tpos:cloud:${inv.irn}:reported`)?.report_state).toBe('reported');
      expect([...cloud.storedPerIrn.values()].every((n) => n <= 2)).toBe(true); // at most pending, then reported
      process.stdout.write(
        `crash test: ${cloud.batches.length} cloud batches, ${cloud.batches.filter((b) => b.replay).length} replayed after a kill\n`,
      );
    } finally {
      await fake.close();
      await cloud.close();
      t.db.close();
    }
  }, 240_000);
});
