// `npm start`. The terminal app (Electron shell + browser mode, issue #3) is not built yet, so
// this prints the real state of this terminal's ledger and how to use it today, instead of
// pretending to open a window. Replace with the app launcher when the shell lands.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const cli = new URL('../bin/taxpoynt-pos.cjs', import.meta.url).pathname;
if (!existsSync(new URL('../dist/main/cli.cjs', import.meta.url))) {
  execFileSync(process.execPath, [new URL('./build.mjs', import.meta.url).pathname], { stdio: 'inherit' });
}
const run = (args) => {
  try {
    return { ok: true, out: execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (e) {
    return { ok: false, out: String(e.stderr || e.message) };
  }
};

console.log('TaxPoynt POS — fiscal invoicing for this terminal');
console.log('The till and manager screens (Electron / browser mode) are not part of this build yet.');
const status = run(['status']);
if (!status.ok) {
  console.log(`\n${status.out.trim()}`);
} else {
  const st = JSON.parse(status.out);
  console.log(`\nData: ${st.data_dir}`);
  if (!st.set_up) console.log('This terminal is not set up yet. Set it up with:');
  else console.log(`${st.business.name} (TIN ${st.business.tin}), terminal ${st.business.terminal}: ${st.invoices} invoices, hash chain ${st.chain.ok ? 'intact' : `BROKEN: ${st.chain.broken.reason}`}.\nUse:`);
}
console.log('  npx taxpoynt-pos setup --name N --tin T --business-id UUID --service-id ID --keys crypto_keys.txt --terminal T01 --email E');
console.log('  npx taxpoynt-pos ingest --source canonical --file sale.json');
console.log('  npx taxpoynt-pos invoices --date YYYY-MM-DD --json');
console.log('  npx taxpoynt-pos --help');
