// The register-link settings (stored under app.registerLink): the links (one per cable or print
// port) and the receipt templates. Validated on read and write like every app setting.
import { z } from 'zod';
import { TemplateSchema } from './template';
import { SAMPLE_TEMPLATES } from './sample-templates';

export const SerialPortSchema = z
  .object({
    kind: z.literal('serial'),
    path: z.string().min(1, 'name the device, like /dev/ttyUSB0 or COM3'),
    baudRate: z.number().int().positive().default(9600),
    dataBits: z.union([z.literal(5), z.literal(6), z.literal(7), z.literal(8)]).default(8),
    parity: z.enum(['none', 'even', 'odd', 'mark', 'space']).default('none'),
    stopBits: z.union([z.literal(1), z.literal(1.5), z.literal(2)]).default(1),
    flowControl: z.enum(['none', 'rtscts', 'xonxoff']).default('none'),
  })
  .strict();

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

export const TcpPortSchema = z
  .object({
    kind: z.literal('tcp'),
    /** Loopback by default; a LAN address is an opt-in and needs allowFrom (a print port has no login). */
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(9100),
    /** Register addresses allowed to connect when listening beyond loopback. */
    allowFrom: z.array(z.string().min(1)).default([]),
  })
  .strict()
  .refine((p) => LOOPBACK.test(p.host) || p.allowFrom.length > 0, {
    message: 'listening beyond loopback needs allowFrom: the register addresses that may print here',
    path: ['allowFrom'],
  });

export const LinkSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be lower-case letters, digits and dashes, like till-1'),
    enabled: z.boolean().default(true),
    /** sales: canonical-sale JSON lines with ACK/NAK; print: the app poses as the register's printer. */
    mode: z.enum(['sales', 'print']),
    port: z.discriminatedUnion('kind', [SerialPortSchema, TcpPortSchema]),
    /** print mode: the template id that reads this register's receipts. */
    template: z.string().optional(),
    /** print mode: silence after which a receipt without a paper cut is complete. */
    idleGapMs: z.number().int().min(100).max(600_000).default(2000),
    /** print mode: print the register's own receipt on the real printer before the fiscal receipt. */
    passThrough: z.boolean().default(false),
    /** How often to try a port that is unplugged or busy again. */
    reconnectMs: z.number().int().min(100).max(600_000).default(2000),
  })
  .strict()
  .refine((l) => l.mode !== 'print' || !!l.template, { message: 'a print-capture link needs a template', path: ['template'] });

export const RegisterLinkSettingsSchema = z
  .object({
    links: z.array(LinkSchema).max(8).default([]),
    templates: z
      .array(TemplateSchema)
      .max(50)
      .default(() => [...SAMPLE_TEMPLATES]),
  })
  .strict()
  .superRefine((s, ctx) => {
    const ids = new Set<string>();
    s.links.forEach((l, i) => {
      if (ids.has(l.id)) ctx.addIssue({ code: 'custom', message: `link id "${l.id}" is used twice`, path: ['links', i, 'id'] });
      ids.add(l.id);
      if (l.template && !s.templates.some((t) => t.id === l.template)) {
        ctx.addIssue({ code: 'custom', message: `template "${l.template}" is not among the templates`, path: ['links', i, 'template'] });
      }
    });
  });

export type RegisterLinkSettings = z.output<typeof RegisterLinkSettingsSchema>;
export type LinkConfig = z.output<typeof LinkSchema>;
export type SerialPortConfig = z.output<typeof SerialPortSchema>;
export type TcpPortConfig = z.output<typeof TcpPortSchema>;
