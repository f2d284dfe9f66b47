// Epson real-time status (DLE EOT n) and model name (GS I 67), over any duplex byte stream.
// Every status byte has bits 1 and 4 set and bit 7 clear; anything else is not an answer.
import type { PrinterStatusReading } from './transport';

export const DLE_EOT_OFFLINE = Buffer.from([0x10, 0x04, 0x02]); // offline cause
export const DLE_EOT_PAPER = Buffer.from([0x10, 0x04, 0x04]); // roll paper sensor
export const GS_I_MODEL = Buffer.from([0x1d, 0x49, 0x43]); // model name: "_" name NUL

export const isStatusByte = (b: number): boolean => (b & 0x93) === 0x12;

export function parseStatus(offline: number, paper: number): PrinterStatusReading {
  return {
    coverOpen: (offline & 0x04) !== 0,
    error: (offline & 0x40) !== 0,
    paperOut: (offline & 0x20) !== 0 || (paper & 0x60) !== 0,
    paperNearEnd: (paper & 0x0c) !== 0,
  };
}

/** Minimal duplex a TCP socket or serial port provides. */
export interface ByteStream {
  write(data: Buffer, cb: (err?: Error | null) => void): unknown;
  on(event: 'data', cb: (chunk: Buffer) => void): unknown;
  off(event: 'data', cb: (chunk: Buffer) => void): unknown;
}

/** Sends `query` and collects the answer until `done(bytes)` or the timeout (then undefined). */
export function ask(stream: ByteStream, query: Buffer, done: (got: Buffer) => boolean, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    let got = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      if (done(got)) finish(got);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    const finish = (v: Buffer | undefined) => {
      clearTimeout(timer);
      stream.off('data', onData);
      resolve(v);
    };
    stream.on('data', onData);
    stream.write(query, (err) => {
      if (err) {
        clearTimeout(timer);
        stream.off('data', onData);
        reject(err);
      }
    });
  });
}

/** The printer's status, or undefined when it does not answer (not every printer can). */
export async function readStatus(stream: ByteStream, timeoutMs: number): Promise<PrinterStatusReading | undefined> {
  const offline = await ask(stream, DLE_EOT_OFFLINE, (b) => b.length >= 1, timeoutMs);
  if (!offline || !isStatusByte(offline[0]!)) return undefined;
  const paper = await ask(stream, DLE_EOT_PAPER, (b) => b.length >= 1, timeoutMs);
  if (!paper || !isStatusByte(paper[0]!)) return undefined;
  return parseStatus(offline[0]!, paper[0]!);
}

export async function readModel(stream: ByteStream, timeoutMs: number): Promise<string | undefined> {
  const r = await ask(stream, GS_I_MODEL, (b) => b.includes(0x00) || b.length > 64, timeoutMs);
  if (!r || r[0] !== 0x5f) return undefined;
  const end = r.indexOf(0x00);
  return (
    r
      .subarray(1, end < 0 ? undefined : end)
      .toString('latin1')
      .trim() || undefined
  );
}

export function writeAll(stream: ByteStream, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => stream.write(data, (err) => (err ? reject(err) : resolve())));
}
