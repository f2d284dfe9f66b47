// Starts browser mode: the services plus the HTTP/WebSocket server, printing the URL with the
// secret. Quits cleanly on SIGINT/SIGTERM: stop accepting, let in-flight requests and ledger
// writes finish, stop the background services, close the ledger.
import { networkInterfaces } from 'node:os';
import { AppServices } from '../app/services';
import { AppServer } from './app-server';
import { installProcessGuards } from './process-guards';
import { rotateToken, TOKEN_SECRET_NAME } from './security';
import type { WorkerMessage } from './supervisor';

export interface BrowserModeOptions {
  dataDir: string;
  port?: number;
  lan?: boolean;
  dev?: boolean;
  print?: (line: string) => void;
  /** Print the link with the secret even though it is not new (it is otherwise printed once). */
  printLink?: boolean;
  /** Make a new secret first: old links and cookies stop working; the new link is printed. */
  rotateToken?: boolean;
}

export async function startBrowserMode(o: BrowserModeOptions): Promise<{ url: string; stop: () => Promise<void> }> {
  const print = o.print ?? ((l: string) => process.stdout.write(`${l}\n`));
  const services = new AppServices({ dataDir: o.dataDir, mode: 'browser', lan: o.lan === true, dev: o.dev === true });
  // The link carries the secret: printed when it is new (first start, or rotated) or asked for,
  // never on every start, because service managers keep stdout in their logs.
  let freshToken = services.secrets.get(TOKEN_SECRET_NAME) === undefined;
  if (o.rotateToken) {
    rotateToken(services.secrets);
    freshToken = true;
  }
  const showLink = freshToken || o.printLink === true;
  services.start();
  const server = new AppServer({
    services,
    port: o.port ?? 0,
    lan: o.lan === true,
    checkResponses: o.dev === true,
    log: (m) => process.stderr.write(`${m}\n`),
  });
  let url: string;
  try {
    url = await server.listen();
  } catch (e) {
    await services.stop();
    const err = e as NodeJS.ErrnoException;
    throw new Error(err.code === 'EADDRINUSE' ? `port ${o.port} is already in use: choose another with --port` : err.message, { cause: e });
  }
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await server.close();
      await services.stop();
    })());
  print(`TaxPoynt POS is running in browser mode (data: ${o.dataDir}).`);
  if (showLink) print(`Open: ${url}`);
  else {
    print(`Listening on ${server.baseUrl}/ — sign in with this terminal's link (printed when it was made; not repeated in logs).`);
    print('Lost it? Restart with --print-link to show it, or --rotate-token for a new one (old links and sessions stop working).');
  }
  if (o.lan) {
    const port = new URL(server.baseUrl).port;
    const token = new URL(url).searchParams.get('token') ?? '';
    const addresses = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && a.family === 'IPv4' && !a.internal)
      .map((a) => a!.address);
    if (showLink) for (const a of addresses) print(`On the network: http://${a}:${port}/?token=${encodeURIComponent(token)}`);
    else for (const a of addresses) print(`On the network: http://${a}:${port}/`);
    print("Shared on the local network: other devices need this link's secret AND the manager PIN.");
  } else print("Only this computer can connect (loopback). The link carries this terminal's secret: do not share it.");
  print('Press Ctrl+C to stop (open work is finished first).');
  return { url, stop };
}

/**
 * Runs until SIGINT/SIGTERM, then stops cleanly. Under the supervisor, reports its port over IPC.
 * `signals` is where SIGINT/SIGTERM arrive (the process; a test passes its own emitter).
 */
export async function runBrowserMode(o: BrowserModeOptions, signals: Pick<NodeJS.EventEmitter, 'on' | 'off'> = process): Promise<void> {
  const removeGuards = installProcessGuards({ log: (l) => process.stderr.write(`${new Date().toISOString()} serve: ${l}\n`) });
  // The handlers go in before the server starts: a signal that arrives while it starts — e.g. a
  // supervisor stopping it right after the link was printed — must stop it cleanly, not kill it
  // by default (the supervisor then reported "killed by SIGTERM" as exit code 1).
  let quitAsked!: () => void;
  const quitting = new Promise<void>((resolve) => (quitAsked = resolve));
  // `on`, not `once`: in a terminal both the supervisor and this process get Ctrl+C (stop() is idempotent).
  const quit = () => quitAsked();
  signals.on('SIGINT', quit);
  signals.on('SIGTERM', quit);
  let started: Awaited<ReturnType<typeof startBrowserMode>>;
  try {
    started = await startBrowserMode(o);
  } catch (e) {
    signals.off('SIGINT', quit);
    signals.off('SIGTERM', quit);
    removeGuards();
    throw e;
  }
  process.send?.({ type: 'listening', port: Number(new URL(started.url).port) } satisfies WorkerMessage);
  // Under the supervisor: if it dies (even SIGKILL), the channel closes; no orphan keeps the port.
  if (process.connected) process.once('disconnect', quit);
  await quitting;
  await started.stop().catch((e: unknown) => {
    process.stderr.write(`stop: ${(e as Error).message}\n`);
  });
  removeGuards();
  if (process.connected) process.disconnect();
}
