// Runs the CLI's command modules in-process (no node start per case: a spawn costs ~0.5 s of CPU),
// the way main/cli/index.ts registers them, with a real data folder and ledger.
import { vi } from 'vitest';
import { Command } from 'commander';
import { loadAllCommandModules } from '../../main/cli/commands/index';
import { exitCodeFor } from '../../main/cli/errors';
import { openDatabase } from '../../main/ledger/database';
import { Ledger } from '../../main/ledger/ledger';
import { ledgerFile } from '../../main/app/data-dir';
import type { SourceRegistry } from '../../main/sources/registry';
import { BUSINESS, keyPair, tempDir } from '../support/fixture';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `sources`: a registry to build the CLI with instead of the app's (a test's extended registry). */
export async function runCli(dataDir: string, args: string[], sources?: SourceRegistry): Promise<CliRun> {
  const program = new Command('taxpoynt-pos')
    .option('--data-dir <dir>')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  for (const register of await loadAllCommandModules())
    register(program, { globals: () => program.opts<{ dataDir?: string }>(), ...(sources ? { sources } : {}) });
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    stdout += String(s);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    stderr += String(s);
    return true;
  });
  const before = process.exitCode;
  process.exitCode = undefined;
  let code: number;
  try {
    await program.parseAsync(['node', 'taxpoynt-pos', '--data-dir', dataDir, ...args]);
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    // As main/cli/index.ts: commander's own errors exit 2, ours by kind.
    code = (e as { exitCode?: number }).exitCode !== undefined ? 2 : exitCodeFor(e);
    stderr += `taxpoynt-pos: ${(e as Error).message}\n`;
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = before;
  }
  return { code, stdout, stderr };
}

/** A data folder with a set-up business (the test key pair). */
export function setUpDataDir(prefix = 'tpos-cli-'): string {
  const dir = tempDir(prefix);
  const ledger = new Ledger(openDatabase(ledgerFile(dir)));
  ledger.configure(BUSINESS, keyPair().keysFileJson);
  ledger.db.close();
  return dir;
}

export const jsonLines = (s: string) =>
  s
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
