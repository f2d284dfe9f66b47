// A sync worker in its own process, for the crash test: drains the report queue of a ledger
// file against a FIRS URL until killed (SIGKILL at random points) or asked to stop (SIGTERM).
// Usage: node sync-child.cjs <ledger file> <firs url> <api key> <api secret> <lease ms> [<cloud url> <cloud token>]
import { openDatabase } from '../../main/ledger/database';
import { Ledger } from '../../main/ledger/ledger';
import { SyncService } from '../../main/sync/sync-service';

const [file, url, apiKey, apiSecret, leaseMs, cloudUrl, cloudToken] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string?,
  string?,
];
const db = openDatabase(file);
const service = new SyncService({
  db,
  ledger: new Ledger(db),
  firs: { baseUrl: url, apiKey, apiSecret, timeoutMs: 5_000 },
  ...(cloudUrl && cloudToken ? { cloud: { baseUrl: cloudUrl, token: cloudToken, maxBatchCount: 50, zEveryMs: 0 } } : {}),
  concurrency: 4,
  pollMs: 10,
  probeMs: 20,
  leaseMs: Number(leaseMs),
  ratePerSec: 10_000,
  burst: 100,
  backoff: { baseMs: 10, capMs: 100, maxAttempts: 1_000 },
  log: () => {},
});
service.start();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void service.stop().then(() => {
    db.close();
    process.exit(0);
  });
});
