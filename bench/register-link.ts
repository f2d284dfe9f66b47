// `npm run bench` (register link): receipts per second on the link. (1) Parsing alone: strip the
// ESC/POS, apply the template, reconcile to a sale. (2) End to end over a real loopback TCP print
// port: bytes in, journalled durably, cut, parsed, issued (durable commit per read) — as one
// stream and as one print job per connection. Fiscal receipt printing is not included.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchLedger } from './bench-ledger';
import { stripToText } from '../shared/sources/register-link/escpos';
import { ReceiptSplitter } from '../shared/sources/register-link/splitter';
import { applyTemplate } from '../shared/sources/register-link/template';
import { reconcile } from '../shared/sources/register-link/reconcile';
import { SAMPLE_TEMPLATES } from '../shared/sources/register-link/sample-templates';
import { RegisterLinkSettingsSchema } from '../shared/sources/register-link/settings';
import { decode } from '../main/sources/register-link/decode';
import { RegisterLinkService } from '../main/sources/register-link/service';
import { nthSupermarketReceipt } from '../test/register-link/sample-receipts';

const N = Number(process.env.BENCH_RECEIPTS ?? 2000);
const template = SAMPLE_TEMPLATES[0]!;
const at = new Date(Date.now() - 600_000);
const receipts = Array.from({ length: N }, (_, i) => nthSupermarketReceipt(i + 1, at));
const stream = Buffer.concat(receipts);

// (1) parse only
{
  const t0 = process.hrtime.bigint();
  const s = new ReceiptSplitter();
  let sales = 0;
  for (const p of [...s.feed(stream), ...s.boundary('end-of-job')]) {
    if (!p.prints) continue;
    const text = stripToText(p.bytes, decode, { codepage: p.codepage });
    const r = reconcile(applyTemplate(text, template), template, { receivedAt: at, fallbackId: 'x', source: 'register-link' });
    if (r.kind === 'sale') sales++;
  }
  const s1 = Number(process.hrtime.bigint() - t0) / 1e9;
  if (sales !== N) throw new Error(`parsed ${sales} sales of ${N}`);
  console.log(
    `parse: ${N} receipts (${(stream.length / 1024).toFixed(0)} KiB) split, stripped, templated, reconciled in ${s1.toFixed(2)} s = ${(N / s1).toFixed(0)} receipts/s`,
  );
}

async function endToEnd(label: string, send: (port: number) => Promise<void>, n: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tpos-bench-rl-'));
  const { db, ledger } = benchLedger(dir);
  const settings = RegisterLinkSettingsSchema.parse({
    links: [{ id: 'bench', mode: 'print', port: { kind: 'tcp', host: '127.0.0.1', port: 0 }, template: template.id }],
  });
  const service = new RegisterLinkService({ db, ledger, settings });
  await service.start();
  const port = service.status()[0]!.port!;
  const count = db.prepare("SELECT COUNT(*) FROM invoices WHERE source = 'register-link'").pluck();
  const t0 = process.hrtime.bigint();
  await send(port);
  while ((count.get() as number) < n) await new Promise((r) => setTimeout(r, 5));
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`${label}: ${n} receipts received, journalled, parsed and issued in ${s.toFixed(2)} s = ${(n / s).toFixed(0)} receipts/s`);
  await service.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
}

function write(port: number, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: '127.0.0.1', port }, () => sock.end(bytes));
    sock.on('error', reject);
    sock.on('close', () => resolve());
  });
}

async function main(): Promise<void> {
  await endToEnd('tcp, one stream', (port) => write(port, stream), N);
  const jobs = Math.min(N, 300);
  await endToEnd(
    'tcp, one job per connection',
    async (port) => {
      for (let i = 0; i < jobs; i++) await write(port, receipts[i]!);
    },
    jobs,
  );
  console.log(`(node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'})`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
