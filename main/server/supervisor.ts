// `serve` under a small supervisor: the server (with capture, printing and sync) runs in a child
// process; when it dies — a crash, an out-of-memory kill, SIGKILL — the supervisor logs why and
// starts it again within seconds, on the same port, so the till's browser reconnects by itself.
// A child that never came up (bad port, ledger from a newer app) is not retried in a loop: its
// exit code is the supervisor's. SIGINT/SIGTERM are passed on and the child stops cleanly.
import type { ChildProcess } from 'node:child_process';

/** Messages the worker sends over the IPC channel. */
export type WorkerMessage = { type: 'listening'; port: number };

export interface SupervisorOptions {
  /** Starts one worker; `port` is the port the previous one listened on (undefined the first time). */
  spawnWorker: (port: number | undefined) => ChildProcess;
  log: (line: string) => void;
  /** Restart delay; doubles while a restarted worker keeps dying before it listens, up to maxDelayMs. */
  restartDelayMs?: number;
  maxDelayMs?: number;
  stableMs?: number;
}

export function isWorkerMessage(m: unknown): m is WorkerMessage {
  return (
    typeof m === 'object' &&
    m !== null &&
    (m as { type?: unknown }).type === 'listening' &&
    Number.isInteger((m as { port?: unknown }).port)
  );
}

export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}

export class Supervisor {
  private child: ChildProcess | undefined;
  private port: number | undefined;
  private everListened = false;
  private stopping = false;
  private restarts = 0;
  private delay: number;
  private timer: NodeJS.Timeout | undefined;
  private resolveDone!: (code: number) => void;
  /** Resolves with the exit code the supervisor should end with. */
  readonly done: Promise<number>;

  constructor(private readonly o: SupervisorOptions) {
    this.delay = o.restartDelayMs ?? 1000;
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  get restartCount(): number {
    return this.restarts;
  }

  get workerPid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    const startedAt = Date.now();
    const child = this.o.spawnWorker(this.port);
    this.child = child;
    let listened = false;
    child.on('message', (m: unknown) => {
      if (!isWorkerMessage(m)) return;
      listened = true;
      this.everListened = true;
      this.port = m.port;
    });
    child.once('error', (e) => this.o.log(`serve: could not start the server process: ${e.message}`));
    child.once('exit', (code, signal) => {
      this.child = undefined;
      if (this.stopping) return this.resolveDone(code ?? (signal ? 1 : 0));
      if (!listened && !this.everListened) {
        // It never came up: retrying would only repeat the same error.
        this.o.log(`serve: the server did not start (${describeExit(code, signal)})`);
        return this.resolveDone(code || 1);
      }
      const max = this.o.maxDelayMs ?? 30_000;
      // A server that came up and later died restarts at once (after the base delay); one that
      // keeps dying before it listens backs off, doubling up to maxDelayMs.
      if (listened || Date.now() - startedAt > (this.o.stableMs ?? 60_000)) this.delay = this.o.restartDelayMs ?? 1000;
      this.restarts++;
      this.o.log(
        `serve: the server process stopped unexpectedly (${describeExit(code, signal)}); restarting it in ${Math.round(this.delay / 100) / 10} s (restart ${this.restarts})`,
      );
      const wait = this.delay;
      this.delay = Math.min(max, this.delay * 2);
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (!this.stopping) this.start();
      }, wait);
    });
  }

  /** Passes the signal on and lets the worker finish its work; resolves `done` when it exited. */
  stop(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.stopping) {
      this.child?.kill(signal);
      return;
    }
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.child) this.child.kill(signal);
    else this.resolveDone(0);
  }
}
