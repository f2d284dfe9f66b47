// The CLI loads only the command module it runs (main/cli/commands/index.ts). These check the
// table that makes that possible against the modules themselves, so a command added to a module
// but not to the table (it would then be "unknown" unless all modules happened to load) fails here.
import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { COMMAND_LOADERS, commandModulesFor, commandNameIn, loadAllCommandModules } from '../../main/cli/commands/index';

const ctx = { globals: () => ({}) };
const names = (p: Command) => p.commands.map((c) => c.name());

describe('the lazy command table', () => {
  it('names exactly the top-level commands each module registers, and no command twice', async () => {
    const seen: string[] = [];
    for (const loader of COMMAND_LOADERS) {
      const program = new Command('t');
      (await loader.load())(program, ctx);
      expect(names(program)).toEqual(loader.commands);
      seen.push(...loader.commands);
    }
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('loads one module for a command it names, none for a built-in one, all for anything else', async () => {
    const builtIn = ['status', 'setup'];
    const one = new Command('t');
    for (const r of await commandModulesFor('sync-status', builtIn)) r(one, ctx);
    expect(names(one)).toEqual(['sync', 'sync-status', 'sync-problems', 'sync-attempts', 'sync-requeue']);
    expect(await commandModulesFor('status', builtIn)).toEqual([]);
    const all = (await loadAllCommandModules()).length;
    expect(all).toBe(COMMAND_LOADERS.length);
    for (const unknown of [undefined, 'help', 'sttaus']) expect(await commandModulesFor(unknown, builtIn)).toHaveLength(all);
  });

  it('finds the command word after the global options', () => {
    const g = ['--data-dir'];
    expect(commandNameIn(['status'], g)).toBe('status');
    expect(commandNameIn(['--data-dir', '/d', 'deals', 'list'], g)).toBe('deals');
    expect(commandNameIn(['--data-dir=/d', 'shift', 'open'], g)).toBe('shift');
    // the value of --data-dir is not the command, even when it looks like one
    expect(commandNameIn(['--data-dir', 'sync', 'status'], g)).toBe('status');
    expect(commandNameIn([], g)).toBeUndefined();
    expect(commandNameIn(['--help'], g)).toBeUndefined();
    expect(commandNameIn(['--data-dir', '/d', '-h', 'sync'], g)).toBeUndefined();
  });
});
