// `npm run screenshots`: runs the e2e tests that photograph the screens, writing the README's
// images into docs/screenshots/ (a normal `npm test` writes them under test-results/ instead).
import { spawnSync } from 'node:child_process';

const r = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', 'test/e2e', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, TPOS_SCREENSHOTS: 'update' },
});
process.exit(r.status ?? 1);
