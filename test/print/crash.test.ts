// Crash between printing and acknowledgement: a real worker process (the CLI's print-worker) is
// killed after the printer received the receipt but before the job was marked done. The receipt
// must not be printed a second time by the next worker; it is surfaced as printed-unconfirmed,
// and a reprint on request prints COPY.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { CLI, cli, sampleSale, setupCli, tempDir } from '../support/fixture';
import { decodeEscpos } from '../support/escpos-decoder';
import { FakePrinter } from './fake-printer';

let printer: FakePrinter | undefined;

/** The CLI without blocking this process: the fake printer answers from this event loop. */
function cliAsync(dir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, '--data-dir', dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
afterEach(async () => {
  await printer?.close();
});

function outboxPrint(dir: string): { status: string; last_error: string | null; lease_owner: string | null } {
  const db = new Database(join(dir, 'ledger.db'), { readonly: true });
  try {
    return db.prepare("SELECT status, last_error, lease_owner FROM outbox WHERE kind = 'print'").get() as never;
  } finally {
    db.close();
  }
}

describe('crash between print and acknowledgement', () => {
  it('kills the worker after the bytes reached the printer: printed once, surfaced, reprint says COPY', async () => {
    const dir = tempDir();
    expect(setupCli(dir).code).toBe(0);
    const ingest = cli(
      dir,
      ['ingest', '--source', 'canonical', '--file', '-'],
      JSON.stringify(sampleSale({ occurred_at: new Date(Date.now() - 60_000).toISOString() })),
    );
    expect(ingest.code).toBe(0);
    const { irn, qr } = JSON.parse(ingest.stdout) as { irn: string; qr: string };

    printer = new FakePrinter();
    const port = await printer.listen();
    printer.holdAfterJob = true; // the worker sends the receipt, then waits for a status answer that never comes
    const printerArgs = ['--printer', `tcp://127.0.0.1:${port}`, '--qr', 'native', '--status-timeout-ms', '60000', '--lease-ms', '1500'];
    const child = spawn(process.execPath, [CLI, '--data-dir', dir, 'print-worker', ...printerArgs], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await printer.waitFor(() => printer!.jobs.length === 1, 'the receipt to reach the printer');
    child.kill('SIGKILL');
    await exited;

    expect(decodeEscpos(printer.jobs[0]!, 'epson').qr).toEqual([qr]);
    expect(outboxPrint(dir).status).toBe('sending'); // died holding the lease, before "done"
    printer.holdAfterJob = false;

    // Restarted while the dead worker's lease still runs: the job is left alone.
    const early = await cliAsync(dir, ['print-worker', '--until-idle', ...printerArgs]);
    expect(early.code).toBe(0);
    expect(printer.jobs).toHaveLength(1);

    // After the lease expired: recovered as printed-unconfirmed, not printed again.
    await new Promise((r) => setTimeout(r, 1700));
    const late = await cliAsync(dir, ['print-worker', '--until-idle', ...printerArgs]);
    expect(late.code).toBe(0);
    expect(JSON.parse(late.stdout)).toMatchObject({ processed: 0, queued: 0, unconfirmed: 1 });
    expect(printer.jobs).toHaveLength(1);
    expect(outboxPrint(dir)).toMatchObject({ status: 'dead', lease_owner: null });
    expect(outboxPrint(dir).last_error).toMatch(/^unconfirmed: the app stopped while this receipt was being sent/);

    const queue = JSON.parse(cli(dir, ['print-queue']).stdout) as {
      queued: number;
      problems: { job: string; irn: string; kind: string; error: string }[];
    };
    expect(queue.problems).toEqual([expect.objectContaining({ irn, kind: 'original' })]);

    // The cashier checks the paper: nothing came out, so a COPY is printed and the problem closes.
    expect(cli(dir, ['print-resolve', 'invoice:99']).code).toBe(2);
    expect(cli(dir, ['print-resolve', 'invoice:99', '--printed']).stderr).toMatch(/not an unconfirmed print job/);
    const resolved = cli(dir, ['print-resolve', queue.problems[0]!.job, '--reprint']);
    expect(resolved.code).toBe(0);
    expect(JSON.parse(resolved.stdout)).toMatchObject({ ok: true, resolved: true, request: 1 });
    expect(JSON.parse(cli(dir, ['print-queue']).stdout)).toMatchObject({ queued: 1, problems: [] });
    expect((await cliAsync(dir, ['print-worker', '--until-idle', ...printerArgs])).code).toBe(0);
    expect(printer.jobs).toHaveLength(2);
    const copy = decodeEscpos(printer.jobs[1]!, 'epson');
    expect(copy.lines.some((l) => l.includes('COPY'))).toBe(true);
    expect(copy.drawerKicks).toBe(0);
    expect(copy.qr).toEqual([qr]);
  });

  it('a worker that dies before sending anything leaves a job that is simply printed by the next one', async () => {
    const dir = tempDir();
    expect(setupCli(dir).code).toBe(0);
    const ingest = cli(
      dir,
      ['ingest', '--source', 'canonical', '--file', '-'],
      JSON.stringify(sampleSale({ occurred_at: new Date(Date.now() - 60_000).toISOString() })),
    );
    const { qr } = JSON.parse(ingest.stdout) as { qr: string };
    printer = new FakePrinter();
    const port = await printer.listen();
    printer.answers = false; // the worker waits on its first status question, before any receipt byte
    const args = ['--printer', `tcp://127.0.0.1:${port}`, '--qr', 'native', '--status-timeout-ms', '60000', '--lease-ms', '1000'];
    const child = spawn(process.execPath, [CLI, '--data-dir', dir, 'print-worker', ...args], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await printer.waitFor(() => printer!.conns.some((c) => c.bytes.length > 0), 'the status question');
    child.kill('SIGKILL');
    await exited;
    expect(printer.jobs).toHaveLength(0);
    expect(outboxPrint(dir).status).toBe('sending');

    printer.answers = true;
    await new Promise((r) => setTimeout(r, 1200));
    const next = await cliAsync(dir, ['print-worker', '--until-idle', ...args]);
    expect(JSON.parse(next.stdout)).toMatchObject({ processed: 1, unconfirmed: 0 });
    expect(printer.jobs).toHaveLength(1);
    expect(decodeEscpos(printer.jobs[0]!, 'epson').qr).toEqual([qr]);
    expect(outboxPrint(dir).status).toBe('done');
  });
});
