// `taxpoynt-pos serve [--port P] [--lan]`: browser mode on purpose (a headless store server).
import type { Command } from 'commander';
import { resolveDataDir } from '../../app/data-dir';
import { runBrowserMode } from '../../server/browser-mode';
import type { CliContext, CommandModule } from '../context';
import { UsageError } from '../errors';

export const serveCommands: CommandModule = (program: Command, ctx: CliContext) => {
  program
    .command('serve')
    .description('serve the till and manager screens to a browser (prints the URL with this terminal\'s secret)')
    .option('--port <port>', 'TCP port (default: any free port)', '0')
    .option('--lan', 'listen on all interfaces; browsers then also need the manager PIN', false)
    .action(async (o: { port: string; lan: boolean }) => {
      if (!/^\d{1,5}$/.test(o.port) || Number(o.port) > 65535) throw new UsageError(`--port: "${o.port}" is not a port number (0-65535)`);
      await runBrowserMode({ dataDir: resolveDataDir(ctx.globals().dataDir), port: Number(o.port), lan: o.lan, dev: process.env.NODE_ENV === 'development' });
    });
};
