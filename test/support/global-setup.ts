// The CLI tests run the real bundled artifact: build it (and the test worker) once before the suite.
// Under `npm test` (child coverage on) also note where our own code sits in each bundle, so the
// child processes write coverage for our code only (test/support/child-coverage.cjs).
import { execFileSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import { writeOwnCodeZones } from './own-code-zones';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  buildSync({
    entryPoints: ['test/support/issue-worker.ts'],
    outfile: 'dist/test/issue-worker.cjs',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['better-sqlite3'],
    sourcemap: true, // mapped back to main/ledger by the coverage report
    logLevel: 'warning',
  });
  if (process.env.TPOS_CHILD_COVERAGE) {
    const started = Date.now();
    writeOwnCodeZones(process.cwd(), ['dist/main', 'dist/test']);
    console.log(`coverage: own-code zones of the dist bundles written in ${Date.now() - started} ms`);
  }
}
