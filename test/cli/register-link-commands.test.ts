// `register-link add|remove|list|templates|template-import|test-template|captures|run`
// (main/cli/commands/register-link.ts) in-process on a real ledger: each bad argument is named and
// nothing is saved; a template written for the real XETRON layout is imported and tested against
// the real capture (../shared/fixtures/real-print, read in place).
import { describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { jsonLines, runCli, setUpDataDir } from './run-in-process';
import { REAL_TEMPLATES } from '../register-link/real-templates';
import { tempDir } from '../support/fixture';

const PRINT = resolve(__dirname, '../../../shared/fixtures/real-print');
const present = existsSync(PRINT);
if (!present) console.warn(`skipping test-template on a real capture: ${PRINT} is absent`);

describe('register-link add / remove / list: bad arguments are named and nothing is saved', () => {
  it.each([
    [['--id', 'till-1', '--mode', 'print'], /give exactly one of --serial <path> or --tcp <host:port>/],
    [['--id', 'till-1', '--mode', 'print', '--serial', '/dev/ttyUSB0', '--tcp', '127.0.0.1:9100'], /give exactly one of/],
    [['--id', 'till-1', '--mode', 'print', '--tcp', '127.0.0.1'], /--tcp: "127\.0\.0\.1" is not host:port/],
    [['--id', 'till-1', '--mode', 'sales', '--serial', '/dev/ttyUSB0', '--baud', 'fast'], /--baud: "fast" is not a number/],
    [['--id', 'till-1', '--mode', 'print', '--tcp', '127.0.0.1:9100', '--idle-gap-ms', '-5'], /--idle-gap-ms: "-5" is not a number/],
    [['--id', 'till-1', '--mode', 'fax', '--tcp', '127.0.0.1:9100'], /mode/],
    [['--id', 'till-1', '--mode', 'print', '--tcp', '192.168.1.20:9100'], /allow/i],
    [
      ['--id', 'till-1', '--mode', 'print', '--tcp', '127.0.0.1:9100'],
      /registerLink: links\.0\.template: a print-capture link needs a template/,
    ],
  ] as [string[], RegExp][])('add %j', async (args, message) => {
    const dir = setUpDataDir();
    const r = await runCli(dir, ['register-link', 'add', ...args]);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(jsonLines((await runCli(dir, ['register-link', 'list'])).stdout)).toEqual([[]]);
  });

  it('a loopback print port is added, listed with its counts, replaced by id, and removed; an unknown id is named', async () => {
    const dir = setUpDataDir();
    const tpl = join(dir, 'de-xetron.json');
    writeFileSync(tpl, JSON.stringify(REAL_TEMPLATES.find((t) => t.id === 'de-xetron')));
    await runCli(dir, ['register-link', 'template-import', tpl]);
    const add = (extra: string[]) =>
      runCli(dir, [
        'register-link',
        'add',
        '--id',
        'till-1',
        '--mode',
        'print',
        '--tcp',
        '127.0.0.1:9100',
        '--template',
        'de-xetron',
        ...extra,
      ]);
    expect(jsonLines((await add(['--reconnect-ms', '2000'])).stdout)[0]).toMatchObject({
      id: 'till-1',
      mode: 'print',
      port: { kind: 'tcp', port: 9100 },
    });
    const replaced = await add(['--idle-gap-ms', '800']);
    expect(replaced.stderr).toBe('');
    expect(jsonLines(replaced.stdout)[0]).toMatchObject({ id: 'till-1', idleGapMs: 800 });
    const [links] = jsonLines((await runCli(dir, ['register-link', 'list'])).stdout) as unknown as [unknown[]];
    expect(links).toHaveLength(1);
    const gone = await runCli(dir, ['register-link', 'remove', 'till-9']);
    expect(gone.stderr).toMatch(/id: no link "till-9"/);
    expect(gone.code).toBe(2);
    expect((await runCli(dir, ['register-link', 'remove', 'till-1'])).code).toBe(0);
    expect(jsonLines((await runCli(dir, ['register-link', 'list'])).stdout)).toEqual([[]]);
  });

  it('run: not set up, then no enabled link', async () => {
    const bare = await runCli(tempDir('tpos-rl-bare-'), ['register-link', 'run']);
    expect(bare.stderr).toMatch(/this terminal is not set up: run `taxpoynt-pos setup` first/);
    const r = await runCli(setUpDataDir(), ['register-link', 'run']);
    expect(r.stderr).toMatch(/no enabled link: add one with `register-link add`/);
    expect(r.code).toBe(2);
  });

  it('captures: a status that does not exist is named; none stored lists nothing', async () => {
    const dir = setUpDataDir();
    const r = await runCli(dir, ['register-link', 'captures', '--status', 'lost']);
    expect(r.stderr).toMatch(/--status: "lost" is not issued, review, rejected or not_sale/);
    expect(r.code).toBe(2);
    expect((await runCli(dir, ['register-link', 'captures', '--status', 'review'])).code).toBe(0);
  });
});

describe('register-link templates', () => {
  it('template-import names what is wrong in a template; test-template names a missing template, file or capture', async () => {
    const dir = setUpDataDir();
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ id: 'Bad Id', name: 'x', fields: { item: [], total: [{ pattern: '(' }] } }));
    const imp = await runCli(dir, ['register-link', 'template-import', bad]);
    expect(imp.stderr).toMatch(/id: must be lower-case letters, digits and dashes/);
    expect(imp.stderr).toMatch(/fields\.item: a template needs at least one item pattern/);
    expect(imp.stderr).toMatch(/fields\.total\.0\.pattern: is not a valid regular expression/);
    expect(imp.code).toBe(2);
    const notJson = join(dir, 'n.json');
    writeFileSync(notJson, '{');
    expect((await runCli(dir, ['register-link', 'template-import', notJson])).stderr).toMatch(/template: not valid JSON/);

    const none = await runCli(dir, ['register-link', 'test-template', 'de-xetron', join(dir, 'r.bin')]);
    expect(none.stderr).toMatch(/template: no template "de-xetron" \(see register-link templates\)/);
    const good = join(dir, 'de-xetron.json');
    writeFileSync(good, JSON.stringify(REAL_TEMPLATES.find((t) => t.id === 'de-xetron')));
    expect(jsonLines((await runCli(dir, ['register-link', 'template-import', good])).stdout)).toEqual([{ imported: 'de-xetron' }]);
    expect(
      (jsonLines((await runCli(dir, ['register-link', 'templates'])).stdout)[0] as unknown as { id: string }[]).map((t) => t.id),
    ).toContain('de-xetron');
    const cases: [string[], RegExp][] = [
      [[join(dir, 'absent.bin')], /file: cannot read .*absent\.bin \(ENOENT\)/],
      [[], /give a file \(- for stdin\) or --capture <id>/],
      [['--capture', '7'], /--capture: no capture 7/],
      [['--capture', 'x'], /--capture: "x" is not a number/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(dir, ['register-link', 'test-template', 'de-xetron', ...args]);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.code).toBe(2);
    }
  });

  it.skipIf(!present)('test-template on the real XETRON receipt: a sale of 7.80; on its order ticket: not a sale (exit 2)', async () => {
    const dir = setUpDataDir();
    const good = join(dir, 'de-xetron.json');
    writeFileSync(good, JSON.stringify(REAL_TEMPLATES.find((t) => t.id === 'de-xetron')));
    await runCli(dir, ['register-link', 'template-import', good]);
    const sale = await runCli(dir, ['register-link', 'test-template', 'de-xetron', join(PRINT, 'eckpos_de-gastro_receipt-seq87.bin')]);
    expect(sale.code).toBe(0);
    expect(jsonLines(sale.stdout)[0]).toMatchObject({ result: { kind: 'sale', totalKobo: 780 } });
    const ticket = await runCli(dir, ['register-link', 'test-template', 'de-xetron', join(PRINT, 'eckpos_de-gastro_order-ticket.bin')]);
    expect(jsonLines(ticket.stdout)[0]).toMatchObject({ result: { kind: 'not_sale' } });
    expect(ticket.code).toBe(2);
  });
});
