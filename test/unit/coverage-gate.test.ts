// The coverage gate itself (scripts/coverage.mjs, test/support/child-coverage.cjs):
//  - a child process's preload writes only our own code's functions, and the report built from them
//    is the same as from Node's full NODE_V8_COVERAGE output of the same run;
//  - the gate names the metric that is under the threshold, and reads the threshold from package.json.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import libCoverage from 'istanbul-lib-coverage';
import { bundleToIstanbul } from '../../scripts/coverage-convert.mjs';
import { CLI, tempDir } from '../support/fixture';
import { OWN_SOURCES, writeOwnCodeZones } from '../support/own-code-zones';

const root = process.cwd();
const PRELOAD = join(root, 'test', 'support', 'child-coverage.cjs');

/** One `status` run's coverage of cli.cjs, as lines/branches covered of our own sources. */
async function ownSummary(dir: string) {
  const files = readdirSync(dir);
  expect(files).toHaveLength(1);
  const raw = JSON.parse(readFileSync(join(dir, files[0]!), 'utf8')) as {
    result: { scriptId: string; url: string; functions: unknown[] }[];
  };
  const script = raw.result.find((s) => s.url.endsWith('/dist/main/cli.cjs'))!;
  const map = libCoverage.createCoverageMap({});
  for (const [file, cov] of Object.entries(await bundleToIstanbul(fileURLToPath(script.url), script))) {
    const rel = file.slice(root.length + 1);
    if (file.startsWith(root) && OWN_SOURCES.test(rel)) map.merge({ [file]: cov });
  }
  const s = map.getCoverageSummary();
  return { files: map.files().length, lines: [s.lines.covered, s.lines.total], branches: [s.branches.covered, s.branches.total] };
}

describe('child-process coverage', () => {
  it("keeps only our code's functions (a fraction of the file) and reports the same figures as NODE_V8_COVERAGE", async () => {
    writeOwnCodeZones(root, ['dist/main']);
    const data = tempDir('tpos-cov-data-');
    // A first run creates the ledger (migrations): the two measured runs below then do the same work.
    expect(spawnSync(process.execPath, [CLI, '--data-dir', data, 'status']).status).toBe(0);
    const full = tempDir('tpos-cov-full-');
    const ours = tempDir('tpos-cov-ours-');
    const run = (env: NodeJS.ProcessEnv) =>
      spawnSync(process.execPath, [CLI, '--data-dir', data, 'status'], { env: { ...process.env, NODE_OPTIONS: '', ...env } });
    expect(run({ NODE_V8_COVERAGE: full }).status).toBe(0);
    expect(run({ TPOS_CHILD_COVERAGE: ours, NODE_OPTIONS: `--require "${PRELOAD}"` }).status).toBe(0);

    const size = (dir: string) => statSync(join(dir, readdirSync(dir)[0]!)).size;
    expect(size(ours)).toBeLessThan(size(full) / 20); // measured: ~110 KB against ~9 MB
    const kept = JSON.parse(readFileSync(join(ours, readdirSync(ours)[0]!), 'utf8')) as { result: { url: string }[] };
    expect(kept.result.map((s) => s.url)).toEqual([expect.stringMatching(/\/dist\/main\/cli\.cjs$/)]);

    const [a, b] = [await ownSummary(full), await ownSummary(ours)];
    expect(a.files).toBeGreaterThan(50);
    expect(a.lines[0]).toBeGreaterThan(0);
    expect(b).toEqual(a);
  }, 120_000);

  it('a `node -e` helper under the preload writes nothing (only our CLI and dist bundles are measured)', () => {
    const dir = tempDir('tpos-cov-none-');
    const r = spawnSync(process.execPath, ['-e', 'process.exit(0)'], {
      env: { ...process.env, TPOS_CHILD_COVERAGE: dir, NODE_OPTIONS: `--require "${PRELOAD}"` },
    });
    expect(r.status).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('the gate', () => {
  /** A report of one file: 4 statements on 4 lines (3 run: lines 75 %), one if with 2 arms (1 taken: branches 50 %). */
  function fakeRun(extra: Record<string, unknown> = {}): string {
    const out = tempDir('tpos-cov-gate-');
    for (const d of ['in-process', 'raw-children', 'raw-renderer']) mkdirSync(join(out, d));
    const file = join(root, 'main', 'example.ts');
    writeFileSync(join(out, 'in-process', 'coverage-final.json'), JSON.stringify({ [file]: fileCoverage(file), ...extra }));
    return out;
  }
  const loc = (line: number) => ({ start: { line, column: 0 }, end: { line, column: 10 } });
  /** 4 statements on 4 lines, `run` of them run; one if with 2 arms, `arms` taken. */
  function fileCoverage(file: string, run = 3, arms: [number, number] = [1, 0]) {
    return {
      path: file,
      statementMap: { 0: loc(1), 1: loc(2), 2: loc(3), 3: loc(4) },
      s: { 0: 1, 1: run > 1 ? 1 : 0, 2: run > 2 ? 1 : 0, 3: run > 3 ? 1 : 0 },
      fnMap: {},
      f: {},
      branchMap: { 0: { loc: loc(2), type: 'if', locations: [loc(2), loc(3)], line: 2 } },
      b: { 0: arms },
    };
  }
  const gate = (out: string, env: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, ['scripts/coverage.mjs'], {
      encoding: 'utf8',
      env: { ...process.env, COVERAGE_SKIP_RUN: '1', COVERAGE_DIR: out, COVERAGE_LINES: '', COVERAGE_BRANCHES: '', ...env },
    });

  it('prints the figures and fails naming the metric under the threshold', () => {
    const r = gate(fakeRun(), { COVERAGE_LINES: '70', COVERAGE_BRANCHES: '60' });
    expect(r.stdout).toMatch(/lines 75% · branches 50% .*\(threshold lines 70%, branches 60%/);
    expect(r.stderr).toMatch(/coverage: FAILED — under the threshold: branches 50% < 60%/);
    expect(r.stderr).not.toMatch(/lines 75% </);
    expect(r.status).toBe(1);
  });

  it('passes at or above both figures', () => {
    const r = gate(fakeRun(), { COVERAGE_LINES: '75', COVERAGE_BRANCHES: '50' });
    expect(r.stderr).not.toMatch(/FAILED/);
    expect(r.status).toBe(0);
  });

  it('without an override the threshold is package.json "coverageThreshold"', () => {
    const { lines, branches } = (
      JSON.parse(readFileSync('package.json', 'utf8')) as { coverageThreshold: { lines: number; branches: number } }
    ).coverageThreshold;
    const env: NodeJS.ProcessEnv = { ...process.env, COVERAGE_SKIP_RUN: '1', COVERAGE_DIR: fakeRun() };
    delete env.COVERAGE_LINES;
    delete env.COVERAGE_BRANCHES;
    const r = spawnSync(process.execPath, ['scripts/coverage.mjs'], { encoding: 'utf8', env });
    expect(r.stdout).toContain(`(threshold lines ${lines}%, branches ${branches}%`);
    expect(r.stderr).toMatch(new RegExp(`lines 75% < ${lines}%, branches 50% < ${branches}%`));
    expect(r.status).toBe(1);
  });

  it('test code (test/fakes, helpers) loaded by the tests is not counted as product coverage', () => {
    // vitest's v8 provider reports every file a test imported, include list or not: a fully covered
    // fake server would lift the product figure. Here it would make lines 87.5 % and branches 75 %.
    const fake = join(root, 'test', 'fakes', 'example-api.ts');
    const r = gate(fakeRun({ [fake]: fileCoverage(fake, 4, [1, 1]) }), { COVERAGE_LINES: '75', COVERAGE_BRANCHES: '50' });
    expect(r.stdout).toMatch(/lines 75% · branches 50% /);
    expect(r.status).toBe(0);
  });

  it('a threshold that is not a percentage is refused by name', () => {
    const r = gate(fakeRun(), { COVERAGE_LINES: '85', COVERAGE_BRANCHES: 'lots' });
    expect(r.stderr).toMatch(/the branches threshold is not a percentage/);
    expect(r.status).toBe(2);
  });
});
