// What every CLI command needs: the global options, the ledger, input reading and JSON output.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { openDatabase } from '../ledger/database';
import { Ledger } from '../ledger/ledger';
import { resolveDataDir, ledgerFile } from '../app/data-dir';
import { InvalidInput } from '../../shared/domain/sale';
import { UsageError } from './errors';
import type { SourceRegistry } from '../sources/registry';

export interface CliContext {
  /** The global options (--data-dir), read when the command runs. */
  globals(): { dataDir?: string };
  /** The sources `connect`, `poll`, `ingest --source` and `sources` know (default: the built-in registry). */
  sources?: SourceRegistry;
}

/** A module of commands: registered on the program at start-up (see commands/index.ts). */
export type CommandModule = (program: Command, ctx: CliContext) => void;

export function openLedger(opts: { dataDir?: string }): Ledger {
  return new Ledger(openDatabase(ledgerFile(resolveDataDir(opts.dataDir))));
}

export function readInput(file: string, option = '--file'): string {
  try {
    return file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${option}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InvalidInput(`${what}: not valid JSON (${(e as Error).message})`);
  }
}

export const out = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value)}\n`);
};
