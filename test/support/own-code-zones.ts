// For child-process coverage (test/support/child-coverage.cjs): where in a dist/ bundle our own code
// is. esbuild lays each source file out as one stretch of the bundle, so reading the source map once
// gives a short list of [start, end) character offsets; a child then keeps only the functions that
// overlap one, and drops the bundled dependencies' thousands of functions before writing.
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** The project's own sources (what the coverage report counts), relative to the repository root. */
export const OWN_SOURCES = /^(main|shared|preload|renderer\/src)\//;

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) DIGIT[B64.charCodeAt(i)] = i;
const SEMI = 59; // ';' ends a generated line
const COMMA = 44; // ',' ends a segment

/**
 * Zones of own code in `bundle` as a flat [start0, end0, start1, end1, …] list: a zone starts at a
 * segment mapped to one of our sources and ends where a segment mapped to a dependency starts
 * (unmapped glue in between stays inside, so a wrapper around our module is kept with it).
 * One pass over the VLQ text (bundles' maps are megabytes).
 */
export function ownCodeZones(root: string, bundle: string): number[] {
  const code = readFileSync(bundle, 'utf8');
  const map = JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as { sources: string[]; mappings: string };
  const own = map.sources.map((s) => {
    const rel = relative(root, resolve(dirname(bundle), s))
      .split('\\')
      .join('/');
    return OWN_SOURCES.test(rel) && !rel.includes('node_modules');
  });
  const zones: number[] = [];
  const m = map.mappings;
  let open = -1;
  let lineStart = 0;
  let col = 0;
  let source = 0;
  let field = 0; // which field of the segment the next value is
  let value = 0;
  let shift = 0;
  const endSegment = () => {
    // Segments with one field are unmapped glue: neither ours nor theirs.
    if (field < 4) return;
    const at = lineStart + col;
    if (own[source]) {
      if (open < 0) open = at;
    } else if (open >= 0) {
      zones.push(open, at);
      open = -1;
    }
  };
  for (let i = 0; i <= m.length; i++) {
    const c = i < m.length ? m.charCodeAt(i) : SEMI;
    if (c === SEMI || c === COMMA) {
      if (field > 0) endSegment();
      field = 0;
      if (c === SEMI) {
        col = 0;
        const nl = code.indexOf('\n', lineStart);
        lineStart = nl < 0 ? code.length : nl + 1;
      }
      continue;
    }
    const d = DIGIT[c]!;
    if (d < 0) throw new Error(`${bundle}.map: bad VLQ character "${m[i]}"`);
    value += (d & 31) << shift;
    if (d & 32) {
      shift += 5;
      continue;
    }
    const v = value & 1 ? -(value >>> 1) : value >>> 1;
    value = 0;
    shift = 0;
    if (field === 0) col += v;
    else if (field === 1) source += v;
    field++;
  }
  if (open >= 0) zones.push(open, code.length);
  return zones;
}

/** Writes <bundle>.own.json next to every .cjs with a source map under `dirs` (relative to root). */
export function writeOwnCodeZones(root: string, dirs: string[]): void {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  for (const file of dirs.flatMap((d) => walk(join(root, d)))) {
    if (!file.endsWith('.cjs') || !existsSync(`${file}.map`)) continue;
    // Written aside and renamed: a child exiting meanwhile reads the old file or the new one, never half of one.
    const tmp = `${file}.own.json.${process.pid}`;
    writeFileSync(tmp, JSON.stringify(ownCodeZones(root, file)));
    renameSync(tmp, `${file}.own.json`);
  }
}
