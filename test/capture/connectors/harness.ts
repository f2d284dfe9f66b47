// A real ledger file in a temp dir, configured like a shop terminal, plus what connectors need:
// capture state, the review queue, an in-memory SecretStore and a retry clock that records
// waits instead of sleeping (so "hours" of outage take no time).
import { join } from 'node:path';
import { openDatabase, type Db } from '../../../main/ledger/database';
import { Ledger } from '../../../main/ledger/ledger';
import { ReviewQueue } from '../../../main/ledger/review-queue';
import { CaptureState } from '../../../main/capture/polling/state';
import { HttpClient } from '../../../main/capture/http';
import { ingestOutcomes } from '../../../main/capture/sink';
import type { RetryClock, BackoffPolicy } from '../../../main/net/retry';
import type { ConnectorDeps } from '../../../main/capture/connector';
import { BUSINESS, keyPair, tempDir } from '../../support/fixture';
import { MemorySecretStore } from './memory-secret-store';

export interface Harness {
  dir: string;
  file: string;
  db: Db;
  ledger: Ledger;
  review: ReviewQueue;
  state: CaptureState;
  secrets: MemorySecretStore;
  clock: RetryClock & { waits: number[]; offsetMs: number };
  backoff: BackoffPolicy;
  deps: ConnectorDeps;
  ingest: (outcomes: Parameters<typeof ingestOutcomes>[2]) => unknown;
  reopen(): Harness;
  close(): void;
}

export function harness(dir = tempDir('tpos-capture-'), secrets = new MemorySecretStore()): Harness {
  const file = join(dir, 'ledger.db');
  const db = openDatabase(file);
  const ledger = new Ledger(db);
  if (!ledger.getBusiness()) ledger.configure(BUSINESS, keyPair().keysFileJson);
  const review = new ReviewQueue(db);
  const state = new CaptureState(db);
  const clock = {
    waits: [] as number[],
    offsetMs: 0,
    now() {
      return Date.now() + this.offsetMs;
    },
    async sleep(ms: number) {
      this.waits.push(ms);
      this.offsetMs += ms; // time passes for the connector, not for the test
    },
    random: () => 0.5,
  };
  clock.now = clock.now.bind(clock);
  clock.sleep = clock.sleep.bind(clock);
  const backoff = { baseMs: 1000, capMs: 15 * 60_000, maxAttempts: 4 };
  const h: Harness = {
    dir,
    file,
    db,
    ledger,
    review,
    state,
    secrets,
    clock,
    backoff,
    deps: { http: new HttpClient(5000), secrets, clock, backoff },
    ingest: (outcomes) => ingestOutcomes(ledger, review, outcomes),
    reopen() {
      db.close();
      return harness(dir, secrets);
    },
    close() {
      if (db.open) db.close();
    },
  };
  return h;
}

export function invoiceCount(h: Harness, source: string): number {
  return (h.db.prepare('SELECT COUNT(*) AS n FROM invoices WHERE source = ?').get(source) as { n: number }).n;
}

export function externalIds(h: Harness, source: string): string[] {
  return (
    h.db.prepare('SELECT external_id FROM invoices WHERE source = ? ORDER BY external_id').all(source) as { external_id: string }[]
  ).map((r) => r.external_id);
}
