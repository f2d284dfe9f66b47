// A backlog of print jobs (sales written by another process) must not starve the event loop:
// with the virtual printer nothing does real I/O, so without a yield per job the whole backlog
// would run before any timer, HTTP request or WebSocket message.
import { afterEach, expect, it } from 'vitest';
import { AppServices } from '../../main/app/services';
import { openDatabase } from '../../main/ledger/database';
import { Ledger } from '../../main/ledger/ledger';
import { BUSINESS, keyPair, simpleSale, tempDir } from '../support/fixture';
import { ledgerFile } from '../../main/app/data-dir';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()!();
});

it('timers run while a print backlog drains, and pushed updates come in bounded batches', async () => {
  const dataDir = tempDir();
  const N = 120;
  const db = openDatabase(ledgerFile(dataDir));
  const other = new Ledger(db);
  other.configure(BUSINESS, keyPair().keysFileJson);
  other.issueAll(Array.from({ length: N }, (_, i) => simpleSale(`bulk-${i}`)));
  db.close();

  const services = new AppServices({ dataDir, mode: 'browser', demoFeedMs: 0, watchMs: 60_000, log: () => {} });
  stops.push(() => services.stop());
  // The test's own connection to the ledger file: it inspects the outbox on purpose.
  const reader = openDatabase(ledgerFile(dataDir), { migrate: false });
  stops.push(async () => {
    reader.close();
  });
  const printed = () =>
    (reader.prepare("SELECT COUNT(*) AS n FROM outbox WHERE kind = 'print' AND status = 'done'").get() as { n: number }).n;
  services.start();
  const seenByTimers: number[] = [];
  await new Promise<void>((resolve) => {
    const tick = () => {
      seenByTimers.push(printed());
      if (printed() >= N || seenByTimers.length > 20000) resolve();
      else setTimeout(tick, 0);
    };
    setTimeout(tick, 0);
  });
  expect(printed()).toBe(N);
  // Timers fired between jobs: they saw the count grow step by step, not jump from 0 to N.
  expect(new Set(seenByTimers).size).toBeGreaterThan(N / 4);
});
