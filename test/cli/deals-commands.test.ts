// `ingest --source <crm>` and `deals list|credit|keep` (main/cli/commands/crm.ts) in-process on a
// real ledger: every kind of bad input is refused with a message naming it, before anything is
// written; a won Pipedrive deal (the v2 shapes of the published API, test/sources/crm/pipedrive-deal.ts)
// is issued once and listed.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonLines, runCli, setUpDataDir } from './run-in-process';
import { pipedriveDeal } from '../sources/crm/pipedrive-deal';
import { tempDir } from '../support/fixture';

const file = (dir: string, name: string, body: unknown) => {
  const f = join(dir, name);
  writeFileSync(f, typeof body === 'string' ? body : JSON.stringify(body));
  return f;
};

describe('ingest --source <crm>: bad input', () => {
  it('names the file, the options file and an empty array', async () => {
    const dir = setUpDataDir();
    const cases: [string[], RegExp][] = [
      [['--file', file(dir, 'n.json', '5')], /n\.json: expected pipedrive JSON \(an object or an array\)/],
      [['--file', file(dir, 'e.json', '[]')], /the file holds an empty array: no deals to ingest/],
      [['--file', file(dir, 'bad.json', '{"deal":')], /bad\.json: not valid JSON/],
      [['--file', join(dir, 'absent.json')], /--file: cannot read .*absent\.json \(ENOENT\)/],
      [
        ['--file', file(dir, 'd.json', pipedriveDeal()), '--options', file(dir, 'o.json', '[1]')],
        /--options: must be a JSON object of CRM mapper options/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(dir, ['ingest', '--source', 'pipedrive', ...args]);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.code).toBe(2);
    }
    expect((await runCli(dir, ['deals', 'list'])).stdout).toBe(''); // nothing was written
  });

  it('a terminal that is not set up is told so', async () => {
    const dir = tempDir('tpos-cli-bare-');
    const r = await runCli(dir, ['ingest', '--source', 'pipedrive', '--file', file(dir, 'd.json', pipedriveDeal())]);
    expect(r.stderr).toMatch(/this terminal is not set up: run `taxpoynt-pos setup`/);
    expect(r.code).toBe(1);
  });
});

describe('a won Pipedrive deal through ingest and deals', () => {
  it('is issued once (the second ingest is a duplicate), listed, and not creditable without a review', async () => {
    const dir = setUpDataDir();
    const deal = file(dir, 'deal.json', pipedriveDeal());
    const first = await runCli(dir, ['ingest', '--source', 'pipedrive', '--file', deal, '--currency', 'NGN', '--tin-field', 'tin']);
    expect(first.stderr).toBe('');
    const [issued] = jsonLines(first.stdout);
    expect(issued).toMatchObject({ outcome: 'issued', source: 'pipedrive', deal_id: '42', payable: '21500.00', duplicate: false });
    const again = jsonLines((await runCli(dir, ['ingest', '--source', 'pipedrive', '--file', deal])).stdout);
    expect(again).toEqual([expect.objectContaining({ outcome: 'duplicate', irn: issued!.irn, duplicate: true })]);

    const listed = jsonLines((await runCli(dir, ['deals', 'list', '--source', 'pipedrive', '--state', 'invoiced'])).stdout);
    expect(listed).toEqual([
      expect.objectContaining({ source: 'pipedrive', deal_id: '42', state: 'invoiced', irn: issued!.irn, amount: '21500.00' }),
    ]);
    expect((await runCli(dir, ['deals', 'list', '--state', 'review'])).stdout).toBe('');

    const keep = await runCli(dir, ['deals', 'keep', 'pipedrive', '42']);
    expect(keep.stderr).toMatch(/pipedrive deal 42 is not waiting for a credit-note decision/);
    expect(keep.code).toBe(2);
  });
});

describe('deals: bad arguments', () => {
  it('names the unknown CRM, state and deal', async () => {
    const dir = setUpDataDir();
    const cases: [string[], RegExp][] = [
      [['deals', 'list', '--source', 'zoho'], /--source: "zoho" is not one of hubspot, salesforce, pipedrive/],
      [['deals', 'list', '--state', 'paid'], /--state: "paid" is not one of /],
      [['deals', 'credit', 'zoho', '1'], /crm: "zoho" is not one of hubspot, salesforce, pipedrive/],
      [['deals', 'credit', 'hubspot', '404'], /hubspot deal 404 is not known here/],
      [['deals', 'keep', 'salesforce', '006x'], /salesforce deal 006x is not waiting for a credit-note decision/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(dir, args);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.code).toBe(2);
    }
  });
});
