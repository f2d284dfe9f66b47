// Which proxy, if any, a request goes through, from the conventional environment variables:
// HTTPS_PROXY for https: URLs, HTTP_PROXY for http: URLs (lower-case names win, as in curl), and
// NO_PROXY's exceptions. Loopback never goes through a proxy: the local service, the register
// link and test servers are on this computer.
export type ProxyEnv = Record<string, string | undefined>;

function read(env: ProxyEnv, name: string): string | undefined {
  const v = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return v && v.trim() ? v.trim() : undefined;
}

export function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

function defaultPort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

/**
 * NO_PROXY: entries separated by commas or spaces; `*` matches everything; `example.com`,
 * `.example.com` and `*.example.com` match that domain and its subdomains; `host:port` only that port.
 */
export function bypassesProxy(url: URL, noProxy: string | undefined): boolean {
  if (isLoopback(url.hostname)) return true;
  if (!noProxy) return false;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const m = /^(.*?)(?::(\d+))?$/.exec(entry.replace(/^\[|\](?=:|$)/g, ''))!;
    const name = m[1]!.replace(/^\*?\./, '');
    if (m[2] && m[2] !== defaultPort(url)) continue;
    if (host === name || host.endsWith(`.${name}`)) return true;
  }
  return false;
}

/** The proxy URL for this request, or undefined to connect directly. A malformed setting is an error. */
export function proxyFor(url: URL, env: ProxyEnv): URL | undefined {
  const setting = read(env, url.protocol === 'https:' ? 'https_proxy' : 'http_proxy');
  if (!setting || bypassesProxy(url, read(env, 'no_proxy'))) return undefined;
  let proxy: URL;
  try {
    // "host:port" without a scheme is common in the wild: it means an HTTP proxy.
    proxy = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(setting) ? setting : `http://${setting}`);
  } catch {
    throw new Error(`the proxy setting "${setting}" is not a URL like http://proxy.example:3128`);
  }
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:')
    throw new Error(`the proxy setting "${setting}" is not an http:// or https:// proxy`);
  return proxy;
}
