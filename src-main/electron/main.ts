// The thin desktop shell: one window, a tray, the security policy, and the station in a utility
// process. Everything the product does happens in the station; see DESIGN.md, "Processes".
import { app, BrowserWindow, dialog, Menu, nativeImage, session, Tray } from 'electron';
import type { MenuItemConstructorOptions, WebContents } from 'electron';
import path from 'node:path';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { forwardSecretsKey } from './forward-key';
import { dataDirOverride, FORWARD_KEY_ENV, stationEnv } from './options';
import {
  APP_ENTRY_URL,
  isAllowedNavigation,
  isAllowedRequest,
  isTrustedSender,
  permissionDecision,
  WEB_PREFERENCES,
  windowOpenHandler,
  withDeliveryKey,
  withSecurityHeaders,
} from './policy';
import { StationProcess } from './station-process';
import { shellStrings } from './strings';

registerAppScheme();
// Chromium's own profile (caches, local storage) stays out of the folder that holds the evidence
// on Windows and macOS, where userData and the station's default data folder coincide.
app.setPath('sessionData', path.join(app.getPath('userData'), 'desktop-session'));
// Every renderer, including any the page should never manage to open, runs sandboxed.
app.enableSandbox();

const appRoot = app.getAppPath();
const rendererRoot = path.join(appRoot, 'dist', 'renderer');
const stationModule = path.join(appRoot, 'dist', 'station', 'utility.mjs');
const iconDir = path.join(appRoot, 'resources', 'icons');
// The preload is bundled next to this file (dist/electron/preload.cjs).
const preloadPath = path.join(__dirname, 'preload.cjs');
// An installed workstation gets no developer tools: they would let anyone script the page.
const devTools = !app.isPackaged;

let mainWindow: BrowserWindow | null = null;
let tray: Tray | null = null;
let station: StationProcess | null = null;
let quitting = false;
let stationStopped = false;

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the catalogue; it will show its window (second-instance below).
  app.quit();
} else {
  app.on('second-instance', () => showWindow());
  app.on('web-contents-created', (_event, contents) => lockDown(contents));
  app.on('before-quit', (event) => {
    const firstRequest = !quitting;
    quitting = true;
    if (stationStopped || station === null || !station.running) return;
    // Quit is held until the station has checkpointed its catalogue; asking again meanwhile
    // (tray, signal, OS shutdown) just waits for the same stop.
    event.preventDefault();
    if (!firstRequest) return;
    void station.stop().finally(() => {
      stationStopped = true;
      app.quit();
    });
  });
  // Windows leaves a dead icon in the notification area unless the tray is destroyed.
  app.on('will-quit', () => tray?.destroy());
  // The window hides to the tray instead of closing, so this only guards the default (quit).
  app.on('window-all-closed', () => undefined);
  app.on('activate', () => showWindow());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      console.error('evidock: failed to start', error);
      app.exit(1);
    });
}

/** The keychain-kept key the station seals target keys with, when the OS has a keychain. */
function forwardKeyEnv(): Record<string, string> {
  try {
    const key = forwardSecretsKey(app.getPath('userData'));
    return key === null ? {} : { [FORWARD_KEY_ENV]: key };
  } catch (error) {
    console.error('evidock: the keychain could not be used for target keys', error);
    return {};
  }
}

function start(): void {
  const strings = shellStrings(app.getLocale());
  hardenSession();
  serveRenderer(rendererRoot);
  Menu.setApplicationMenu(applicationMenu());

  station = new StationProcess({
    modulePath: stationModule,
    dataDir: dataDirOverride(process.argv.slice(1), process.env),
    env: { ...stationEnv(process.env, app.isPackaged), ...forwardKeyEnv() },
    onUnexpectedExit: (code) => void offerRestart(code),
  });
  station.start();

  mainWindow = createWindow();
  tray = createTray(strings);

  async function offerRestart(exitCode: number): Promise<void> {
    if (quitting) return;
    const options = {
      type: 'error' as const,
      title: strings.stationStoppedTitle,
      message: strings.stationStoppedMessage,
      detail: strings.stationStoppedDetail(exitCode),
      buttons: [strings.restartStation, strings.quit],
      defaultId: 0,
      cancelId: 1,
      noLink: true,
    };
    // A dialog attached to a window hidden in the tray would not be seen (a macOS sheet, say).
    const parent =
      mainWindow !== null && !mainWindow.isDestroyed() && mainWindow.isVisible()
        ? mainWindow
        : null;
    const { response } =
      parent !== null
        ? await dialog.showMessageBox(parent, options)
        : await dialog.showMessageBox(options);
    if (response !== 0 || quitting) {
      app.quit();
      return;
    }
    station?.start();
    // A page that is already loaded will not fire did-finish-load again: hand it the new port now.
    if (mainWindow !== null && !mainWindow.webContents.isLoading()) connectWindow(mainWindow);
  }
}

function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(permissionDecision(permission, details.requestingUrl));
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    permissionDecision(permission, requestingOrigin),
  );
  // USB, HID and serial devices belong to the station process, never to the page.
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onBeforeRequest((details, callback) => {
    const deliveryOrigin = station?.delivery?.origin ?? null;
    callback({ cancel: !isAllowedRequest(details.url, { devTools, deliveryOrigin }) });
  });
  // A playback is bound to this window: its requests carry the station's key (policy.ts).
  ses.webRequest.onBeforeSendHeaders((details, callback) => {
    callback({
      requestHeaders: withDeliveryKey(
        details.url,
        details.requestHeaders,
        station?.delivery ?? null,
      ),
    });
  });
  // app:// responses already carry the policy (app-protocol.ts); this also covers anything that
  // reaches the page by another path. devtools:// keeps its own headers or it would not load.
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback(
      isTrustedSender(details.url)
        ? { responseHeaders: withSecurityHeaders(details.responseHeaders) }
        : {},
    );
  });
}

/** Applied to every WebContents the app ever creates, not just the main window's. */
function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    if (!isAllowedNavigation(event.url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAllowedNavigation(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAllowedNavigation(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(windowOpenHandler);
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 680,
    show: false,
    title: 'evidock',
    icon: nativeImage.createFromPath(path.join(iconDir, 'icon-256.png')),
    backgroundColor: '#ffffff',
    webPreferences: { ...WEB_PREFERENCES, preload: preloadPath, devTools },
  });
  window.once('ready-to-show', () => window.show());
  // Closing the window must not stop a running ingest: the app stays in the tray until Quit.
  window.on('close', (event) => {
    if (quitting) return;
    event.preventDefault();
    window.hide();
  });
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  // Fires on the first load and on every reload: each gets a fresh channel to the station.
  window.webContents.on('did-finish-load', () => connectWindow(window));
  window.webContents.on('render-process-gone', (_event, details) => {
    if (details.reason !== 'clean-exit' && details.reason !== 'killed' && !quitting) {
      window.webContents.reload();
    }
  });
  void window.loadURL(APP_ENTRY_URL);
  return window;
}

function connectWindow(window: BrowserWindow): void {
  if (window.isDestroyed() || station === null) return;
  const contents = window.webContents;
  // The port is the station's front door: only hand it to a page that is our own app.
  if (!isTrustedSender(contents.mainFrame.url)) return;
  station.connect((port) => contents.postMessage('evidock:port', null, [port]));
}

function showWindow(): void {
  if (mainWindow === null || mainWindow.isDestroyed()) {
    if (app.isReady() && !quitting) mainWindow = createWindow();
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

function createTray(strings: ReturnType<typeof shellStrings>): Tray {
  // tray.png is 16 px with tray@2x.png beside it; Electron picks the one for the screen's scale.
  const icon = new Tray(nativeImage.createFromPath(path.join(iconDir, 'tray.png')));
  icon.setToolTip(strings.trayTooltip);
  icon.setContextMenu(
    Menu.buildFromTemplate([
      { label: strings.showWindow, click: () => showWindow() },
      { type: 'separator' },
      { label: strings.quit, click: () => app.quit() },
    ]),
  );
  icon.on('click', () => showWindow());
  return icon;
}

/**
 * No menu bar on Windows and Linux: its default entries (reload, developer tools) are not for an
 * installed workstation. macOS needs the app and Edit menus for Quit and copy/paste shortcuts.
 */
function applicationMenu(): Menu | null {
  const template: MenuItemConstructorOptions[] = [];
  if (process.platform === 'darwin') template.push({ role: 'appMenu' }, { role: 'editMenu' });
  if (devTools) template.push({ role: 'viewMenu' });
  if (process.platform === 'darwin') template.push({ role: 'windowMenu' });
  return template.length === 0 ? null : Menu.buildFromTemplate(template);
}
