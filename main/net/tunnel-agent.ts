// An https.Agent that reaches the server through an HTTP proxy's CONNECT tunnel: the proxy carries
// encrypted bytes only; TLS (and the certificate check) is end to end with the server.
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';

type ConnectOptions = tls.ConnectionOptions & { host?: string; port?: number | string; servername?: string };

export class TunnelAgent extends https.Agent {
  constructor(
    readonly proxy: URL,
    private readonly o: { timeoutMs: number; ca?: string },
  ) {
    super({ keepAlive: true, ...(o.ca ? { ca: o.ca } : {}) });
  }

  // Node's Agent accepts a connection handed over later through the callback.
  override createConnection(options: ConnectOptions, done: (err: Error | null, socket?: Duplex) => void): undefined {
    const target = `${options.host}:${options.port ?? 443}`;
    const headers: Record<string, string> = { host: target };
    if (this.proxy.username)
      headers['proxy-authorization'] =
        `Basic ${Buffer.from(`${decodeURIComponent(this.proxy.username)}:${decodeURIComponent(this.proxy.password)}`).toString('base64')}`;
    const request = this.proxy.protocol === 'https:' ? https.request : http.request;
    const req = request({
      host: this.proxy.hostname,
      port: this.proxy.port || (this.proxy.protocol === 'https:' ? 443 : 80),
      method: 'CONNECT',
      path: target,
      headers,
      agent: false,
    });
    let settled = false;
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      done(err);
    };
    // A proxy that never answers the CONNECT must not hold the request past its deadline.
    req.setTimeout(this.o.timeoutMs, () =>
      req.destroy(Object.assign(new Error(`proxy ${this.proxy.host} did not answer`), { code: 'ETIMEDOUT' })),
    );
    req.once('error', fail);
    req.once('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        return fail(Object.assign(new Error(`proxy ${this.proxy.host} refused the tunnel: HTTP ${res.statusCode}`), { code: 'EPROXY' }));
      }
      req.setTimeout(0);
      settled = true;
      const secure = tls.connect({ ...options, socket, servername: options.servername ?? String(options.host) });
      done(null, secure);
    });
    req.end();
    return undefined;
  }
}
