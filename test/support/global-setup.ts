// The CLI tests run the real bundled artifact: build it (and the test worker) once before the suite.
import { execFileSync } from 'node:child_process';
import { buildSync } from 'esbuild';

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
    logLevel: 'warning',
  });
}
