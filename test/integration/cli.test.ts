// The `taxpoynt-pos` command as a user runs it: the bundled bin, a real data dir, exit codes.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CERTIFICATE, cli, editStoredJson, keyPair, sampleSale, setupCli, simpleSale, tempDir } from '../support/fixture';

function withSetup(keysText?: string): string {
  const dir = tempDir();
  const r = setupCli(dir, keysText);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return dir;
}

function writeJson(dir: string, name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

/** What openssl does with the printed QR string: the check a FIRS engineer would run by hand. */
function opensslDecrypt(dir: string, qr: string): string {
  const keyFile = writeJson(dir, 'private.pem', keyPair().privatePem);
  return execFileSync('openssl', ['pkeyutl', '-decrypt', '-inkey', keyFile, '-pkeyopt', 'rsa_padding_mode:pkcs1'], {
    input: Buffer.from(qr, 'base64'),
  }).toString();
}

describe('taxpoynt-pos CLI', () => {
  it('setup, then ingest of the sample prints a reconciled invoice whose QR decrypts to the documented JSON', () => {
    const dir = withSetup();
    const r = cli(dir, ['ingest', '--source', 'canonical', '--file', writeJson(dir, 'sale.json', sampleSale())]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]!);
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['irn', 'invoice_number', 'status', 'qr', 'hash', 'invoice']));
    const t = out.invoice.legal_monetary_total;
    expect(t).toEqual({
      line_extension_amount: 15813.95,
      tax_exclusive_amount: 16279.07,
      tax_inclusive_amount: 17500,
      payable_amount: 17500,
    });
    expect(out.invoice.tax_total[0].tax_amount).toBe(1220.93);
    const lineNets = out.invoice.invoice_line.reduce(
      (s: number, l: { line_extension_amount: number }) => s + Math.round(l.line_extension_amount * 100),
      0,
    );
    const charges = out.invoice.allowance_charge.reduce((s: number, c: { amount: number }) => s + Math.round(c.amount * 100), 0);
    expect(lineNets + charges + Math.round(out.invoice.tax_total[0].tax_amount * 100)).toBe(1750000);
    expect(out.qr).toHaveLength(344);
    const secs = Date.parse('2026-11-24T09:30:00+01:00') / 1000;
    expect(opensslDecrypt(dir, out.qr)).toBe(`{"irn":"${out.irn}.${secs}","certificate":"${CERTIFICATE}"}`);
  });

  it('accepts the older keys file form (PEM then certificate)', () => {
    const dir = withSetup(keyPair().keysFileLegacy);
    const r = cli(dir, ['ingest', '--source', 'canonical', '--file', '-'], JSON.stringify(simpleSale('x')));
    expect(r.code).toBe(0);
    expect(opensslDecrypt(dir, JSON.parse(r.stdout).qr)).toContain(`"certificate":"${CERTIFICATE}"`);
  });

  it('ingesting the same file twice yields one invoice; verify passes, then fails after a direct edit', () => {
    const dir = withSetup();
    const file = writeJson(dir, 'sale.json', sampleSale());
    const first = JSON.parse(cli(dir, ['ingest', '--source', 'canonical', '--file', file]).stdout);
    const second = JSON.parse(cli(dir, ['ingest', '--source', 'canonical', '--file', file]).stdout);
    expect(second.irn).toBe(first.irn);
    expect(second.duplicate).toBe(true);
    const list = JSON.parse(cli(dir, ['invoices', '--date', '2026-11-24', '--json']).stdout);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      irn: first.irn,
      invoice_number: 'T0100000001',
      type: '381',
      status: 'pending_report',
      totals: { payable: '17500.00', tax: '1220.93' },
    });

    const ok = cli(dir, ['verify']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, count: 1 });

    const status = JSON.parse(cli(dir, ['status']).stdout);
    expect(status).toMatchObject({ invoices: 1, chain: { head_counter: 1, verified: false, last_verified: { counter: 1, full: false } } });

    editStoredJson(join(dir, 'ledger.db'), 1, 'sale_json', '8600.00', '8000.00');
    const bad = cli(dir, ['verify']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/chain broken at counter 1 \(T0100000001\): .*edited/);
    const full = cli(dir, ['verify', '--full']);
    expect(full.code).toBe(1);
    expect(full.stderr).toMatch(/chain broken at counter 1 \(T0100000001\): its content does not match its hash/);
  });

  it('verify --full --threads: one thread walks here (same verdict); a count that is not 1–64 is exit 2 naming the option', () => {
    const dir = withSetup();
    cli(dir, ['ingest', '--source', 'canonical', '--file', '-'], JSON.stringify(sampleSale()));
    const one = cli(dir, ['verify', '--full', '--threads', '1']);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({ ok: true, count: 1, from: 0 });
    for (const bad of ['0', '1.5', 'many', '65']) {
      const r = cli(dir, ['verify', '--full', '--threads', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--threads: a whole number from 1 to 64, not "${bad}"`);
    }
  });

  it('show and qr read one invoice; an unknown IRN is exit 2', () => {
    const dir = withSetup();
    const issued = JSON.parse(cli(dir, ['ingest', '--source', 'canonical', '--file', '-'], JSON.stringify(sampleSale())).stdout);
    const shown = JSON.parse(cli(dir, ['show', issued.irn, '--json']).stdout);
    expect(shown).toMatchObject({ irn: issued.irn, hash: issued.hash, counter: 1, qr: issued.qr });
    expect(shown.invoice).toEqual(issued.invoice);
    expect(cli(dir, ['qr', issued.irn]).stdout.trim()).toBe(issued.qr);
    const missing = cli(dir, ['qr', 'NOPE-94ND90NR-20261124']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no invoice NOPE/);
  });

  it('a credit note through ingest references the original IRN', () => {
    const dir = withSetup();
    const orig = JSON.parse(cli(dir, ['ingest', '--source', 'canonical', '--file', '-'], JSON.stringify(sampleSale())).stdout);
    const refund = {
      ...simpleSale('till-0001-r1', '1075.00'),
      lines: [{ ...sampleSale().lines[0]!, quantity: '1', discount: undefined, unit_price: '1075.00' }],
      refund_of: 'till-0001',
    };
    const cn = JSON.parse(cli(dir, ['ingest', '--source', 'canonical', '--file', '-'], JSON.stringify(refund)).stdout);
    expect(cn.invoice.invoice_type_code).toBe('380');
    expect(cn.invoice.billing_reference).toEqual([{ irn: orig.irn, issue_date: '2026-11-24' }]);
  });

  describe('bad input: exit 2, a message naming the problem, nothing written', () => {
    const cases: [string, string, RegExp][] = [
      ['malformed JSON', '{"source": "manual", ', /not valid JSON/],
      ['a field of the wrong form', JSON.stringify(simpleSale('x', '12,50')), /lines\[0\]\.unit_price/],
      [
        'payments falling short',
        JSON.stringify({ ...simpleSale('x', '100.00'), payments: [{ method: 'cash', amount: '90.00' }] }),
        /short by 10\.00/,
      ],
      ['one bad sale in a batch', JSON.stringify([simpleSale('ok1'), { ...simpleSale('bad'), currency: 'naira' }]), /sale\[1\]: currency/],
      ['an empty array', '[]', /no sales/],
    ];
    for (const [name, body, message] of cases) {
      it(name, () => {
        const dir = withSetup();
        const r = cli(dir, ['ingest', '--source', 'canonical', '--file', writeJson(dir, 'in.json', body)]);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(message);
        expect(r.stdout).toBe('');
        expect(JSON.parse(cli(dir, ['verify']).stdout)).toMatchObject({ ok: true, count: 0 });
      });
    }

    it('a missing file, an unknown source and an unknown option', () => {
      const dir = withSetup();
      expect(cli(dir, ['ingest', '--source', 'canonical', '--file', join(dir, 'nope.json')])).toMatchObject({
        code: 2,
        stderr: expect.stringMatching(/--file: cannot read .*ENOENT/),
      });
      expect(cli(dir, ['ingest', '--source', 'myPOS', '--file', '-'], '{}')).toMatchObject({
        code: 2,
        stderr: expect.stringMatching(/--source/),
      });
      expect(cli(dir, ['invoices', '--bogus']).code).toBe(2);
      expect(cli(dir, ['invoices', '--date', '24/11/2026']).stderr).toMatch(/--date: "24\/11\/2026" is not a date/);
    });

    it('a broken keys file at setup', () => {
      for (const [text, message] of [
        ['', /the file is empty/],
        ['{"public_key": ', /does not parse/],
        ['hello world', /neither the JSON form/],
        [JSON.stringify({ public_key: Buffer.from('not a pem').toString('base64'), certificate: 'c' }), /not base64 of a PEM/],
      ] as const) {
        const dir = tempDir();
        const r = setupCli(dir, text);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/crypto_keys\.txt: /);
        expect(r.stderr).toMatch(message);
      }
    });

    it('ingest before setup says what to do, exit 1', () => {
      const dir = tempDir();
      const r = cli(dir, ['ingest', '--source', 'canonical', '--file', '-'], JSON.stringify(simpleSale('x')));
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/not set up: run `taxpoynt-pos setup`/);
    });
  });

  it('the data dir also comes from TAXPOYNT_POS_DATA_DIR', () => {
    const dir = withSetup();
    const r = execFileSync(process.execPath, [join(process.cwd(), 'bin', 'taxpoynt-pos.cjs'), 'verify'], {
      env: { ...process.env, TAXPOYNT_POS_DATA_DIR: dir },
      encoding: 'utf8',
    });
    expect(JSON.parse(r)).toMatchObject({ ok: true, count: 0 });
  });
});
