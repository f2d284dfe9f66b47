// Pass-through: the register's own receipt, byte for byte, to the real printer (before the fiscal
// receipt, which the print queue prints from the invoice). Best effort: a failure is logged by the
// caller and never stops the capture; the original is not fiscal and is not retried.
import { openTransport } from '../../print/open-transport';
import { parsePrinterConfig } from '../../../shared/receipt/printer-config';

export function passThroughPrinter(printerConfig: unknown): (raw: Uint8Array) => Promise<void> {
  const transport = openTransport(parsePrinterConfig(printerConfig));
  let n = 0;
  return async (raw) => {
    n += 1;
    await transport.print({ name: `register-original-${Date.now()}-${n}`, bytes: Buffer.from(raw), layout: null }, () => undefined);
  };
}
