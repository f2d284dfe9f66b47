// Coverage of the child processes the tests start (the CLI, `serve` and its server process, the
// sync thread), loaded with `--require` through NODE_OPTIONS when TPOS_CHILD_COVERAGE=<dir> is set
// (test/support/child-coverage-setup.ts does that under `npm test`).
//
// Why not NODE_V8_COVERAGE: Node then writes every script of the process plus the whole source-map
// cache (~9 MB per CLI run, ~3 GB per suite) and merging that took minutes. Here the process's own
// inspector records block coverage, and at exit only the functions of our dist/ bundles that hold
// our own code are written (~100 KB): the bundles also carry zod, axios, commander…, whose
// functions are dropped using the zones written next to each bundle (<bundle>.own.json, made by
// test/support/own-code-zones.ts from the source map after the build).
//
// A process killed by a signal (the crash tests SIGKILL on purpose) writes nothing, as before.
'use strict';
const { Session } = require('node:inspector');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join, resolve, sep } = require('node:path');
const { pathToFileURL, fileURLToPath } = require('node:url');
const { isMainThread, threadId } = require('node:worker_threads');

const root = resolve(__dirname, '..', '..');
const dir = process.env.TPOS_CHILD_COVERAGE;
// Only processes running our CLI or a dist/ bundle (and their worker threads) are measured; the
// tests' own helpers (`node -e …`, test-only bundles) run at full speed.
const script = process.argv[1] ? resolve(process.argv[1]) : '';
const ours = !isMainThread || script.startsWith(join(root, 'bin') + sep) || existsSync(`${script}.own.json`);
const distUrl = pathToFileURL(join(root, 'dist')).href + '/';
if (dir && ours) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  // Block coverage with counts, as NODE_V8_COVERAGE records it (binary mode reports fewer blocks:
  // measured on one CLI run, 190 branches instead of 207).
  session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });

  process.on('exit', () => {
    // The inspector answers a same-thread session synchronously, so this completes inside 'exit'.
    session.post('Profiler.takePreciseCoverage', (err, res) => {
      try {
        if (!err) write(res.result);
      } catch {
        // Coverage is best effort: it never changes how the process ends (a directory removed
        // under us, a zones file being rewritten).
      }
    });
  });
}

function write(scripts) {
  const result = [];
  for (const s of scripts) {
    if (!s.url.startsWith(distUrl) || !s.url.endsWith('.cjs')) continue;
    const functions = ownFunctions(fileURLToPath(s.url), s.functions);
    if (functions.length) result.push({ scriptId: s.scriptId, url: s.url, functions });
  }
  if (!result.length) return;
  const name = `child-${process.pid}-${isMainThread ? 0 : threadId}-${Date.now()}.json`;
  writeFileSync(join(dir, name), JSON.stringify({ result }));
}

/**
 * Drops the functions that contain no code of ours (bundled dependencies, esbuild's helpers).
 * Zones are [start, end) character offsets, sorted; a bundle without a zones file (no source
 * map, so the report could not use it) keeps nothing.
 */
function ownFunctions(file, functions) {
  const zonesFile = `${file}.own.json`;
  if (!existsSync(zonesFile)) return [];
  const zones = JSON.parse(readFileSync(zonesFile, 'utf8'));
  return functions.filter((fn) => {
    const { startOffset: s, endOffset: e } = fn.ranges[0];
    // The first zone ending after s: the function holds our code if that zone starts before e.
    let lo = 0;
    let hi = zones.length / 2;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (zones[2 * mid + 1] <= s) lo = mid + 1;
      else hi = mid;
    }
    return lo < zones.length / 2 && zones[2 * lo] < e;
  });
}
