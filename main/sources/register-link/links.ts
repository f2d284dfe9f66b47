// The wire side of a register link: a serial port (reopened whenever the cable or USB adapter
// comes back) or a TCP listener posing as a network printer (port 9100). Both emit raw bytes,
// the end of a job (connection closed, cable pulled) and state changes; neither parses anything.
import { EventEmitter } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { SerialPort } from 'serialport';
import type { SerialPortConfig, TcpPortConfig } from '../../../shared/sources/register-link/settings';

export type LinkState = 'connecting' | 'connected' | 'listening' | 'disconnected' | 'stopped';

export interface LinkIO {
  readonly description: string;
  readonly state: LinkState;
  readonly message: string | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Writes a reply line to the register (sales mode); false when nobody is connected. */
  write(line: string): boolean;
  on(event: 'data', cb: (bytes: Buffer) => void): this;
  on(event: 'end-of-job', cb: () => void): this;
  on(event: 'state', cb: () => void): this;
}

abstract class BaseLink extends EventEmitter {
  state: LinkState = 'connecting';
  message: string | undefined;

  protected setState(state: LinkState, message?: string): void {
    if (state === this.state && message === this.message) return;
    this.state = state;
    this.message = message;
    this.emit('state');
  }
}

export class SerialLink extends BaseLink implements LinkIO {
  readonly description: string;
  private port: SerialPort | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly cfg: SerialPortConfig,
    private readonly reconnectMs: number,
  ) {
    super();
    this.description = `serial ${cfg.path} ${cfg.baudRate} ${cfg.dataBits}${cfg.parity[0]!.toUpperCase()}${cfg.stopBits}${cfg.flowControl === 'none' ? '' : ` ${cfg.flowControl}`}`;
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.open();
  }

  private open(): void {
    if (this.stopped) return;
    this.setState('connecting', this.message);
    const c = this.cfg;
    const port = new SerialPort({
      path: c.path,
      baudRate: c.baudRate,
      dataBits: c.dataBits,
      parity: c.parity,
      stopBits: c.stopBits,
      rtscts: c.flowControl === 'rtscts',
      xon: c.flowControl === 'xonxoff',
      xoff: c.flowControl === 'xonxoff',
      autoOpen: false,
    });
    port.on('data', (b: Buffer) => this.emit('data', b));
    port.on('error', (e: Error) => {
      this.message = e.message;
    });
    port.on('close', () => {
      if (this.port !== port) return;
      this.port = undefined;
      this.emit('end-of-job');
      if (this.stopped) return;
      this.setState('disconnected', `${c.path} went away; reopening every ${Math.round(this.reconnectMs / 100) / 10} s`);
      this.retry();
    });
    port.open((err) => {
      if (err) {
        if (!this.stopped) {
          this.setState('disconnected', `${c.path} cannot be opened (${err.message}); retrying`);
          this.retry();
        }
        return;
      }
      if (this.stopped) {
        port.close(() => undefined);
        return;
      }
      this.port = port;
      this.setState('connected', this.description);
    });
  }

  private retry(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.open();
    }, this.reconnectMs);
  }

  write(line: string): boolean {
    if (!this.port?.isOpen) return false;
    this.port.write(`${line}\n`);
    return true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    this.setState('stopped');
  }
}

/** A network print port: one job per connection; a second connection waits its turn. */
export class TcpLink extends BaseLink implements LinkIO {
  readonly description: string;
  private server: Server | undefined;
  private current: Socket | undefined;
  private readonly waiting: Socket[] = [];
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly cfg: TcpPortConfig) {
    super();
    this.description = `tcp ${cfg.host}:${cfg.port}`;
  }

  async start(): Promise<void> {
    const server = createServer((sock) => this.accept(sock));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.cfg.port, this.cfg.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (e) => this.setState('disconnected', e.message));
    const addr = server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : this.cfg.port;
    this.setState('listening', `listening on ${this.cfg.host}:${this.port}`);
  }

  private accept(sock: Socket): void {
    const remote = (sock.remoteAddress ?? '').replace(/^::ffff:/, '');
    const loopbackOnly = /^(127\.|::1$|localhost$)/.test(this.cfg.host);
    if (!loopbackOnly && !this.cfg.allowFrom.includes(remote)) {
      sock.destroy();
      return;
    }
    this.sockets.add(sock);
    sock.on('error', () => undefined);
    sock.on('close', () => {
      this.sockets.delete(sock);
      const i = this.waiting.indexOf(sock);
      if (i >= 0) this.waiting.splice(i, 1);
      if (this.current !== sock) return;
      this.current = undefined;
      this.emit('end-of-job');
      this.next();
    });
    sock.pause();
    this.waiting.push(sock);
    if (!this.current) this.next();
  }

  private next(): void {
    const sock = this.waiting.shift();
    if (!sock) {
      if (this.server) this.setState('listening', `listening on ${this.cfg.host}:${this.port}`);
      return;
    }
    this.current = sock;
    sock.on('data', (b: Buffer) => {
      if (this.current === sock) this.emit('data', b);
    });
    sock.resume();
    this.setState('connected', `register connected from ${sock.remoteAddress ?? '?'}`);
  }

  write(line: string): boolean {
    if (!this.current || this.current.destroyed) return false;
    this.current.write(`${line}\n`);
    return true;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    this.setState('stopped');
  }
}
