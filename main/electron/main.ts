// The Electron shell. Hardening: one instance only (two must never both issue or send); windows
// sandboxed with context isolation and no Node; the renderer served from the app's own app://
// origin with a strict CSP; navigation, new windows, webviews and permission requests refused;
// DevTools only in development. Closing the window keeps capture, printing and sync running
// (tray → Quit ends them, after in-flight work).
import { app, BrowserWindow, ipcMain, Menu, nativeImage, protocol, safeStorage, session, Tray } from 'electron';
import { join } from 'node:path';
import { AppServices } from '../app/services';
import { FileSecretStore } from '../app/file-secret-store';
import { resolveDataDir } from '../app/data-dir';
import { SafeStorageSecretStore } from './safe-storage-secret-store';
import { chooseSecretBackend, describeSecretBackend } from './secret-backend';
import { registerIpc, APP_ORIGIN } from './ipc';
import { guardWebContents, refusePermissions, rendererResponse, requestAllowed, windowOptions, withCsp } from './window-policy';
import { findRendererDir } from '../server/static-files';
import { installProcessGuards } from '../server/process-guards';

const DEV = !app.isPackaged && process.env.NODE_ENV === 'development';

// A 16×16 green square: the tray needs some icon; a real one ships with electron-builder's assets.
const TRAY_ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAGklEQVR4nGNgaPj/nxLMMGrAqAGjBowaQB0DAL9vP+GCDCXxAAAAAElFTkSuQmCC';

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let services: AppServices | undefined;
let window: BrowserWindow | undefined;
let tray: Tray | undefined;
let quitting = false;

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the ledger: it gets focus (second-instance below), we leave at once.
  app.quit();
} else {
  app.on('second-instance', () => showWindow());
  // Nothing ends the app silently: a stray rejection is logged; an uncaught exception is logged
  // and the app relaunches, so capture, printing and sync come back within seconds.
  installProcessGuards({
    log: (l) => process.stderr.write(`${new Date().toISOString()} ${l}\n`),
    onFatal: () => {
      app.relaunch();
      app.exit(1);
    },
  });
  app
    .whenReady()
    .then(start)
    .catch((e) => {
      process.stderr.write(`TaxPoynt POS could not start: ${(e as Error).stack ?? e}\n`);
      app.exit(1);
    });
}

function start(): void {
  // The same folder the CLI uses (data-dir.ts): --data-dir is a CLI flag; here the env or userData.
  const dataDir = process.env.TAXPOYNT_POS_DATA_DIR ? resolveDataDir() : app.getPath('userData');
  const backend = chooseSecretBackend(safeStorage);
  const backendLine = describeSecretBackend(backend);
  (backend.store === 'file' ? console.error : console.log)(backendLine);
  const secrets = backend.store === 'safe-storage' ? new SafeStorageSecretStore(dataDir, safeStorage) : new FileSecretStore(dataDir);
  services = new AppServices({ dataDir, mode: 'electron', secrets, dev: DEV, version: app.getVersion() });
  services.start();

  const rendererDir = findRendererDir([join(__dirname, '..', 'renderer'), join(app.getAppPath(), 'dist', 'renderer')]);
  protocol.handle('app', (request) => {
    const r = rendererResponse(rendererDir, request.url);
    return new Response(r.body, { status: r.status, headers: r.headers });
  });

  const ses = session.defaultSession;
  // CSP on every response, whatever serves it; no permission (camera, notifications, …) is ever granted.
  ses.webRequest.onHeadersReceived((details, cb) => cb({ responseHeaders: withCsp(details.responseHeaders) }));
  refusePermissions(ses);
  // No remote content: only the app's own origin and inline data images load.
  ses.webRequest.onBeforeRequest((details, cb) => cb({ cancel: !requestAllowed(details.url, DEV) }));

  registerIpc(ipcMain, services, () => BrowserWindow.getAllWindows().map((w) => w.webContents), { checkResponses: DEV });

  app.on('web-contents-created', (_e, contents) => guardWebContents(contents));

  tray = new Tray(nativeImage.createFromDataURL(TRAY_ICON));
  tray.setToolTip('TaxPoynt POS');
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Open TaxPoynt POS', click: () => showWindow() },
      { type: 'separator' },
      { label: 'Quit (finishes open work first)', click: () => app.quit() },
    ]),
  );
  tray.on('click', () => showWindow());
  if (!DEV) Menu.setApplicationMenu(null);
  showWindow();
}

function showWindow(): void {
  if (window && !window.isDestroyed()) {
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
    return;
  }
  window = new BrowserWindow(windowOptions(join(__dirname, '..', 'preload', 'preload.cjs'), DEV));
  window.once('ready-to-show', () => window?.show());
  void window.loadURL(`${APP_ORIGIN}/index.html`);
}

// Closing the last window does not quit: the till's background work goes on (tray → Quit).
app.on('window-all-closed', () => {
  /* keep running */
});

app.on('before-quit', (event) => {
  if (quitting || !services) return;
  event.preventDefault();
  quitting = true;
  void services.stop().finally(() => {
    tray?.destroy();
    app.exit(0);
  });
});
