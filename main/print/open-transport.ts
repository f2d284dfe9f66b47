// Printer config → transport. tcp://host[:port] → network; serial:PATH, /dev/tty*, COMn →
// serial; printer:NAME → OS printer; other paths (/dev/usb/lp0) → device file; virtual.
import type { PrinterConfig } from '../../shared/receipt/printer-config';
import { DeviceTransport } from './device-transport';
import { OsPrinterTransport } from './os-transport';
import { SerialTransport } from './serial-transport';
import { TcpTransport } from './tcp-transport';
import type { Transport } from './transport';
import { VirtualPrinter } from './virtual-printer';

export function openTransport(config: PrinterConfig): Transport {
  const uri = config.interface;
  // Status (DLE EOT) and model (GS I) queries are Epson ESC/POS; Star line mode answers with its
  // own automatic status, which is not implemented, so Star printers are sent jobs without asking.
  const stream = { statusCheck: config.status_check && config.type === 'epson', statusTimeoutMs: config.status_timeout_ms };
  if (uri === 'virtual') return new VirtualPrinter(config.virtual_dir);
  const tcp = /^tcp:\/\/([^/:]+)(?::(\d+))?\/?$/i.exec(uri);
  if (tcp) {
    const port = tcp[2] ? Number(tcp[2]) : 9100;
    if (port < 1 || port > 65535) throw new Error(`printer.interface: port ${port} is out of range`);
    return new TcpTransport(tcp[1]!, port, { ...stream, timeoutMs: config.timeout_ms });
  }
  if (uri.startsWith('printer:')) return new OsPrinterTransport(uri.slice('printer:'.length));
  if (uri.startsWith('serial:')) return new SerialTransport(uri.slice('serial:'.length), config.baud_rate, stream);
  if (/^\/dev\/(tty|cu\.)/.test(uri) || /^COM\d+$/i.test(uri)) return new SerialTransport(uri, config.baud_rate, stream);
  return new DeviceTransport(uri);
}
