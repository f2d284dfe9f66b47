// Messages between SyncThreadHost (the app's thread) and sync-thread.ts (the worker).
import type { SyncLog, SyncOptions, SyncStatus } from './sync-service';

/** What crosses into the worker: plain data only (no db, ledger, functions). */
export type ThreadOptions = Omit<SyncOptions, 'db' | 'ledger' | 'now' | 'log' | 'random'>;

/** 'status': push the status now (the app changed the queue on its own connection). */
export type ThreadCommand = { type: 'start' } | { type: 'stop' } | { type: 'wake' } | { type: 'retryNow' } | { type: 'status' };

export type ThreadEvent =
  { type: 'status'; status: SyncStatus } | { type: 'log'; level: Parameters<SyncLog>[0]; message: string } | { type: 'stopped' };
