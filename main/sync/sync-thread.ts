// The sync engine in a worker thread: its HTTP, JSON, zod and SQLite work (about 2 ms of CPU per
// report, measured) runs on its own event loop and its own connection, so the till's thread only
// receives status messages. Started by SyncThreadHost (sync-host.ts); bundled to
// dist/main/sync-thread.cjs by scripts/build.mjs.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../ledger/database';
import { Ledger } from '../ledger/ledger';
import { SyncService } from './sync-service';
import type { ThreadCommand, ThreadEvent, ThreadOptions } from './sync-thread-protocol';

/** How often the worker looks whether the queue changed (a sale, a requeue) to push the status. */
const STATUS_EVERY_MS = 1_000;

const port = parentPort;
if (!port) throw new Error('sync-thread.ts runs as a worker thread (see SyncThreadHost)');
const { file, options } = workerData as { file: string; options: ThreadOptions };
const post = (e: ThreadEvent) => port.postMessage(e);

// One connection, the sync's own (synchronous=NORMAL: see syncConnection); the app's applied the migrations.
const db = openDatabase(file, { durability: 'normal', migrate: false, fileMustExist: true });
const service = new SyncService({
  ...options,
  db,
  ledger: new Ledger(db),
  ownConnection: false,
  log: (level, message) => post({ type: 'log', level, message }),
});
service.on('change', (status) => post({ type: 'status', status }));
// The counts are cached by the ledger's change version (queue-status.ts): a look costs one PRAGMA
// when nothing was written, and the app's thread never counts the queue itself.
const statusTimer = setInterval(() => service.refresh(), STATUS_EVERY_MS);

port.on('message', (m: ThreadCommand) => {
  switch (m.type) {
    case 'start':
      service.start();
      post({ type: 'status', status: service.status() });
      break;
    case 'wake':
      service.wake();
      break;
    case 'retryNow':
      service.retryNow();
      break;
    case 'status':
      post({ type: 'status', status: service.status() });
      break;
    case 'stop':
      clearInterval(statusTimer);
      void service.stop().then(() => {
        post({ type: 'status', status: service.status() });
        db.close();
        post({ type: 'stopped' });
      });
      break;
  }
});
