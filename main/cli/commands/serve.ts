// `taxpoynt-pos serve [--port P] [--lan] [--print-link] [--rotate-token] [--no-supervisor]`:
// browser mode on purpose (a headless store server). By default the server runs in a child
// process under a small supervisor (main/server/supervisor.ts) that restarts it when it dies.
import { fork } from 'node:child_process';
import type { Command } from 'commander';
import { resolveDataDir } from '../../app/data-dir';
import { runBrowserMode } from '../../server/browser-mode';
import { Supervisor } from '../../server/supervisor';
import type { CliContext, CommandModule } from '../context';
import { UsageError } from '../errors';

/** Set in the supervised child: it runs the server itself. */
export const WORKER_ENV = 'TAXPOYNT_POS_SERVE_WORKER';

interface ServeFlags {
  port: string;
  lan: boolean;
  printLink: boolean;
  rotateToken: boolean;
  supervisor: boolean;
}

export const serveCommands: CommandModule = (program: Command, ctx: CliContext) => {
  program
    .command('serve')
    .description("serve the till and manager screens to a browser (prints the link with this terminal's secret when it is new)")
    .option('--port <port>', 'TCP port (default: any free port)', '0')
    .option('--lan', 'listen on all interfaces; browsers then also need the manager PIN', false)
    .option('--print-link', 'print the link with the secret on this start too (it is printed once, when made)', false)
    .option('--rotate-token', 'make a new secret: old links and sessions stop working; prints the new link', false)
    .option('--no-supervisor', 'run the server in this process (no automatic restart)')
    .action(async (o: ServeFlags) => {
      if (!/^\d{1,5}$/.test(o.port) || Number(o.port) > 65535) throw new UsageError(`--port: "${o.port}" is not a port number (0-65535)`);
      const dataDir = resolveDataDir(ctx.globals().dataDir);
      const dev = process.env.NODE_ENV === 'development';
      if (!o.supervisor || process.env[WORKER_ENV] === '1') {
        await runBrowserMode({ dataDir, port: Number(o.port), lan: o.lan, dev, printLink: o.printLink, rotateToken: o.rotateToken });
        return;
      }
      process.exitCode = await supervise(dataDir, o);
    });
};

async function supervise(dataDir: string, o: ServeFlags): Promise<number> {
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  let first = true;
  const supervisor = new Supervisor({
    log,
    spawnWorker: (port) => {
      const args = [
        '--data-dir',
        dataDir,
        'serve',
        '--port',
        String(port ?? o.port),
        ...(o.lan ? ['--lan'] : []),
        ...(o.printLink ? ['--print-link'] : []),
      ];
      if (first && o.rotateToken) args.push('--rotate-token'); // once: a restart must not rotate again
      first = false;
      const child = fork(process.argv[1]!, args, {
        env: { ...process.env, [WORKER_ENV]: '1' },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      log(`serve: server process ${child.pid} started`);
      return child;
    },
  });
  const onSignal = (signal: NodeJS.Signals) => supervisor.stop(signal);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  supervisor.start();
  const code = await supervisor.done;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  return code;
}
