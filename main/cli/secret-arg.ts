// Secrets never as command-line values: anything on the command line shows in `ps` to every
// local user and lands in shell history. A secret flag takes `@FILE` (its first line) or
// `env:NAME` (an environment variable); a literal value is refused with exit 2.
import { readInput } from './context';
import { UsageError } from './errors';

export function secretArg(v: string | undefined, flag: string, envHint?: string): string | undefined {
  if (v === undefined) return undefined;
  let value: string;
  if (v.startsWith('@')) value = readInput(v.slice(1), flag).split(/\r?\n/)[0] ?? '';
  else if (v.startsWith('env:')) {
    const e = process.env[v.slice(4)];
    if (e === undefined) throw new UsageError(`${flag}: environment variable ${v.slice(4)} is not set`);
    value = e;
  } else {
    throw new UsageError(
      `${flag}: secrets are not taken as command-line values (they show in \`ps\` and shell history): give ${flag} @FILE or ${flag} env:NAME${envHint ? `, or set ${envHint}` : ''}`,
    );
  }
  if (!value.trim()) throw new UsageError(`${flag}: empty`);
  return value.trim();
}
