// Bundles the main-process entry points with esbuild (native modules stay external).
// Fast enough (<1 s) to run before every test run, so the CLI tests exercise the real artifact.
import { build } from 'esbuild';

const external = ['better-sqlite3', 'electron', 'serialport', '@serialport/*', 'pdfkit']; // pdfkit reads its font files from its own folder
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, external, logLevel: 'warning' };

await Promise.all([
  build({ ...common, entryPoints: ['main/cli/index.ts'], outfile: 'dist/main/cli.cjs' }),
  build({ ...common, entryPoints: ['bench/issue.ts'], outfile: 'dist/bench/issue.cjs' }),
  build({ ...common, entryPoints: ['bench/day-view.ts'], outfile: 'dist/bench/day-view.cjs' }),
  build({ ...common, entryPoints: ['main/sync/sync-thread.ts'], outfile: 'dist/main/sync-thread.cjs' }),
  build({ ...common, entryPoints: ['main/reports/report-thread.ts'], outfile: 'dist/main/report-thread.cjs' }),
  build({ ...common, entryPoints: ['main/ledger/verify-thread.ts'], outfile: 'dist/main/verify-thread.cjs' }),
  build({ ...common, entryPoints: ['bench/sync.ts'], outfile: 'dist/bench/sync.cjs' }),
  build({ ...common, entryPoints: ['bench/sync-cpu.ts'], outfile: 'dist/bench/sync-cpu.cjs' }),
  build({ ...common, entryPoints: ['bench/register-link.ts'], outfile: 'dist/bench/register-link.cjs' }),
  build({ ...common, entryPoints: ['bench/system.ts'], outfile: 'dist/bench/system.cjs' }),
  build({ ...common, entryPoints: ['bench/reports.ts'], outfile: 'dist/bench/reports.cjs' }),
  // The Electron shell (package.json "main") and its sandboxed preload.
  build({ ...common, entryPoints: ['main/electron/main.ts'], outfile: 'dist/main/electron.cjs' }),
  build({ ...common, entryPoints: ['preload/preload.ts'], outfile: 'dist/preload/preload.cjs' }),
]);

// The renderer (React + zustand) for the Electron window and browser mode: Vite into dist/renderer/.
const { build: viteBuild } = await import('vite');
await viteBuild({ configFile: 'renderer/vite.config.ts', mode: 'production', logLevel: 'warn' });
