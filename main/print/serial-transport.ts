// Serial printers (RS-232, or USB serial adapters like /dev/ttyUSB0, COM3) through serialport;
// the line is bidirectional, so status and model are read as on a network printer.
import { SerialPort } from 'serialport';
import { readModel, readStatus } from './escpos-status';
import { printOverStream, type StreamPrintOptions } from './stream-print';
import { NotSent, type PrintOutcome, type PrintPayload, type ProbeResult, type Transport } from './transport';

export class SerialTransport implements Transport {
  readonly kind = 'serial' as const;
  readonly description: string;

  constructor(
    private readonly path: string,
    private readonly baudRate: number,
    private readonly o: StreamPrintOptions,
  ) {
    this.description = `serial printer ${path} (${baudRate} baud)`;
  }

  private open(): Promise<SerialPort> {
    return new Promise((resolve, reject) => {
      const port = new SerialPort({ path: this.path, baudRate: this.baudRate, autoOpen: false });
      port.open((err) => (err ? reject(new NotSent('offline', `${this.description} cannot be opened (${err.message})`)) : resolve(port)));
    });
  }

  private static close(port: SerialPort): Promise<void> {
    return new Promise((resolve) => {
      if (!port.isOpen) {
        resolve();
        return;
      }
      port.drain(() => port.close(() => resolve()));
    });
  }

  async print(payload: PrintPayload, beforeWrite: () => void): Promise<PrintOutcome> {
    const port = await this.open();
    try {
      const out = await printOverStream(port, payload.bytes, beforeWrite, this.o);
      await new Promise<void>((resolve, reject) => port.drain((e) => (e ? reject(e) : resolve())));
      return out;
    } finally {
      await SerialTransport.close(port);
    }
  }

  async probe(): Promise<ProbeResult> {
    let port: SerialPort;
    try {
      port = await this.open();
    } catch (e) {
      return { reachable: false, message: (e as Error).message };
    }
    try {
      const status = this.o.statusCheck ? await readStatus(port, this.o.statusTimeoutMs) : undefined;
      const model = this.o.statusCheck ? await readModel(port, this.o.statusTimeoutMs) : undefined;
      // A serial line is "open" even with nothing attached: only an answer proves a printer.
      return {
        reachable: status !== undefined || model !== undefined,
        ...(status ? { status } : {}),
        ...(model ? { model } : {}),
        ...(status || model ? {} : { message: `${this.description} opened but no printer answered a status request` }),
      };
    } finally {
      await SerialTransport.close(port);
    }
  }
}
