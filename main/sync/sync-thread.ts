// The sync engine in a worker thread: its HTTP, JSON, zod and SQLite work (about 2 ms of CPU per
// report, measured) runs on its own event loop and its own connection, so the till's thread only
// receives status messages. Started by SyncThreadHost (sync-host.ts); bundled to
// dist/main/sync-thread.cjs by scripts/build.mjs.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../ledger/database';
import { Ledger } from '../ledger/ledger';
import { SyncService } from './sync-service';
import type { ThreadCommand, ThreadEvent, ThreadOptions } from './sync-thread-protocol';

const port = parentPort;
if (!port) throw new Error('sync-thread.ts runs as a worker thread (see SyncThreadHost)');
const { file, options } = workerData as { file: string; options: ThreadOptions };
const post = (e: ThreadEvent) => port.postMessage(e);

const db = openDatabase(file);
const service = new SyncService({ ...options, db, ledger: new Ledger(db), log: (level, message) => post({ type: 'log', level, message }) });
service.on('change', (status) => post({ type: 'status', status }));

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
    case 'stop':
      void service.stop().then(async () => {
        post({ type: 'status', status: service.status() });
        await service.close();
        db.close();
        post({ type: 'stopped' });
      });
      break;
  }
});
