// Plumbing for the register-link tests: a socat pseudo-terminal pair (register end ↔ app end)
// that can be killed and brought back on the same paths, the register's end as a real serial
// port, a TCP register client, a ledger with the service and a print queue, and waiting.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { openDatabase, type Db } from '../../main/ledger/database';
import { Ledger } from '../../main/ledger/ledger';
import { PrintService } from '../../main/print/print-service';
import { RegisterLinkService } from '../../main/sources/register-link/service';
import { RegisterLinkSettingsSchema } from '../../shared/sources/register-link/settings';
import { BUSINESS, keyPair, tempDir } from '../support/fixture';

export async function until(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export class SocatPair {
  private proc: ChildProcess | undefined;
  readonly register: string;
  readonly app: string;

  constructor(readonly dir: string) {
    if (spawnSync('socat', ['-V']).status !== 0) throw new Error('socat is required for the register-link tests: apt-get install -y socat');
    this.register = join(dir, 'register');
    this.app = join(dir, 'app');
  }

  async start(): Promise<void> {
    rmSync(this.register, { force: true });
    rmSync(this.app, { force: true });
    this.proc = spawn('socat', [`pty,raw,echo=0,link=${this.app}`, `pty,raw,echo=0,link=${this.register}`], { stdio: 'ignore' });
    await until(() => existsSync(this.app) && existsSync(this.register), 'socat to create the pty pair', 10_000);
  }

  /** The cable pulled: socat dies, both pseudo-terminals vanish. */
  async kill(): Promise<void> {
    const p = this.proc;
    this.proc = undefined;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  }
}

export async function openSerial(path: string, baudRate = 19200): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  return port;
}

export function closeSerial(port: SerialPort | undefined): Promise<void> {
  return new Promise((resolve) => (port?.isOpen ? port.close(() => resolve()) : resolve()));
}

export function writeSerial(port: SerialPort, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    port.write(bytes, (e) => {
      if (e) reject(e);
    });
    port.drain((e) => (e ? reject(e) : resolve()));
  });
}

/** Collects reply lines (ACK/NAK) arriving on a stream. */
export function replies(stream: { on(ev: 'data', cb: (b: Buffer) => void): unknown }): string[] {
  const lines: string[] = [];
  let buf = '';
  stream.on('data', (b: Buffer) => {
    buf += b.toString('utf8');
    let k;
    while ((k = buf.indexOf('\n')) >= 0) {
      lines.push(buf.slice(0, k));
      buf = buf.slice(k + 1);
    }
  });
  return lines;
}

export function tcpConnect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

/** Sends one print job on its own connection, as a register printing to a network printer. */
export async function printJob(port: number, bytes: Buffer): Promise<void> {
  const s = await tcpConnect(port);
  await new Promise<void>((resolve, reject) => {
    s.on('error', reject);
    s.end(bytes, () => resolve());
  });
  await new Promise((r) => s.once('close', r));
}

export interface TestApp {
  dir: string;
  db: Db;
  ledger: Ledger;
  service: RegisterLinkService;
  print: PrintService;
  stop(): Promise<void>;
}

export function openLedger(dir: string): { db: Db; ledger: Ledger } {
  const db = openDatabase(join(dir, 'ledger.db'));
  const ledger = new Ledger(db);
  if (!ledger.getBusiness()) ledger.configure(BUSINESS, keyPair().keysFileJson);
  return { db, ledger };
}

export async function startApp(
  settings: unknown,
  o: { dir?: string; printer?: unknown; passThrough?: (raw: Uint8Array) => Promise<void>; print?: boolean } = {},
): Promise<TestApp> {
  const dir = o.dir ?? tempDir('tpos-rl-');
  const { db, ledger } = openLedger(dir);
  const print = new PrintService({ db, ledger, config: o.printer, pollMs: 50 });
  const service = new RegisterLinkService({
    db,
    ledger,
    settings: RegisterLinkSettingsSchema.parse(settings),
    onIssued: () => print.kick(),
    ...(o.passThrough ? { passThrough: o.passThrough } : {}),
    log: () => undefined,
  });
  await service.start();
  if (o.print !== false) print.start();
  return {
    dir,
    db,
    ledger,
    service,
    print,
    async stop() {
      await service.stop();
      await print.stop();
      db.close();
    },
  };
}

export function invoiceCount(db: Db): number {
  return db.prepare("SELECT COUNT(*) AS n FROM invoices WHERE source = 'register-link'").pluck().get() as number;
}
