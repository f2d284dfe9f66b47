// One conversion of a bundle's V8 coverage to istanbul data of its sources, for scripts/coverage.mjs
// (child-process bundles in dist/main, the renderer's in dist/renderer) and the gate's own test.
import { readFileSync } from 'node:fs';
import { convert as astV8ToIstanbul } from 'ast-v8-to-istanbul';
import { parseAstAsync } from 'vite';

// A bundle's V8 coverage as istanbul data of its sources, converted from the bundle's AST as
// vitest converts the in-process data: a file then has the same branches whether a test process,
// a child process or Chromium ran it. (v8-to-istanbul's range-based branches sit elsewhere; merged
// by location with vitest's they added uncovered duplicates instead of covering the real ones.)
// Returned as JSON data: a location that runs to the end of its line has column Infinity here but
// null in vitest's coverage-final.json, and istanbul merges branches by a key built from those
// columns ("Infinity" vs "null"): without the round trip every such branch is counted twice.
export async function bundleToIstanbul(file, script) {
  const code = readFileSync(file, 'utf8');
  const data = await astV8ToIstanbul({
    ast: parseAstAsync(code),
    code,
    wrapperLength: 0,
    coverage: script,
    sourceMap: JSON.parse(readFileSync(`${file}.map`, 'utf8')),
  });
  return JSON.parse(JSON.stringify(data));
}
