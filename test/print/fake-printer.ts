// A loopback network printer (raw TCP on a free port) that behaves like an Epson: it answers
// DLE EOT status queries and GS I model queries as its state says, and records each connection's
// job bytes (everything that is not a query). The same handler serves a serial pty end.
import { createServer, type Server, type Socket } from 'node:net';

export type Paper = 'ok' | 'near_end' | 'out';

interface Conn {
  bytes: Buffer;
  job: Buffer;
  done: boolean;
  printed?: boolean;
}

export interface StreamLike {
  write(data: Buffer): unknown;
  on(event: 'data', cb: (chunk: Buffer) => void): unknown;
}

export class FakePrinter {
  paper: Paper = 'ok';
  coverOpen = false;
  model: string | undefined = 'TM-T20II';
  /** Answer status queries at all (some printers never do). */
  answers = true;
  /** Stop answering once job bytes arrived: the worker is left waiting after sending (crash tests). */
  holdAfterJob = false;
  /** Report paper out in answers sent after job bytes arrived (paper ran out mid-receipt). */
  paperOutAfterJob = false;
  /** Called once per connection when its job bytes have arrived, before the printer answers (the receipt is out). */
  onJob: (() => void) | undefined;
  readonly conns: Conn[] = [];
  private server: Server | undefined;
  private sockets = new Set<Socket>();
  port = 0;

  /** Jobs received (connections that carried job bytes), in order. */
  get jobs(): Buffer[] {
    return this.conns.filter((c) => c.job.length > 0).map((c) => c.job);
  }

  async listen(port = 0): Promise<number> {
    this.server = createServer((sock) => {
      this.sockets.add(sock);
      sock.on('close', () => this.sockets.delete(sock));
      sock.on('error', () => undefined);
      this.attach(sock);
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as { port: number }).port;
    return this.port;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  private statusByte(n: number, afterJob: boolean): number {
    const out = this.paper === 'out' || (afterJob && this.paperOutAfterJob);
    if (n === 2) return 0x12 | (this.coverOpen ? 0x04 : 0) | (out ? 0x20 : 0);
    if (n === 4) return 0x12 | (out ? 0x60 : 0) | (this.paper === 'near_end' ? 0x0c : 0);
    return 0x12;
  }

  /** Serves one connection (socket or serial stream). */
  attach(stream: StreamLike): Conn {
    const conn: Conn = { bytes: Buffer.alloc(0), job: Buffer.alloc(0), done: false };
    this.conns.push(conn);
    let pending = Buffer.alloc(0);
    stream.on('data', (chunk: Buffer) => {
      conn.bytes = Buffer.concat([conn.bytes, chunk]);
      pending = Buffer.concat([pending, chunk]);
      // A client waits for each answer before sending more, so a query is always at the end.
      const n = pending.length;
      const isStatus = n >= 3 && pending[n - 3] === 0x10 && pending[n - 2] === 0x04;
      const isModel = n >= 3 && pending[n - 3] === 0x1d && pending[n - 2] === 0x49 && pending[n - 1] === 0x43;
      if (isStatus || isModel) {
        conn.job = Buffer.concat([conn.job, pending.subarray(0, n - 3)]);
        const afterJob = conn.job.length > 0;
        if (afterJob && !conn.printed) {
          conn.printed = true;
          this.onJob?.();
        }
        if (this.answers && !(this.holdAfterJob && afterJob)) {
          if (isStatus) stream.write(Buffer.from([this.statusByte(pending[n - 1]!, afterJob)]));
          else if (this.model) stream.write(Buffer.concat([Buffer.from('_'), Buffer.from(this.model, 'latin1'), Buffer.from([0])]));
        }
        pending = Buffer.alloc(0);
      }
    });
    // Bytes not followed by a query are job bytes too (printers without status checks).
    const flush = () => {
      conn.job = Buffer.concat([conn.job, pending]);
      pending = Buffer.alloc(0);
      conn.done = true;
    };
    (stream as unknown as Socket).on?.('close', flush);
    (stream as unknown as { flushNow?: () => void }).flushNow = flush;
    return conn;
  }

  async waitFor(predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    const start = Date.now();
    while (!predicate()) {
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** A free loopback port with nothing listening on it (the printer is "off"). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
