// One job over a duplex byte stream (TCP socket, serial port): status before (a blocking status
// means nothing is sent), the bytes, then status after (paper ran out mid-receipt?).
import { readStatus, writeAll, type ByteStream } from './escpos-status';
import { blocking, type PrintOutcome } from './transport';

export interface StreamPrintOptions {
  statusCheck: boolean;
  statusTimeoutMs: number;
}

export async function printOverStream(
  stream: ByteStream,
  bytes: Buffer,
  beforeWrite: () => void,
  o: StreamPrintOptions,
): Promise<PrintOutcome> {
  if (o.statusCheck) {
    const before = await readStatus(stream, o.statusTimeoutMs);
    const stop = blocking(before);
    if (stop) throw stop;
  }
  beforeWrite();
  await writeAll(stream, bytes);
  if (!o.statusCheck) return {};
  // Real-time status is answered as soon as the printer has read the job's bytes before it.
  const after = await readStatus(stream, o.statusTimeoutMs);
  return after ? { after } : {};
}
