// The built CLI: `register-link add/list/templates/test-template/captures` with exit codes, and
// `register-link run` killed (SIGKILL) mid-stream and restarted, in both modes, over a real TCP
// link: nothing the register was told was received is lost, nothing is invoiced twice.
import { describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { CLI, cli, setupCli, tempDir } from '../support/fixture';
import { openDatabase } from '../../main/ledger/database';
import { nthSupermarketReceipt, restaurantBill, SAMPLE_DISHES } from './sample-receipts';
import { replies, tcpConnect, until } from './support';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

interface Running {
  child: ChildProcess;
  out: () => string;
}

async function run(dir: string): Promise<Running> {
  const child = spawn(process.execPath, [CLI, '--data-dir', dir, 'register-link', 'run'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => {
    out += b.toString();
  });
  child.stderr!.on('data', (b: Buffer) => {
    out += b.toString();
  });
  await until(() => /"state":"listening"/.test(out) || child.exitCode !== null, 'the link to listen', 20_000);
  if (child.exitCode !== null) throw new Error(`register-link run exited ${child.exitCode}:\n${out}`);
  return { child, out: () => out };
}

async function kill9(r: Running): Promise<void> {
  const exited = new Promise((res) => r.child.once('exit', res));
  r.child.kill('SIGKILL');
  await exited;
}

function countInvoices(dir: string): { n: number; d: number } {
  const db = openDatabase(join(dir, 'ledger.db'));
  try {
    return db.prepare("SELECT COUNT(*) AS n, COUNT(DISTINCT external_id) AS d FROM invoices WHERE source = 'register-link'").get() as {
      n: number;
      d: number;
    };
  } finally {
    db.close();
  }
}

const recentIso = new Date(Date.now() - 300_000).toISOString();

describe('register-link CLI', () => {
  it('add/list/templates/test-template/captures, with exit code 2 naming the field for bad input', () => {
    const dir = tempDir();
    expect(setupCli(dir).code).toBe(0);
    const bad = cli(dir, [
      'register-link',
      'add',
      '--id',
      'till-1',
      '--mode',
      'print',
      '--serial',
      '/dev/ttyUSB0',
      '--parity',
      'weird',
      '--template',
      'ng-supermarket',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/links\.0\.port\.parity/);
    const lan = cli(dir, ['register-link', 'add', '--id', 'pp', '--mode', 'print', '--tcp', '0.0.0.0:9100', '--template', 'ng-restaurant']);
    expect(lan.code).toBe(2);
    expect(lan.stderr).toMatch(/allowFrom: listening beyond loopback needs allowFrom/);
    const noTemplate = cli(dir, ['register-link', 'add', '--id', 'pp', '--mode', 'print', '--tcp', '127.0.0.1:9100', '--template', 'nope']);
    expect(noTemplate.code).toBe(2);
    expect(noTemplate.stderr).toMatch(/template "nope" is not among the templates/);
    const ok = cli(dir, [
      'register-link',
      'add',
      '--id',
      'till-1',
      '--mode',
      'print',
      '--serial',
      '/dev/ttyUSB0',
      '--baud',
      '19200',
      '--parity',
      'even',
      '--data-bits',
      '7',
      '--flow',
      'rtscts',
      '--template',
      'ng-supermarket',
    ]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      id: 'till-1',
      port: { kind: 'serial', path: '/dev/ttyUSB0', baudRate: 19200, dataBits: 7, parity: 'even', stopBits: 1, flowControl: 'rtscts' },
    });
    expect(JSON.parse(cli(dir, ['register-link', 'list']).stdout)).toEqual([
      expect.objectContaining({ id: 'till-1', captures: { issued: 0, review: 0, rejected: 0, not_sale: 0 } }),
    ]);
    expect(JSON.parse(cli(dir, ['register-link', 'templates']).stdout).map((t: { id: string }) => t.id)).toEqual([
      'ng-supermarket',
      'ng-restaurant',
    ]);

    const file = join(dir, 'capture.bin');
    writeFileSync(file, restaurantBill(77, [SAMPLE_DISHES[0]!], { at: new Date(Date.now() - 60_000), pay: 'Cash' }));
    const tested = cli(dir, ['register-link', 'test-template', 'ng-restaurant', file]);
    expect(tested.code).toBe(0);
    const r = JSON.parse(tested.stdout);
    expect(r.result.kind).toBe('sale');
    expect(r.totals).toEqual({ payable: 322_500, tax: 22_500, net: 300_000, change: 0 });
    const wrong = cli(dir, ['register-link', 'test-template', 'ng-supermarket', file]);
    expect(wrong.code).toBe(2);
    expect(JSON.parse(wrong.stdout).parsed.missing).toEqual(['item', 'total']);
    const badTemplate = join(dir, 't.json');
    writeFileSync(badTemplate, JSON.stringify({ id: 'x', name: 'x', fields: { item: [{ pattern: '(' }], total: [{ pattern: 'Total' }] } }));
    const imp = cli(dir, ['register-link', 'template-import', badTemplate]);
    expect(imp.code).toBe(2);
    expect(imp.stderr).toMatch(/fields\.item\.0\.pattern: is not a valid regular expression/);
  }, 180_000);

  it('sale messages: the app killed (SIGKILL) mid-stream and restarted; the register resends what was not ACKed: every sale once, every line ACKed', async () => {
    const dir = tempDir();
    expect(setupCli(dir).code).toBe(0);
    const port = await freePort();
    expect(cli(dir, ['register-link', 'add', '--id', 'till', '--mode', 'sales', '--tcp', `127.0.0.1:${port}`]).code).toBe(0);
    const N = 300;
    const acked = new Set<string>();
    const line = (i: number) =>
      `${JSON.stringify({ external_id: `S-${i}`, occurred_at: recentIso, currency: 'NGN', lines: [{ name: `Item ${i}`, quantity: '1', unit_price: `${100 + i}.00`, tax: { category: 'STANDARD_VAT', rate: '7.5', inclusive: true } }], payments: [{ method: 'cash', amount: `${100 + i}.00` }] })}\n`;
    // The register: sends every line not yet ACKed, in batches, over whatever connection works.
    let stop = false;
    const register = (async () => {
      while (!stop && acked.size < N) {
        let sock: Socket;
        try {
          sock = await tcpConnect(port);
        } catch {
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        const got = replies(sock);
        sock.on('error', () => undefined);
        const closed = new Promise((r) => sock.once('close', r));
        for (let i = 1; i <= N && !sock.destroyed; i++) {
          if (acked.has(`S-${i}`)) continue;
          sock.write(line(i));
          if (i % 20 === 0) await new Promise((r) => setTimeout(r, 10));
        }
        await Promise.race([
          closed,
          until(() => got.filter((g) => g.startsWith('ACK')).length + acked.size >= N, 'acks', 5000).catch(() => undefined),
        ]);
        for (const g of got) if (g.startsWith('ACK ')) acked.add(g.slice(4));
        sock.destroy();
      }
    })();
    let app = await run(dir);
    await until(() => countInvoices(dir).n >= 60, 'some invoices before the crash', 60_000);
    await kill9(app);
    const atCrash = countInvoices(dir).n;
    expect(atCrash).toBeLessThan(N);
    app = await run(dir);
    try {
      await until(() => acked.size === N, 'every line ACKed', 120_000);
    } finally {
      stop = true;
      await register;
      await kill9(app);
    }
    expect(countInvoices(dir)).toEqual({ n: N, d: N });
  }, 240_000);

  it('print capture: the app killed (SIGKILL) mid-stream and restarted; jobs that did not complete are printed again: every receipt invoiced once', async () => {
    const dir = tempDir();
    expect(setupCli(dir).code).toBe(0);
    const port = await freePort();
    expect(
      cli(dir, ['register-link', 'add', '--id', 'pp', '--mode', 'print', '--tcp', `127.0.0.1:${port}`, '--template', 'ng-supermarket'])
        .code,
    ).toBe(0);
    const N = 150;
    const at = new Date(Date.now() - 600_000);
    // The register prints each receipt as one job and retries a job until its connection closes cleanly.
    const sendJob = async (bytes: Buffer): Promise<boolean> => {
      let sock: Socket;
      try {
        sock = await tcpConnect(port);
      } catch {
        return false;
      }
      return new Promise((resolve) => {
        let failed = false;
        sock.on('error', () => {
          failed = true;
        });
        sock.on('close', (hadError) => resolve(!failed && !hadError));
        sock.end(bytes);
      });
    };
    let app = await run(dir);
    const printing = (async () => {
      for (let n = 1; n <= N; n++) {
        const job = nthSupermarketReceipt(n, at);
        while (!(await sendJob(job))) await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await until(() => countInvoices(dir).n >= 40, 'some invoices before the crash', 60_000);
    await kill9(app);
    expect(countInvoices(dir).n).toBeLessThan(N);
    await new Promise((r) => setTimeout(r, 300)); // the register meets a dead port for a moment
    app = await run(dir);
    try {
      await printing;
      await until(() => countInvoices(dir).n === N, 'every receipt invoiced', 120_000);
    } finally {
      await kill9(app);
    }
    expect(countInvoices(dir)).toEqual({ n: N, d: N });
  }, 240_000);
});
