// Receipt templates: one per register layout. Each field is a list of regular expressions whose
// named groups say what they capture (the field mapping); a template also says how the layout
// writes numbers, dates and payment methods. The engine classifies every printed line and keeps
// the lines nothing matched, so the "test this template" view can show them.
import { z } from 'zod';
import { PAYMENT_METHODS } from '../../domain/payment-means';
import { TaxSchema } from '../../domain/sale';

function compiles(p: string): boolean {
  try {
    new RegExp(p, 'u');
    return true;
  } catch {
    return false;
  }
}

const RuleSchema = z
  .object({
    pattern: z.string().min(1).refine(compiles, 'is not a valid regular expression'),
    /** How many consecutive lines the pattern spans (joined with \n), for items printed on two lines. */
    lines: z.number().int().min(1).max(4).default(1),
  })
  .strict();

export type TemplateRule = z.output<typeof RuleSchema>;

/** Fields, in the order a line is tried against them; the first rule that matches claims the line. */
export const TEMPLATE_FIELDS = ['total', 'subtotal', 'tax', 'payment', 'change', 'receipt_no', 'date', 'item', 'ignore'] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

/** Named groups each field's patterns may use (`receipt_no`, `date`, `time` are taken from any rule). */
export const FIELD_GROUPS: Readonly<Record<TemplateField, readonly string[]>> = {
  total: ['amount'],
  subtotal: ['amount'],
  tax: ['amount', 'rate', 'net', 'tax_class'],
  payment: ['amount', 'method'],
  change: ['amount'],
  receipt_no: ['receipt_no'],
  date: ['date', 'time'],
  item: ['name', 'amount', 'qty', 'unit_price', 'tax_class'],
  ignore: [],
};

const rules = z.array(RuleSchema).default([]);

export const TemplateSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be lower-case letters, digits and dashes, like ng-supermarket'),
    name: z.string().trim().min(1).max(100),
    /** One encoding for all text (gb18030, euc-kr, utf8); otherwise the register's ESC t code page (CP437 default). */
    encoding: z.string().min(1).optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like NGN')
      .default('NGN'),
    decimal: z.enum(['.', ',']).default('.'),
    /** The receipt body starts at the last line matching this (anything before is noise or a print cut short). */
    start: z.string().refine(compiles, 'is not a valid regular expression').optional(),
    /** A line matching this means the print is not a sale (an order ticket, a report): nothing is issued. */
    not_sale: z.string().refine(compiles, 'is not a valid regular expression').optional(),
    fields: z
      .object({
        item: z.array(RuleSchema).min(1, 'a template needs at least one item pattern'),
        total: z.array(RuleSchema).min(1, 'a template needs at least one total pattern'),
        subtotal: rules,
        tax: rules,
        payment: rules,
        change: rules,
        receipt_no: rules,
        date: rules,
        ignore: rules,
      })
      .strict(),
    /** Printed payment method (matched case-insensitively) → canonical method. */
    payment_methods: z.record(z.string(), z.enum(PAYMENT_METHODS)).default({}),
    /** When no payment line is printed: assume this method for the total, or null (→ review). */
    default_payment: z.enum(PAYMENT_METHODS).nullable().default(null),
    /** The tax of every item without a tax class. */
    tax: TaxSchema.default({ category: 'STANDARD_VAT', rate: '7.5', inclusive: true }),
    /** Tax class letters printed beside amounts (A, B…) → tax. */
    tax_classes: z.record(z.string(), TaxSchema).default({}),
    /** How far the printed tax may differ from ours, per item, in major units (the register may round per receipt). */
    tax_tolerance: z
      .string()
      .regex(/^\d{1,6}(\.\d{1,2})?$/)
      .default('0.01'),
    date_order: z.enum(['DMY', 'MDY', 'YMD']).default('DMY'),
    /** UTC offset of the register's clock. */
    utc_offset: z
      .string()
      .regex(/^[+-]\d{2}:\d{2}$/)
      .default('+01:00'),
  })
  .strict();

export type Template = z.output<typeof TemplateSchema>;
export type TemplateInput = z.input<typeof TemplateSchema>;

export interface LineResult {
  index: number;
  text: string;
  /** Which field claimed the line; 'noise' before the start line; null when nothing matched. */
  field: TemplateField | 'noise' | 'not_sale' | null;
  /** The rule index within the field. */
  rule?: number;
  /** A multi-line rule: this line continues the one above. */
  continued?: boolean;
  groups?: Record<string, string>;
}

export interface ParsedItem {
  name: string;
  amount: string;
  qty?: string;
  unit_price?: string;
  tax_class?: string;
  line: number;
}
export interface ParsedTax {
  amount: string;
  rate?: string;
  net?: string;
  tax_class?: string;
  line: number;
}
export interface ParsedPayment {
  amount: string;
  method?: string;
  line: number;
}

export interface ParsedReceipt {
  lines: LineResult[];
  notSale: boolean;
  items: ParsedItem[];
  total?: string;
  subtotal?: string;
  taxes: ParsedTax[];
  payments: ParsedPayment[];
  change?: string;
  receipt_no?: string;
  date?: string;
  time?: string;
  /** Lines with printable content that no rule matched (the tester highlights them). */
  unmatched: number[];
  /** Fields the template requires that the receipt lacks. */
  missing: string[];
}

interface Compiled {
  field: TemplateField;
  rule: number;
  re: RegExp;
  lines: number;
}

const compiledCache = new WeakMap<Template, { rules: Compiled[]; start?: RegExp; notSale?: RegExp }>();

function compile(t: Template) {
  let c = compiledCache.get(t);
  if (!c) {
    const out: Compiled[] = [];
    for (const field of TEMPLATE_FIELDS) {
      t.fields[field].forEach((r, i) => out.push({ field, rule: i, re: new RegExp(r.pattern, 'u'), lines: r.lines }));
    }
    c = {
      rules: out,
      ...(t.start ? { start: new RegExp(t.start, 'u') } : {}),
      ...(t.not_sale ? { notSale: new RegExp(t.not_sale, 'u') } : {}),
    };
    compiledCache.set(t, c);
  }
  return c;
}

export function parseTemplate(input: unknown): Template {
  const r = TemplateSchema.safeParse(input);
  if (!r.success) throw new TemplateError(r.error.issues.map((i) => `${i.path.join('.') || '(template)'}: ${i.message}`).join('; '));
  return r.data;
}

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

function groupsOf(m: RegExpExecArray): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.groups ?? {})) if (v !== undefined) out[k] = v.trim();
  return out;
}

/** Classifies each line of a stripped receipt and collects the fields. */
export function applyTemplate(text: string, t: Template): ParsedReceipt {
  const c = compile(t);
  const raw = text.split('\n');
  const lines: LineResult[] = raw.map((s, index) => ({ index, text: s, field: null }));
  const out: ParsedReceipt = { lines, notSale: false, items: [], taxes: [], payments: [], unmatched: [], missing: [] };
  let i = 0;
  // "Not a sale" wins wherever it is printed (a kitchen ticket's heading sits above the start line).
  const notSaleAt = c.notSale ? raw.findIndex((s) => c.notSale!.test(s)) : -1;
  if (notSaleAt >= 0) {
    out.notSale = true;
    lines[notSaleAt]!.field = 'not_sale';
  }
  if (c.start) {
    // The last start line: a receipt cut short and printed again arrives as one piece.
    let first = -1;
    raw.forEach((s, k) => {
      if (c.start!.test(s)) first = k;
    });
    if (first > 0) for (; i < first; i++) lines[i]!.field = 'noise';
  }
  for (; i < raw.length; i++) {
    const line = lines[i]!;
    if (!line.text.trim()) continue;
    if (line.field === 'not_sale' || c.notSale?.test(line.text)) {
      line.field = 'not_sale';
      continue;
    }
    let matched: { r: Compiled; g: Record<string, string> } | undefined;
    for (const r of c.rules) {
      if (i + r.lines > raw.length) continue;
      const subject = r.lines === 1 ? line.text : raw.slice(i, i + r.lines).join('\n');
      const m = r.re.exec(subject);
      if (m) {
        matched = { r, g: groupsOf(m) };
        break;
      }
    }
    if (!matched) continue;
    const { r, g } = matched;
    line.field = r.field;
    line.rule = r.rule;
    line.groups = g;
    for (let k = 1; k < r.lines; k++) {
      const next = lines[i + k]!;
      next.field = r.field;
      next.rule = r.rule;
      next.continued = true;
    }
    collect(out, r.field, g, i);
    i += r.lines - 1;
  }
  for (const l of lines) if (l.field === null && l.text.trim()) out.unmatched.push(l.index);
  if (!out.notSale) {
    if (!out.items.length) out.missing.push('item');
    if (out.total === undefined) out.missing.push('total');
  }
  return out;
}

function collect(out: ParsedReceipt, field: TemplateField, g: Record<string, string>, line: number): void {
  if (g.receipt_no && out.receipt_no === undefined) out.receipt_no = g.receipt_no;
  if (g.date && out.date === undefined) out.date = g.date;
  if (g.time && out.time === undefined) out.time = g.time;
  const amount = g.amount;
  switch (field) {
    case 'item':
      if (g.name !== undefined && amount !== undefined) {
        out.items.push({
          name: g.name,
          amount,
          line,
          ...(g.qty ? { qty: g.qty } : {}),
          ...(g.unit_price ? { unit_price: g.unit_price } : {}),
          ...(g.tax_class ? { tax_class: g.tax_class } : {}),
        });
      }
      break;
    case 'total':
      if (amount !== undefined && out.total === undefined) out.total = amount;
      break;
    case 'subtotal':
      if (amount !== undefined && out.subtotal === undefined) out.subtotal = amount;
      break;
    case 'change':
      if (amount !== undefined && out.change === undefined) out.change = amount;
      break;
    case 'tax':
      if (amount !== undefined)
        out.taxes.push({
          amount,
          line,
          ...(g.rate ? { rate: g.rate } : {}),
          ...(g.net ? { net: g.net } : {}),
          ...(g.tax_class ? { tax_class: g.tax_class } : {}),
        });
      break;
    case 'payment':
      if (amount !== undefined) out.payments.push({ amount, line, ...(g.method ? { method: g.method } : {}) });
      break;
    default:
      break;
  }
}

/** "1.234,56" (decimal ',') or "1,234.56" / "9,700" (decimal '.') → "1234.56"; null when it is not a number. */
export function normaliseNumber(text: string, decimal: '.' | ','): string | null {
  const s = text.replace(/[\s\u00a0]/g, '');
  const thousands = decimal === '.' ? ',' : '.';
  const re = decimal === '.' ? /^\d{1,3}(,\d{3})*(\.\d+)?$|^\d+(\.\d+)?$/ : /^\d{1,3}(\.\d{3})*(,\d+)?$|^\d+(,\d+)?$/;
  if (!re.test(s)) return null;
  const plain = s.split(thousands).join('').replace(decimal, '.');
  return plain.replace(/^0+(?=\d)/, '');
}
