// `npm start`: the Electron app when its binary is installed; otherwise (e.g. a headless store
// server, or this build machine) browser mode, printing the URL to open. Builds first if needed.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const need = ['dist/main/cli.cjs', 'dist/main/electron.cjs', 'dist/preload/preload.cjs', 'dist/renderer/index.html'];
if (need.some((f) => !existsSync(new URL(`../${f}`, import.meta.url)))) {
  execFileSync(process.execPath, [fileURLToPath(new URL('./build.mjs', import.meta.url))], { stdio: 'inherit', cwd: root });
}

/** The Electron binary's path, or why there is none. */
function electronBinary() {
  try {
    const path = createRequire(import.meta.url)('electron'); // the package exports the binary's path
    return typeof path === 'string' && existsSync(path) ? { path } : { reason: `no Electron binary at ${path}` };
  } catch (e) {
    return { reason: `Electron is not installed (${e.message.split('\n')[0]})` };
  }
}

const args = process.argv.slice(2);
const electron = process.env.TAXPOYNT_POS_BROWSER ? { reason: 'TAXPOYNT_POS_BROWSER is set' } : electronBinary();
const child = electron.path
  ? spawn(electron.path, [root, ...args], { stdio: 'inherit' })
  : (console.log(`${electron.reason}: starting browser mode instead.`),
    spawn(process.execPath, [fileURLToPath(new URL('../bin/taxpoynt-pos.cjs', import.meta.url)), ...args, 'serve'], { stdio: 'inherit' }));

// Ctrl+C reaches the child through the terminal; forward TERM so a supervisor's stop is clean too.
process.on('SIGTERM', () => child.kill('SIGTERM'));
process.on('SIGINT', () => {
  /* the child got it from the terminal and finishes its work */
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
