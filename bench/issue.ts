// `npm run bench`: issue a 10-line sale end to end (durable commit), against the floor of the
// unavoidable work: one durable SQLite commit of the same size + one RSA encryption + one SHA-256.
import { constants, createHash, publicEncrypt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchLedger } from './bench-ledger';

const N = Number(process.env.BENCH_SALES ?? 2000);
const WARMUP = 200;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const ms = (ns: bigint) => Number(ns) / 1e6;

function sale(i: number) {
  return {
    source: 'manual',
    external_id: `bench-${i}`,
    occurred_at: new Date().toISOString(),
    currency: 'NGN',
    lines: Array.from({ length: 10 }, (_, l) => ({
      name: `Item ${l}`,
      sku: `SKU${l}`,
      quantity: l % 3 === 0 ? '1.25' : '2',
      unit_price: `${100 + l}.50`,
      ...(l === 4 ? { discount: '10.00' } : {}),
      tax:
        l === 7 ? { category: 'ZERO_VAT', rate: '0', inclusive: false } : { category: 'STANDARD_VAT', rate: '7.5', inclusive: l % 2 === 0 },
    })),
    payments: [{ method: 'cash', amount: '5000.00' }],
  };
}

const dir = mkdtempSync(join(tmpdir(), 'tpos-bench-'));
const { db, ledger, publicKey } = benchLedger(dir);

// Floor: the same durable commit size, one RSA-2048 PKCS#1 v1.5 encryption, one SHA-256.
db.exec('CREATE TABLE floor (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
const insert = db.prepare('INSERT INTO floor (body) VALUES (?)');
const plain = Buffer.from('{"irn":"T0100000001-94ND90NR-20261124.1795509000","certificate":"Y2VydGlmaWNhdGUtZGVtby0xMjM0NTY3ODkw"}');
const rowBytes = (() => {
  const r = ledger.issue(sale(-1)).invoice;
  return JSON.stringify(r.invoice).length + JSON.stringify(r.sale).length + r.qr.length;
})();
const body = 'x'.repeat(rowBytes);

// Issue end to end (validate, compute, number, IRN, QR, chain, invoice + outbox rows, durable
// commit) and the floor, alternating, so both see the same disk and CPU conditions.
const issueTimes: number[] = [];
const floorTimes: number[] = [];
for (let i = 0; i < N + WARMUP; i++) {
  const s = sale(i);
  const t0 = process.hrtime.bigint();
  ledger.issue(s);
  const t1 = process.hrtime.bigint();
  insert.run(body);
  publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, plain);
  createHash('sha256').update(body).digest('hex');
  const t2 = process.hrtime.bigint();
  if (i >= WARMUP) {
    issueTimes.push(ms(t1 - t0));
    floorTimes.push(ms(t2 - t1));
  }
}
const verifyStart = process.hrtime.bigint();
const verified = ledger.verify();
const verifyMs = ms(process.hrtime.bigint() - verifyStart);
db.close();
rmSync(dir, { recursive: true, force: true });

issueTimes.sort((a, b) => a - b);
floorTimes.sort((a, b) => a - b);
const p50 = percentile(issueTimes, 50);
const p99 = percentile(issueTimes, 99);
const f50 = percentile(floorTimes, 50);
const f99 = percentile(floorTimes, 99);
const f = (x: number) => x.toFixed(3);
const cpu = cpus()[0]?.model ?? 'unknown CPU';

console.log(`TaxPoynt POS bench: ${N} sales of 10 lines (after ${WARMUP} warm-up), ${cpus().length} × ${cpu}, Node ${process.version}`);
console.log('');
console.log('| measure | p50 (ms) | p99 (ms) |');
console.log('|---|---|---|');
console.log(`| issue(sale), durable | ${f(p50)} | ${f(p99)} |`);
console.log(`| floor: commit ${rowBytes} B + RSA + SHA-256 | ${f(f50)} | ${f(f99)} |`);
console.log(`| ratio issue / floor | ${(p50 / f50).toFixed(2)} | ${(p99 / f99).toFixed(2)} |`);
console.log('');
console.log(`verify of ${verified.count} invoices: ${verifyMs.toFixed(0)} ms (${verified.ok ? 'ok' : 'BROKEN'})`);
const budgetP99 = p99 <= 5;
const budgetRatio = p50 <= 3 * f50;
console.log(`budget p99 <= 5 ms: ${budgetP99 ? 'met' : 'MISSED'}; budget p50 <= 3 x floor: ${budgetRatio ? 'met' : 'MISSED'}`);
process.exitCode = budgetP99 && budgetRatio && verified.ok ? 0 : 1;
