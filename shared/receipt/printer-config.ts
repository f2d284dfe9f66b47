// The printer setting (validated at every boundary). Default: the virtual printer, which keeps
// the ESC/POS bytes and renders a PNG, until a real printer is configured.
import { z } from 'zod';

/** Where the bytes go: tcp://host[:port], a device or file path (/dev/usb/lp0, COM3), serial:PATH, printer:NAME, or virtual. */
export const PRINTER_INTERFACE = /^(virtual|tcp:\/\/[^/\s:]+(:\d{1,5})?\/?|serial:.+|printer:.+|\/.+|COM\d+|\\\\\.\\.+|[A-Za-z]:\\.+)$/;

export const PrinterConfigSchema = z
  .object({
    interface: z
      .string()
      .regex(PRINTER_INTERFACE, 'must be virtual, tcp://host:9100, a device path like /dev/usb/lp0, serial:/dev/ttyUSB0 or printer:NAME')
      .default('virtual'),
    /** Command set. */
    type: z.enum(['epson', 'star']).default('epson'),
    width: z.union([z.literal(58), z.literal(80)]).default(80),
    /** QR as the printer's own command, as a raster image, or detected (Epson: asks the model). */
    qr: z.enum(['auto', 'native', 'raster']).default('auto'),
    /** auto: "₦" where the output can draw it (PNG, text), "NGN" on ESC/POS (no code page has ₦); code: always "NGN". */
    naira: z.enum(['auto', 'code']).default('auto'),
    cash_drawer: z.boolean().default(true),
    cut: z.boolean().default(true),
    baud_rate: z.number().int().positive().default(9600),
    /** Ask the printer for its status (DLE EOT) before and after a job, where the transport can answer. */
    status_check: z.boolean().default(true),
    timeout_ms: z.number().int().min(100).max(120_000).default(5000),
    /** How long to wait for a status answer; a printer that never answers is printed to without one. */
    status_timeout_ms: z.number().int().min(50).max(120_000).default(1500),
    /** Where the virtual printer keeps its .bin and .png files (none: kept in memory only). */
    virtual_dir: z.string().min(1).optional(),
  })
  .strict();

export type PrinterConfig = z.infer<typeof PrinterConfigSchema>;
export type PrinterConfigInput = z.input<typeof PrinterConfigSchema>;

export const DEFAULT_PRINTER_CONFIG: PrinterConfig = PrinterConfigSchema.parse({});

export function parsePrinterConfig(input: unknown): PrinterConfig {
  const r = PrinterConfigSchema.safeParse(input ?? {});
  if (!r.success) {
    throw new PrinterConfigError(r.error.issues.map((i) => `printer.${i.path.join('.') || '(config)'}: ${i.message}`).join('; '));
  }
  return r.data;
}

export class PrinterConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrinterConfigError';
  }
}
