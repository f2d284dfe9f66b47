// An OS-installed printer by name ("printer:NAME"), as a raw job through CUPS `lp -o raw` (Linux,
// macOS). node-thermal-printer's own OS-printer interface needs a native driver module
// (`printer` / `@thiagoelg/node-printer`) that does not build from the npm registry alone here,
// so Windows spooler printers are not supported: use the printer's network or USB-serial port.
import { spawn } from 'node:child_process';
import { NotSent, type PrintOutcome, type PrintPayload, type ProbeResult, type Transport } from './transport';

export class OsPrinterTransport implements Transport {
  readonly kind = 'os' as const;
  readonly description: string;

  constructor(
    private readonly name: string,
    private readonly lpCommand = 'lp',
  ) {
    this.description = `OS printer "${name}"`;
  }

  print(payload: PrintPayload, beforeWrite: () => void): Promise<PrintOutcome> {
    if (process.platform === 'win32') {
      return Promise.reject(
        new NotSent(
          'error',
          'printing to a Windows printer by name needs a native driver module that is not included: use tcp://, a COM port or a device path',
        ),
      );
    }
    return new Promise((resolve, reject) => {
      const child = spawn(this.lpCommand, ['-d', this.name, '-o', 'raw', '-t', payload.name], { stdio: ['pipe', 'ignore', 'pipe'] });
      let stderr = '';
      let started = false;
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      // lp may exit (refusing the job) before reading its input: the broken pipe is reported by
      // the exit code below, not thrown as an unhandled EPIPE.
      child.stdin.on('error', () => undefined);
      child.once('error', (e: NodeJS.ErrnoException) => {
        if (!started) reject(new NotSent('error', `cannot run ${this.lpCommand} (CUPS) for ${this.description}: ${e.code ?? e.message}`));
      });
      child.once('spawn', () => {
        started = true;
        beforeWrite();
        child.stdin.end(payload.bytes);
      });
      child.once('close', (code) => {
        if (!started) return;
        // lp exits non-zero when it refused the job: nothing was queued, so it can be retried.
        if (code === 0) resolve({});
        else reject(new NotSent('error', `${this.lpCommand} refused the job for ${this.description} (exit ${code}): ${stderr.trim()}`));
      });
    });
  }

  async probe(): Promise<ProbeResult> {
    return new Promise((resolve) => {
      const child = spawn('lpstat', ['-p', this.name], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
      });
      child.once('error', () => resolve({ reachable: false, message: 'CUPS (lpstat) is not available on this computer' }));
      child.once('close', (code) =>
        resolve(
          code === 0 ? { reachable: true, message: out.trim() } : { reachable: false, message: `no OS printer named "${this.name}"` },
        ),
      );
    });
  }
}
