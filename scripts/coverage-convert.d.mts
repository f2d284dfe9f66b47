// Types for scripts/coverage-convert.mjs (plain JS: run by node without a build step).
import type { CoverageMapData } from 'istanbul-lib-coverage';

/** One script's V8 coverage (as Node or Chromium reports it) against a bundle with a .map beside it. */
export function bundleToIstanbul(file: string, script: { url: string; functions: unknown[] }): Promise<CoverageMapData>;
