// `npm test` (and `npm run coverage`, the same): the whole suite once, with coverage counted where
// the code really runs:
//  - in the test processes (vitest's v8 provider),
//  - in every child process the tests start (the CLI, `serve`, workers, the sync thread): they run
//    the esbuild bundles in dist/; test/support/child-coverage.cjs (preloaded through NODE_OPTIONS
//    when TPOS_CHILD_COVERAGE is set) writes each process's coverage of our own code in them, and
//    it is mapped back through the bundles' source maps,
//  - in Chromium (the renderer under the e2e tests): test/e2e/support.ts records JS coverage per page
//    when TPOS_RENDERER_COVERAGE is set, mapped back through Vite's source maps.
// The three are merged into one istanbul map; the figures are printed and the run fails when a test
// failed or a figure is under the threshold: package.json "coverageThreshold" (COVERAGE_LINES /
// COVERAGE_BRANCHES override it for one run). Arguments are passed to vitest (e.g. a test file).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleToIstanbul } from './coverage-convert.mjs';
import libCoverage from 'istanbul-lib-coverage';
import libReport from 'istanbul-lib-report';
import reports from 'istanbul-reports';
import { mergeProcessCovs } from '@bcoe/v8-coverage';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
// COVERAGE_DIR: where the raw data and the report go (default coverage/; the gate's own test uses a temp dir).
const out = process.env.COVERAGE_DIR ? resolve(process.env.COVERAGE_DIR) : join(root, 'coverage');
const childRaw = join(out, 'raw-children');
const rendererRaw = join(out, 'raw-renderer');
// One place for the threshold: package.json "coverageThreshold" ({ lines, branches } in %).
const configured = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).coverageThreshold ?? {};
const THRESHOLD = {
  lines: Number(process.env.COVERAGE_LINES || configured.lines),
  branches: Number(process.env.COVERAGE_BRANCHES || configured.branches),
};
for (const [k, v] of Object.entries(THRESHOLD)) {
  if (!Number.isFinite(v) || v < 0 || v > 100) {
    console.error(
      `coverage: the ${k} threshold is not a percentage (package.json "coverageThreshold".${k} or COVERAGE_${k.toUpperCase()}: ${v})`,
    );
    process.exit(2);
  }
}
// Product code only. test/** is never counted: vitest's v8 provider reports every file a test
// loaded (test/fakes/*, test helpers) even with --coverage.include, and test code covering
// itself would inflate the product figure. The same rule filters all three sources below.
const SOURCES = /^(main|shared|preload|renderer\/src)\//;
const INCLUDE = ['main/**/*.ts', 'shared/**/*.ts', 'preload/**/*.ts', 'renderer/src/**/*.{ts,tsx}'];
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

// COVERAGE_SKIP_RUN=1 merges and reports the raw data of the last run again, without running the suite.
const SKIP_RUN = process.env.COVERAGE_SKIP_RUN === '1';
if (!SKIP_RUN) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(childRaw, { recursive: true });
  mkdirSync(rendererRaw, { recursive: true });
}

// 1. The suite. TPOS_CHILD_COVERAGE reaches every child the tests spawn (see child-coverage-setup.ts).
const runStarted = Date.now();
const vitest = SKIP_RUN
  ? { status: 0, signal: null }
  : spawnSync(
      process.execPath,
      [
        join(root, 'node_modules/vitest/vitest.mjs'),
        'run',
        '--coverage.enabled=true',
        '--coverage.provider=v8',
        '--coverage.reporter=json',
        '--coverage.reportOnFailure=true',
        `--coverage.reportsDirectory=${join(out, 'in-process')}`,
        ...INCLUDE.map((g) => `--coverage.include=${g}`),
        '--coverage.exclude=test/**',
        ...process.argv.slice(2),
      ],
      { cwd: root, stdio: 'inherit', env: { ...process.env, TPOS_CHILD_COVERAGE: childRaw, TPOS_RENDERER_COVERAGE: rendererRaw } },
    );
// A failed test fails the run, but the figures are still worked out and printed (a flaky test
// must not hide them).
const runMs = Date.now() - runStarted;
const mergeStarted = Date.now();
const testsFailed = vitest.status !== 0;
if (testsFailed) console.error(`coverage: the test run failed (exit ${vitest.status ?? vitest.signal}); figures follow`);

const map = libCoverage.createCoverageMap({});
const inProcess = join(out, 'in-process', 'coverage-final.json');
// Renderer files no test process loaded come from vitest as all-zero placeholders; they are
// counted only if Chromium did not run them either (see 3.).
const rendererPlaceholders = {};
if (existsSync(inProcess)) {
  for (const [file, cov] of Object.entries(JSON.parse(readFileSync(inProcess, 'utf8')))) {
    const untouched = [cov.s, cov.f, cov.b].every((counts) =>
      Object.values(counts)
        .flat()
        .every((c) => c === 0),
    );
    if (untouched && file.startsWith(join(root, 'renderer', 'src') + '/')) rendererPlaceholders[file] = cov;
    else map.merge({ [file]: cov });
  }
}

// Keeps only what maps to the project's own sources, keyed by their absolute path.
function addIstanbul(data) {
  for (const [file, cov] of Object.entries(data)) {
    const rel = file.startsWith(root) ? file.slice(root.length + 1) : file;
    if (SOURCES.test(rel) && !rel.includes('node_modules')) map.merge({ [file]: cov });
  }
}

// 2. Child processes: merge every process's coverage of each dist bundle, then convert once per bundle.
const distUrl = pathToFileURL(join(root, 'dist')).href + '/';
const perProcess = [];
for (const f of existsSync(childRaw) ? readdirSync(childRaw) : []) {
  try {
    const raw = JSON.parse(readFileSync(join(childRaw, f), 'utf8'));
    const result = raw.result.filter((s) => s.url.startsWith(distUrl) && s.url.endsWith('.cjs'));
    if (result.length) perProcess.push({ result });
  } catch {
    // A child killed while writing leaves a partial file: skip it.
  }
}
if (perProcess.length) {
  const merged = mergeProcessCovs(perProcess);
  for (const script of merged.result) {
    const file = fileURLToPath(script.url);
    if (!existsSync(`${file}.map`)) continue;
    addIstanbul(await bundleToIstanbul(file, script));
  }
}

// 3. The renderer in Chromium: entries {url, source, functions} per page, against dist/renderer/assets.
const rendererEntries = [];
for (const f of existsSync(rendererRaw) ? readdirSync(rendererRaw) : []) {
  try {
    rendererEntries.push(...JSON.parse(readFileSync(join(rendererRaw, f), 'utf8')));
  } catch {
    // partial file from an interrupted test: skip
  }
}
const byScript = new Map();
for (const e of rendererEntries) {
  const name = new URL(e.url).pathname.split('/').pop();
  const file = join(root, 'dist', 'renderer', 'assets', name ?? '');
  if (!name || !existsSync(`${file}.map`)) continue;
  const list = byScript.get(file) ?? [];
  list.push({ result: [{ scriptId: '0', url: pathToFileURL(file).href, functions: e.functions }] });
  byScript.set(file, list);
}
for (const [file, covs] of byScript) addIstanbul(await bundleToIstanbul(file, mergeProcessCovs(covs).result[0]));
for (const [file, cov] of Object.entries(rendererPlaceholders)) if (!map.data[file]) map.merge({ [file]: cov });

// 4. Report and gate. First the same path rule for the in-process data: vitest lists test files
// it loaded (test/fakes/*, helpers) whatever the include list says.
for (const file of map.files()) {
  const rel = file.startsWith(root) ? file.slice(root.length + 1) : file;
  if (!SOURCES.test(rel) || rel.includes('node_modules')) delete map.data[file];
}
const mergeMs = Date.now() - mergeStarted;
writeFileSync(join(out, 'coverage-merged.json'), JSON.stringify(map.toJSON()));
const context = libReport.createContext({ dir: out, coverageMap: map, defaultSummarizer: 'nested' });
for (const r of ['text-summary', 'json-summary', 'html']) reports.create(r).execute(context);
const s = map.getCoverageSummary();
const figures = { lines: s.lines.pct, branches: s.branches.pct, statements: s.statements.pct, functions: s.functions.pct };
console.log(
  `coverage (tests + ${perProcess.length} child processes + ${rendererEntries.length} renderer scripts): ` +
    `lines ${figures.lines}% · branches ${figures.branches}% · statements ${figures.statements}% · functions ${figures.functions}% ` +
    `(threshold lines ${THRESHOLD.lines}%, branches ${THRESHOLD.branches}%; html in ${join(out, 'index.html')})`,
);
console.log(
  `coverage: tests ${SKIP_RUN ? 'not run (COVERAGE_SKIP_RUN=1)' : seconds(runMs)}, merge and report ${seconds(Date.now() - mergeStarted)} (merge ${seconds(mergeMs)})`,
);
const under = ['lines', 'branches'].filter((k) => figures[k] < THRESHOLD[k]);
if (under.length) {
  console.error(
    `coverage: FAILED — under the threshold: ${under.map((k) => `${k} ${figures[k]}% < ${THRESHOLD[k]}%`).join(', ')} ` +
      '(package.json "coverageThreshold")',
  );
}
if (testsFailed) console.error(`coverage: FAILED — the test run failed (exit ${vitest.status ?? vitest.signal}); see above`);
if (testsFailed || under.length) process.exit(1);
