// `sources`: what this build can take sales from, read from the source registry (one JSON line
// per source: id, name, kind, auth, and which of connect / poll / webhooks / ingest it supports).
import type { Command } from 'commander';
import { BUILT_IN_SOURCES } from '../../sources/registry';
import { out, type CliContext, type CommandModule } from '../context';

export const sourcesCommands: CommandModule = (program: Command, ctx: CliContext) => {
  program
    .command('sources')
    .description('list the sources of sales this build knows (the source registry)')
    .action(() => {
      for (const d of (ctx.sources ?? BUILT_IN_SOURCES).all()) {
        out({
          id: d.info.id,
          name: d.info.name,
          kind: d.info.kind,
          auth: d.info.auth,
          connect: Boolean(d.connect && d.connector),
          webhooks: Boolean(d.webhook),
          ingest: d.info.id === 'canonical' || Boolean(d.mapper),
          ...(d.connect ? { flags: d.connect.flags.map((f) => f.flags) } : {}),
        });
      }
    });
};
