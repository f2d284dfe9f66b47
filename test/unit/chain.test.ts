import { describe, expect, it } from 'vitest';
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import { parseSale } from '../../shared/domain/sale';
import {
  canonicalJson,
  chainHash,
  chainHashOfParts,
  chainRecord,
  GENESIS_HASH,
  PartsHasher,
  type ChainedFields,
} from '../../main/ledger/chain';
import { bodyParts } from '../../main/ledger/invoice-body';
import { pairParts } from '../../main/ledger/chain-walk';

const tricky = [
  'plain',
  'naïve café ₦',
  'quote " backslash \\ slash /',
  'control \u0001\u001f\t\n\r',
  'emoji 🧾',
  '\u2028\u2029',
  '<script>&',
];

function fields(i: number, text: string): ChainedFields {
  return {
    counter: i + 1,
    invoice_number: `T01${String(i + 1).padStart(8, '0')}`,
    irn: `T01${String(i + 1).padStart(8, '0')}-94ND90NR-20261124`,
    type: '381',
    issued_at: 1_795_000_000 + i,
    qr: `cXI${i}==`,
    invoice_json: JSON.stringify({ note: text, n: i }),
    sale_json: text,
  };
}

describe('chain record: the fast path equals RFC 8785 (canonicalize)', () => {
  it.each(tricky.map((t, i) => [i, t] as const))('record %i is byte-identical to canonicalize()', (i, text) => {
    const f = fields(i, text);
    expect(chainRecord(f)).toBe(canonicalize(f));
    expect(chainRecord(f)).toBe(canonicalJson(f));
  });

  it('a lone surrogate (no RFC 8785 form) is refused where sales enter, naming the field', () => {
    expect(() => canonicalize({ s: 'lone \ud800' })).toThrow();
    const sale = {
      source: 'manual',
      external_id: 'x',
      occurred_at: '2026-11-24T09:30:00+01:00',
      currency: 'NGN',
      payments: [{ method: 'cash', amount: '1.00' }],
      lines: [{ name: 'bad \ud800 name', quantity: '1', unit_price: '1.00', tax: { category: 'ZERO_VAT', rate: '0', inclusive: true } }],
    };
    expect(() => parseSale(sale)).toThrow(/lines\[0\]\.name: contains a broken Unicode character/);
    expect(parseSale({ ...sale, lines: [{ ...sale.lines[0], name: 'receipt 🧾' }] }).lines[0]!.name).toBe('receipt 🧾');
  });

  it('ignores key order of the input object and any extra property', () => {
    const f = fields(0, 'x');
    const reordered = Object.fromEntries(Object.entries(f).reverse()) as unknown as ChainedFields;
    expect(chainRecord(reordered)).toBe(chainRecord(f));
    expect(chainRecord({ ...f, extra: 'not chained' } as ChainedFields)).toBe(chainRecord(f));
  });

  it('canonicalJson sorts nested keys and normalises numbers', () => {
    expect(canonicalJson({ b: 1, a: { d: 1.0, c: 1e21 } })).toBe('{"a":{"c":1e+21,"d":1},"b":1}');
  });
});

describe('chainHash', () => {
  it('is SHA-256 over the previous hash then the canonical record', () => {
    const f = fields(0, 'x');
    const expected = createHash('sha256')
      .update(GENESIS_HASH + canonicalize(f))
      .digest('hex');
    expect(chainHash(GENESIS_HASH, f)).toBe(expected);
  });

  it('changes when any chained field or the previous hash changes', () => {
    const f = fields(3, 'x');
    const h = chainHash(GENESIS_HASH, f);
    for (const key of Object.keys(f) as (keyof ChainedFields)[]) {
      const changed = { ...f, [key]: typeof f[key] === 'number' ? (f[key] as number) + 1 : `${f[key]}!` };
      expect(chainHash(GENESIS_HASH, changed), key).not.toBe(h);
    }
    expect(chainHash('1'.repeat(64), f)).not.toBe(h);
  });
});

describe('chainHashOfParts (verify hashes the stored body without parsing it)', () => {
  it.each(tricky.map((t, i) => [i, t] as const))('equals chainHash for record %i, the texts taken from the stored pair', (i, text) => {
    const f = fields(i, text);
    const pair = Buffer.from(JSON.stringify([f.invoice_json, f.sale_json]), 'utf8');
    const parts = bodyParts(pair)!;
    expect(parts).toBeDefined();
    const { invoice_json: _i, sale_json: _s, ...header } = f;
    expect(chainHashOfParts('1'.repeat(64), header, parts.invoice, parts.sale)).toBe(chainHash('1'.repeat(64), f));
  });

  it('pairParts (verify: through a latin1 view) cuts every pair where bodyParts does, and its text is the invoice part', () => {
    const pairs = [
      ...tricky.map((t, i) => [fields(i, t).invoice_json, t]),
      ['', ''],
      ['ends with a backslash \\', '","'],
      ['"', '\\"]'],
      ['₦ "x"', '🧾'],
    ];
    for (const [a, b] of pairs) {
      const pair = Buffer.from(JSON.stringify([a, b]), 'utf8');
      const p = pairParts(pair)!;
      expect({ invoice: p.invoice, sale: p.sale }).toEqual(bodyParts(pair));
      expect(p.invoiceText).toBe(p.invoice.toString('latin1'));
    }
  });

  it('PartsHasher (one buffer, reused) gives the same hashes, also after a record larger than its buffer', () => {
    const hasher = new PartsHasher();
    const huge = 'x₦'.repeat(40_000); // ~120 KB of UTF-8: the buffer grows
    const texts = [...tricky, huge, ...tricky];
    texts.forEach((text, i) => {
      const f = { ...fields(i, text), invoice_number: `T01-${text.slice(0, 20)}` };
      const parts = bodyParts(Buffer.from(JSON.stringify([f.invoice_json, f.sale_json]), 'utf8'))!;
      const { invoice_json: _i, sale_json: _s, ...header } = f;
      expect(hasher.hash('2'.repeat(64), header, parts.invoice, parts.sale)).toBe(chainHash('2'.repeat(64), f));
    });
  });

  it('finds the boundary of the pair whatever quotes and backslashes the texts hold', () => {
    for (const [a, b] of [
      ['', ''],
      ['ends with a backslash \\', '","'],
      ['"', '\\"]'],
      ['",\\","', 'x'],
    ] as const) {
      const parts = bodyParts(Buffer.from(JSON.stringify([a, b])))!;
      expect(JSON.parse(`"${parts.invoice.toString()}"`)).toBe(a);
      expect(JSON.parse(`"${parts.sale.toString()}"`)).toBe(b);
    }
    expect(bodyParts(Buffer.from('["x"]'))).toBeUndefined();
    expect(pairParts(Buffer.from('["x"]'))).toBeUndefined();
    expect(pairParts(Buffer.from('{"a":1}'))).toBeUndefined();
    expect(bodyParts(Buffer.from('{"a":1}'))).toBeUndefined();
  });
});
