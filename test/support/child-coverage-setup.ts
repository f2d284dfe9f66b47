// Under `npm test` (scripts/coverage.mjs sets TPOS_CHILD_COVERAGE), every child process a test
// starts loads test/support/child-coverage.cjs, which records its coverage of our dist/ bundles.
// Set here, in the test worker, rather than on vitest itself: the workers measure their own
// coverage through vitest, and a second profiler in the same process would reset its counters.
import { join } from 'node:path';

const dir = process.env.TPOS_CHILD_COVERAGE;
const preload = `--require "${join(import.meta.dirname, 'child-coverage.cjs')}"`;
if (dir && !(process.env.NODE_OPTIONS ?? '').includes(preload)) {
  process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS, preload].filter(Boolean).join(' ');
}
