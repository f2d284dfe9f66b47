// The Electron shell's security decisions, tested as plain functions (there is no Electron binary
// here; main/electron/main.ts only hands these to Electron). WebContents and Session are stood in
// by an EventEmitter and a recorder: the parts tested are the handlers this module registers.
import { EventEmitter } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ORIGIN } from '../../main/electron/ipc';
import {
  CSP,
  guardWebContents,
  refusePermissions,
  rendererResponse,
  requestAllowed,
  windowOptions,
  withCsp,
  type GuardedContents,
  type GuardedSession,
} from '../../main/electron/window-policy';
import { tempDir } from '../support/fixture';

describe('window options', () => {
  it('sandboxed, context-isolated, no Node, no webviews; DevTools only in development', () => {
    const prod = windowOptions('/app/preload.cjs', false);
    expect(prod.webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
      navigateOnDragDrop: false,
    });
    expect(prod.show).toBe(false); // shown on ready-to-show, no white flash
    expect(windowOptions('/p', true).webPreferences.devTools).toBe(true);
  });
});

describe('what may load', () => {
  it("only the app's own origin and inline data/blob; DevTools in development only", () => {
    expect(requestAllowed(`${APP_ORIGIN}/index.html`, false)).toBe(true);
    expect(requestAllowed('data:image/png;base64,AAAA', false)).toBe(true);
    expect(requestAllowed('blob:app://renderer/1234', false)).toBe(true);
    for (const url of ['https://evil.example/x.js', 'http://127.0.0.1:8080/', 'file:///etc/passwd', 'ws://127.0.0.1/'])
      expect(requestAllowed(url, true), url).toBe(false);
    expect(requestAllowed('devtools://devtools/bundled/x', false)).toBe(false);
    expect(requestAllowed('devtools://devtools/bundled/x', true)).toBe(true);
  });

  it('every response carries the CSP (replacing none of the other headers)', () => {
    const h = withCsp({ 'content-type': ['text/html'] });
    expect(h).toEqual({ 'content-type': ['text/html'], 'Content-Security-Policy': [CSP] });
    expect(CSP).toContain("script-src 'self'");
    expect(CSP).toContain("object-src 'none'");
    expect(CSP).not.toContain('unsafe');
  });
});

describe('the app:// protocol', () => {
  it("serves the renderer's files with the CSP; other hosts 404; no path escapes the folder", () => {
    const dir = tempDir();
    const renderer = join(dir, 'renderer');
    mkdirSync(renderer);
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><p>till</p>');
    writeFileSync(join(dir, 'secret.txt'), 'not for the window');
    const ok = rendererResponse(renderer, `${APP_ORIGIN}/index.html`);
    expect(ok.status).toBe(200);
    expect(ok.headers['content-security-policy']).toBe(CSP);
    expect(ok.headers['content-type']).toMatch(/text\/html/);
    expect(Buffer.from(ok.body).toString()).toContain('<p>till</p>');
    expect(rendererResponse(renderer, 'app://elsewhere/index.html').status).toBe(404);
    const escape = rendererResponse(renderer, `${APP_ORIGIN}/..%2fsecret.txt`);
    expect(Buffer.from(escape.body).toString()).not.toContain('not for the window');
  });
});

describe('web contents', () => {
  function contents() {
    const emitter = new EventEmitter();
    let openHandler: (() => { action: 'deny' }) | undefined;
    const c: GuardedContents = {
      on: (event: string, cb: (...a: any[]) => void) => emitter.on(event, cb),
      setWindowOpenHandler: (h) => {
        openHandler = h;
      },
    };
    guardWebContents(c);
    const fire = (event: string, url?: string) => {
      let prevented = false;
      emitter.emit(event, { preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    return { fire, open: () => openHandler?.() };
  }

  it('navigation and redirects stay within the app origin; webviews and new windows are refused', () => {
    const c = contents();
    expect(c.fire('will-navigate', `${APP_ORIGIN}/settings`)).toBe(false);
    expect(c.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(c.fire('will-navigate', 'app://renderer.evil/')).toBe(true);
    expect(c.fire('will-redirect', `${APP_ORIGIN}/index.html`)).toBe(false);
    expect(c.fire('will-redirect', 'http://127.0.0.1:3000/')).toBe(true);
    expect(c.fire('will-attach-webview')).toBe(true);
    expect(c.open()).toEqual({ action: 'deny' });
  });

  it('no permission is granted or reported as granted', () => {
    const granted: boolean[] = [];
    let check: (() => boolean) | undefined;
    const ses: GuardedSession = {
      setPermissionRequestHandler: (h) => {
        for (const p of ['media', 'notifications', 'geolocation', 'clipboard-read']) h({}, p, (g) => granted.push(g));
      },
      setPermissionCheckHandler: (h) => {
        check = h;
      },
    };
    refusePermissions(ses);
    expect(granted).toEqual([false, false, false, false]);
    expect(check?.()).toBe(false);
  });
});
