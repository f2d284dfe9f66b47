// Messages between SyncThreadHost (the app's thread) and sync-thread.ts (the worker).
import type { SyncLog, SyncOptions, SyncStatus } from './sync-service';

/** What crosses into the worker: plain data only (no db, ledger, functions). */
export type ThreadOptions = Omit<SyncOptions, 'db' | 'ledger' | 'now' | 'log' | 'random'>;

export type ThreadCommand = { type: 'start' } | { type: 'stop' } | { type: 'wake' } | { type: 'retryNow' };

export type ThreadEvent =
  { type: 'status'; status: SyncStatus } | { type: 'log'; level: Parameters<SyncLog>[0]; message: string } | { type: 'stopped' };
