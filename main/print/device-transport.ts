// Printer device files that only take bytes (USB printer class: /dev/usb/lp0, a Windows share
// path): no status channel, so the job is written and considered printed once the write returns.
import { open } from 'node:fs/promises';
import { NotSent, type PrintOutcome, type PrintPayload, type ProbeResult, type Transport } from './transport';

export class DeviceTransport implements Transport {
  readonly kind = 'device' as const;
  readonly description: string;

  constructor(private readonly path: string) {
    this.description = `printer device ${path}`;
  }

  async print(payload: PrintPayload, beforeWrite: () => void): Promise<PrintOutcome> {
    let fh;
    try {
      fh = await open(this.path, 'a');
    } catch (e) {
      throw new NotSent('offline', `${this.description} cannot be opened (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    try {
      beforeWrite();
      await fh.write(payload.bytes);
      await fh.sync().catch(() => undefined); // character devices may not support fsync
      return {};
    } finally {
      await fh.close();
    }
  }

  async probe(): Promise<ProbeResult> {
    try {
      const fh = await open(this.path, 'a');
      await fh.close();
      return { reachable: true };
    } catch (e) {
      return {
        reachable: false,
        message: `${this.description} cannot be opened (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      };
    }
  }
}
