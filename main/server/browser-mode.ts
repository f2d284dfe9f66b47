// Starts browser mode: the services plus the HTTP/WebSocket server, printing the URL with the
// secret. Quits cleanly on SIGINT/SIGTERM: stop accepting, let in-flight requests and ledger
// writes finish, stop the background services, close the ledger.
import { networkInterfaces } from 'node:os';
import { AppServices } from '../app/services';
import { AppServer } from './app-server';

export interface BrowserModeOptions {
  dataDir: string;
  port?: number;
  lan?: boolean;
  dev?: boolean;
  print?: (line: string) => void;
}

export async function startBrowserMode(o: BrowserModeOptions): Promise<{ url: string; stop: () => Promise<void> }> {
  const print = o.print ?? ((l: string) => process.stdout.write(`${l}\n`));
  const services = new AppServices({ dataDir: o.dataDir, mode: 'browser', lan: o.lan === true, dev: o.dev === true });
  services.start();
  const server = new AppServer({ services, port: o.port ?? 0, lan: o.lan === true, checkResponses: o.dev === true, log: (m) => process.stderr.write(`${m}\n`) });
  let url: string;
  try {
    url = await server.listen();
  } catch (e) {
    await services.stop();
    const err = e as NodeJS.ErrnoException;
    throw new Error(err.code === 'EADDRINUSE' ? `port ${o.port} is already in use: choose another with --port` : err.message);
  }
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= (async () => {
    await server.close();
    await services.stop();
  })());
  print(`TaxPoynt POS is running in browser mode (data: ${o.dataDir}).`);
  print(`Open: ${url}`);
  if (o.lan) {
    const port = new URL(server.baseUrl).port;
    const token = new URL(url).searchParams.get('token') ?? '';
    const addresses = Object.values(networkInterfaces()).flat().filter((a) => a && a.family === 'IPv4' && !a.internal).map((a) => a!.address);
    for (const a of addresses) print(`On the network: http://${a}:${port}/?token=${encodeURIComponent(token)}`);
    print('Shared on the local network: other devices need this link\'s secret AND the manager PIN.');
  }
  else print('Only this computer can connect (loopback). The link carries this terminal\'s secret: do not share it.');
  print('Press Ctrl+C to stop (open work is finished first).');
  return { url, stop };
}

/** Runs until SIGINT/SIGTERM, then stops cleanly. */
export async function runBrowserMode(o: BrowserModeOptions): Promise<void> {
  const { stop } = await startBrowserMode(o);
  await new Promise<void>((resolve) => {
    const quit = () => { void stop().then(resolve, (e) => { process.stderr.write(`stop: ${(e as Error).message}\n`); resolve(); }); };
    process.once('SIGINT', quit);
    process.once('SIGTERM', quit);
  });
}
