// Serves the built renderer (dist/renderer/) read-only: no directory listings, no path escapes,
// unknown paths without an extension fall back to index.html (client-side routes).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticFile {
  status: number;
  type: string;
  body: Buffer;
  cache: string;
}

/** Where the built renderer is: next to the bundle (dist/main → dist/renderer), else from the repo root. */
export function findRendererDir(
  candidates: string[] = [join(__dirname, '..', 'renderer'), join(process.cwd(), 'dist', 'renderer')],
): string | undefined {
  return candidates.find((d) => existsSync(join(d, 'index.html')));
}

const MISSING = Buffer.from(`<!doctype html><meta charset="utf-8"><title>TaxPoynt POS</title>
<h1>TaxPoynt POS</h1><p>The screens are not built yet. Run <code>npm run build</code> and reload. The service itself is running.</p>`);

export function staticFile(rootDir: string | undefined, urlPath: string): StaticFile {
  if (!rootDir) return { status: 200, type: TYPES['.html']!, body: MISSING, cache: 'no-store' };
  let path: string;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return { status: 400, type: TYPES['.txt']!, body: Buffer.from('bad path'), cache: 'no-store' };
  }
  if (path.includes('\0')) return { status: 400, type: TYPES['.txt']!, body: Buffer.from('bad path'), cache: 'no-store' };
  const root = resolve(rootDir);
  const file = resolve(root, normalize(`.${path}`));
  if (file !== root && !file.startsWith(root + sep))
    return { status: 404, type: TYPES['.txt']!, body: Buffer.from('not found'), cache: 'no-store' };
  if (existsSync(file) && statSync(file).isFile()) {
    const ext = extname(file).toLowerCase();
    // Vite's hashed assets never change; index.html must always be fresh.
    const cache = file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache';
    return { status: 200, type: TYPES[ext] ?? 'application/octet-stream', body: readFileSync(file), cache };
  }
  if (extname(path)) return { status: 404, type: TYPES['.txt']!, body: Buffer.from('not found'), cache: 'no-store' };
  return { status: 200, type: TYPES['.html']!, body: readFileSync(join(root, 'index.html')), cache: 'no-cache' };
}
