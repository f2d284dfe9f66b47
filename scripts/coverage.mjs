// `npm run coverage`: the whole suite once, with coverage counted where the code really runs:
//  - in the test processes (vitest's v8 provider),
//  - in every child process the tests start (the CLI, `serve`, workers, crash-test children): they
//    run the esbuild bundles in dist/, so Node writes raw V8 coverage to NODE_V8_COVERAGE and we map
//    it back through the bundles' source maps,
//  - in Chromium (the renderer under the e2e tests): test/e2e/support.ts records JS coverage per page
//    when TPOS_RENDERER_COVERAGE is set, mapped back through Vite's source maps.
// The three are merged into one istanbul map; figures are printed and the run fails under the
// threshold (COVERAGE_LINES / COVERAGE_BRANCHES override it, e.g. to ratchet up).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8ToIstanbul from 'v8-to-istanbul';
import libCoverage from 'istanbul-lib-coverage';
import libReport from 'istanbul-lib-report';
import reports from 'istanbul-reports';
import { mergeProcessCovs } from '@bcoe/v8-coverage';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const out = join(root, 'coverage');
const childRaw = join(out, 'raw-children');
const rendererRaw = join(out, 'raw-renderer');
// Lines: the 85 % asked for (89 % measured 2026-11-30). Branches: a ratchet at today's 68 % (the goal is 75 %).
const THRESHOLD = { lines: Number(process.env.COVERAGE_LINES ?? 85), branches: Number(process.env.COVERAGE_BRANCHES ?? 68) };
const SOURCES = /^(main|shared|preload|renderer\/src)\//;

// COVERAGE_SKIP_RUN=1 merges and reports the raw data of the last run again, without running the suite.
const SKIP_RUN = process.env.COVERAGE_SKIP_RUN === '1';
if (!SKIP_RUN) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(childRaw, { recursive: true });
  mkdirSync(rendererRaw, { recursive: true });
}

// 1. The suite. NODE_V8_COVERAGE is inherited by every child the tests spawn.
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
        '--coverage.include=main/**/*.ts',
        '--coverage.include=shared/**/*.ts',
        '--coverage.include=preload/**/*.ts',
        '--coverage.include=renderer/src/**/*.{ts,tsx}',
        ...process.argv.slice(2),
      ],
      { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_V8_COVERAGE: childRaw, TPOS_RENDERER_COVERAGE: rendererRaw } },
    );
// A failed test fails the run, but the figures are still worked out and printed (a flaky test
// must not hide them).
const testsFailed = vitest.status !== 0;
if (testsFailed) console.error(`coverage: the test run failed (exit ${vitest.status ?? vitest.signal}); figures follow`);

const map = libCoverage.createCoverageMap({});
const inProcess = join(out, 'in-process', 'coverage-final.json');
if (existsSync(inProcess)) map.merge(JSON.parse(readFileSync(inProcess, 'utf8')));

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
for (const f of readdirSync(childRaw)) {
  try {
    const raw = JSON.parse(readFileSync(join(childRaw, f), 'utf8'));
    const result = raw.result.filter((s) => s.url.startsWith(distUrl) && s.url.endsWith('.cjs'));
    if (result.length) perProcess.push({ result });
  } catch {
    // A child killed mid-write (the crash tests SIGKILL on purpose) leaves a partial file: skip it.
  }
}
if (perProcess.length) {
  const merged = mergeProcessCovs(perProcess);
  for (const script of merged.result) {
    const file = fileURLToPath(script.url);
    if (!existsSync(`${file}.map`)) continue;
    const conv = v8ToIstanbul(file, 0);
    await conv.load();
    conv.applyCoverage(script.functions);
    addIstanbul(conv.toIstanbul());
  }
}

// 3. The renderer in Chromium: entries {url, source, functions} per page, against dist/renderer/assets.
const rendererEntries = [];
for (const f of readdirSync(rendererRaw)) {
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
for (const [file, covs] of byScript) {
  const [script] = mergeProcessCovs(covs).result;
  const conv = v8ToIstanbul(file, 0, {
    source: readFileSync(file, 'utf8'),
    sourceMap: { sourcemap: JSON.parse(readFileSync(`${file}.map`, 'utf8')) },
  });
  await conv.load();
  conv.applyCoverage(script.functions);
  addIstanbul(conv.toIstanbul());
}

// 4. Report and gate.
writeFileSync(join(out, 'coverage-merged.json'), JSON.stringify(map.toJSON()));
const context = libReport.createContext({ dir: out, coverageMap: map, defaultSummarizer: 'nested' });
for (const r of ['text-summary', 'json-summary', 'html']) reports.create(r).execute(context);
const s = map.getCoverageSummary();
const figures = { lines: s.lines.pct, branches: s.branches.pct, statements: s.statements.pct, functions: s.functions.pct };
console.log(
  `coverage (tests + ${perProcess.length} child processes + ${rendererEntries.length} renderer scripts): ` +
    `lines ${figures.lines}% · branches ${figures.branches}% · statements ${figures.statements}% · functions ${figures.functions}% ` +
    `(threshold lines ${THRESHOLD.lines}%, branches ${THRESHOLD.branches}%; html in coverage/index.html)`,
);
if (testsFailed) process.exit(vitest.status || 1);
const under = ['lines', 'branches'].filter((k) => figures[k] < THRESHOLD[k]);
if (under.length) {
  console.error(`coverage: under the threshold: ${under.map((k) => `${k} ${figures[k]}% < ${THRESHOLD[k]}%`).join(', ')}`);
  process.exit(1);
}
