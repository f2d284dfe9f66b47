// Network printers (raw TCP, port 9100). One connection per job; status is read on the same
// connection (Epson DLE EOT), so a printer that is off, out of paper or open is never sent a job.
import { connect, type Socket } from 'node:net';
import { readModel } from './escpos-status';
import { printOverStream, type StreamPrintOptions } from './stream-print';
import { NotSent, type PrintOutcome, type PrintPayload, type ProbeResult, type Transport } from './transport';
import { readStatus } from './escpos-status';

export class TcpTransport implements Transport {
  readonly kind = 'tcp' as const;
  readonly description: string;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly o: StreamPrintOptions & { timeoutMs: number },
  ) {
    this.description = `network printer ${host}:${port}`;
  }

  private open(): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const sock = connect({ host: this.host, port: this.port });
      const timer = setTimeout(() => {
        sock.destroy();
        reject(new NotSent('offline', `${this.description} did not answer within ${this.o.timeoutMs} ms`));
      }, this.o.timeoutMs);
      sock.once('connect', () => {
        clearTimeout(timer);
        sock.setNoDelay(true);
        resolve(sock);
      });
      sock.once('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new NotSent('offline', `${this.description} is unreachable (${e.code ?? e.message})`));
      });
    });
  }

  private static close(sock: Socket): Promise<void> {
    return new Promise((resolve) => {
      if (sock.destroyed) {
        resolve();
        return;
      }
      const t = setTimeout(() => {
        sock.destroy();
        resolve();
      }, 2000);
      sock.once('close', () => {
        clearTimeout(t);
        resolve();
      });
      sock.end();
    });
  }

  async print(payload: PrintPayload, beforeWrite: () => void): Promise<PrintOutcome> {
    const sock = await this.open();
    let failure: Error | undefined;
    sock.on('error', (e) => {
      failure = e;
    });
    try {
      const out = await printOverStream(sock, payload.bytes, beforeWrite, this.o);
      if (failure) throw failure;
      await TcpTransport.close(sock);
      return out;
    } finally {
      sock.destroy();
    }
  }

  async probe(): Promise<ProbeResult> {
    let sock: Socket;
    try {
      sock = await this.open();
    } catch (e) {
      return { reachable: false, message: (e as Error).message };
    }
    sock.on('error', () => undefined);
    try {
      const status = this.o.statusCheck ? await readStatus(sock, this.o.statusTimeoutMs) : undefined;
      const model = this.o.statusCheck ? await readModel(sock, this.o.statusTimeoutMs) : undefined;
      return { reachable: true, ...(status ? { status } : {}), ...(model ? { model } : {}) };
    } finally {
      await TcpTransport.close(sock);
    }
  }
}
