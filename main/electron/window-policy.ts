// The Electron shell's security decisions as plain functions (main.ts only hands them to Electron
// APIs, and cannot be run here without an Electron binary): the CSP, the window's options, which
// requests may load, where a window may navigate, and what is answered for the app:// origin.
// Permission requests are always refused; new windows and webviews never open.
import { staticFile } from '../server/static-files';
import { BASE_HEADERS } from '../server/security';
import { isTrustedUrl } from './ipc';

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/** BrowserWindow options: sandboxed, context-isolated, no Node, DevTools only in development. */
export function windowOptions(preloadPath: string, dev: boolean) {
  return {
    width: 1280,
    height: 800,
    show: false,
    title: 'TaxPoynt POS',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: dev,
      spellcheck: false,
      navigateOnDragDrop: false,
    },
  } as const;
}

/** No remote content: only the app's own origin and inline data/blob images (DevTools in development). */
export function requestAllowed(url: string, dev: boolean): boolean {
  return url.startsWith('app://') || url.startsWith('data:') || url.startsWith('blob:') || (dev && url.startsWith('devtools://'));
}

/** Response headers with the CSP set, whatever served them. */
export function withCsp(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  return { ...headers, 'Content-Security-Policy': [CSP] };
}

/** The app:// protocol: the renderer's files from its folder, with the CSP; any other host is 404. */
export function rendererResponse(
  rendererDir: string | undefined,
  requestUrl: string,
): { status: number; headers: Record<string, string>; body: Uint8Array<ArrayBuffer> } {
  const url = new URL(requestUrl);
  if (url.host !== 'renderer') return { status: 404, headers: {}, body: new TextEncoder().encode('not found') };
  const f = staticFile(rendererDir, url.pathname);
  return {
    status: f.status,
    headers: { ...BASE_HEADERS, 'content-type': f.type, 'content-security-policy': CSP },
    body: new Uint8Array(f.body),
  };
}

/** The part of Electron's WebContents the hardening touches. */
export interface GuardedContents {
  on(event: 'will-navigate' | 'will-redirect', cb: (event: { preventDefault(): void }, url: string) => void): unknown;
  on(event: 'will-attach-webview', cb: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: () => { action: 'deny' }): void;
}

/** Every web contents: navigation and redirects only within the app's origin, no webviews, no new windows. */
export function guardWebContents(contents: GuardedContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isTrustedUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** The part of Electron's Session the hardening touches. */
export interface GuardedSession {
  setPermissionRequestHandler(handler: (wc: unknown, permission: string, cb: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: () => boolean): void;
}

/** No permission (camera, notifications, …) is ever granted or reported as granted. */
export function refusePermissions(ses: GuardedSession): void {
  ses.setPermissionRequestHandler((_wc, _permission, cb) => cb(false));
  ses.setPermissionCheckHandler(() => false);
}
