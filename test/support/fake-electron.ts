// A stand-in for the parts of Electron's main-process API that src-main/electron/main.ts uses.
// The Electron binary cannot be installed on the build machines (TESTING.md), so the shell's
// wiring (port brokering, quit sequence, hooks) is checked against this instead. It records
// calls and lets a test fire the events Electron would; it proves nothing about Electron itself.
import { EventEmitter } from 'node:events';
import path from 'node:path';

export class FakeEvent {
  defaultPrevented = false;
  constructor(readonly url?: string) {}
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export interface FakePort {
  channel: number;
  end: 1 | 2;
}

type Handler = (...args: never[]) => unknown;

export function createFakeElectron(appRoot: string) {
  const calls: { name: string; args: unknown[]; beforeReady: boolean }[] = [];
  let ready = false;
  const record = (name: string, ...args: unknown[]) =>
    calls.push({ name, args, beforeReady: !ready });

  const paths: Record<string, string> = { userData: path.join(appRoot, 'user-data') };
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    quitted: false,
    getAppPath: () => appRoot,
    getPath: (name: string) => paths[name] ?? '',
    setPath: (name: string, value: string) => {
      record('app.setPath', name, value);
      paths[name] = value;
    },
    enableSandbox: () => record('app.enableSandbox'),
    requestSingleInstanceLock: () => true,
    getLocale: () => 'zh-CN',
    isReady: () => ready,
    whenReady: () =>
      new Promise<void>((resolve) =>
        setImmediate(() => {
          ready = true;
          resolve();
        }),
      ),
    exit: (code: number) => record('app.exit', code),
    quit: () => {
      const event = new FakeEvent();
      app.emit('before-quit', event);
      record('app.quit', event.defaultPrevented ? 'prevented' : 'quit');
      if (!event.defaultPrevented) {
        app.emit('will-quit', new FakeEvent());
        app.quitted = true;
      }
    },
  });

  const protocol = {
    handler: null as ((request: Request) => Promise<Response>) | null,
    registerSchemesAsPrivileged: (schemes: unknown) => record('protocol.registerSchemes', schemes),
    handle: (scheme: string, handler: (request: Request) => Promise<Response>) => {
      record('protocol.handle', scheme);
      protocol.handler = handler;
    },
  };

  const handlers: Record<string, Handler> = {};
  const session = {
    defaultSession: {
      webRequest: {
        onBeforeRequest: (fn: Handler) => (handlers.beforeRequest = fn),
        onHeadersReceived: (fn: Handler) => (handlers.headersReceived = fn),
        onBeforeSendHeaders: (fn: Handler) => (handlers.beforeSendHeaders = fn),
      },
      setPermissionRequestHandler: (fn: Handler) => (handlers.permissionRequest = fn),
      setPermissionCheckHandler: (fn: Handler) => (handlers.permissionCheck = fn),
      setDevicePermissionHandler: (fn: Handler) => (handlers.devicePermission = fn),
    },
  };

  const Menu = {
    applicationMenu: undefined as unknown,
    buildFromTemplate: (template: unknown[]) => ({ template }),
    setApplicationMenu: (menu: unknown) => (Menu.applicationMenu = menu),
  };

  const nativeImage = { createFromPath: (path: string) => ({ path }) };

  const trays: FakeTray[] = [];
  class FakeTray extends EventEmitter {
    tooltip = '';
    menu: { template: { label?: string; type?: string; click?: () => void }[] } | null = null;
    destroyed = false;
    constructor(readonly image: { path: string }) {
      super();
      trays.push(this);
    }
    setToolTip(text: string) {
      this.tooltip = text;
    }
    setContextMenu(menu: FakeTray['menu']) {
      this.menu = menu;
    }
    destroy() {
      this.destroyed = true;
    }
  }

  class FakeWebContents extends EventEmitter {
    mainFrame = { url: '' };
    posted: { channel: string; message: unknown; ports: FakePort[] }[] = [];
    loading = true;
    openHandler: Handler | null = null;
    reloads = 0;
    postMessage(channel: string, message: unknown, ports: FakePort[]) {
      this.posted.push({ channel, message, ports });
    }
    isLoading() {
      return this.loading;
    }
    reload() {
      this.reloads++;
    }
    setWindowOpenHandler(fn: Handler) {
      this.openHandler = fn;
    }
  }

  const windows: FakeBrowserWindow[] = [];
  class FakeBrowserWindow extends EventEmitter {
    webContents = new FakeWebContents();
    visible = false;
    focused = false;
    constructor(readonly options: { webPreferences: Record<string, unknown> }) {
      super();
      windows.push(this);
      app.emit('web-contents-created', new FakeEvent(), this.webContents);
    }
    loadURL(url: string) {
      this.webContents.mainFrame.url = url;
      setImmediate(() => {
        this.webContents.loading = false;
        this.emit('ready-to-show');
        this.webContents.emit('did-finish-load');
      });
      return Promise.resolve();
    }
    show() {
      this.visible = true;
    }
    hide() {
      this.visible = false;
    }
    focus() {
      this.focused = true;
    }
    isMinimized() {
      return false;
    }
    isVisible() {
      return this.visible;
    }
    restore() {}
    isDestroyed() {
      return false;
    }
  }

  const dialog = {
    responses: [] as number[],
    shown: [] as string[],
    parents: [] as unknown[],
    showMessageBox: async (...args: unknown[]) => {
      dialog.parents.push(args.length > 1 ? args[0] : null);
      dialog.shown.push((args.at(-1) as { message: string }).message);
      return { response: dialog.responses.shift() ?? 0 };
    },
  };

  let channels = 0;
  class MessageChannelMain {
    readonly port1: FakePort;
    readonly port2: FakePort;
    constructor() {
      channels++;
      this.port1 = { channel: channels, end: 1 };
      this.port2 = { channel: channels, end: 2 };
    }
  }

  const children: FakeUtilityProcess[] = [];
  class FakeUtilityProcess extends EventEmitter {
    messages: { message: { type: string }; ports: FakePort[] }[] = [];
    kills = 0;
    /** When set, the process exits this long after being asked to stop. */
    exitAfterStopMs: number | null = null;
    constructor(
      readonly modulePath: string,
      readonly args: string[],
      readonly options: { serviceName?: string; env?: Record<string, string> },
    ) {
      super();
    }
    postMessage(message: { type: string }, ports: FakePort[] = []) {
      this.messages.push({ message, ports });
      if (message.type === 'evidock:stop' && this.exitAfterStopMs !== null) {
        setTimeout(() => this.emit('exit', 0), this.exitAfterStopMs);
      }
    }
    kill() {
      this.kills++;
      return true;
    }
  }
  const utilityProcess = {
    fork: (
      modulePath: string,
      args: string[],
      options: { serviceName?: string; env?: Record<string, string> },
    ) => {
      const child = new FakeUtilityProcess(modulePath, args, options);
      children.push(child);
      return child;
    },
  };

  /** The OS keychain: a reversible stand-in that never stores the plain text as it is. */
  const safeStorage = {
    available: true,
    backend: 'gnome_libsecret',
    isEncryptionAvailable: () => safeStorage.available,
    getSelectedStorageBackend: () => safeStorage.backend,
    encryptString: (plain: string) => Buffer.from(`keychain:${Buffer.from(plain).toString('hex')}`),
    decryptString: (sealed: Buffer) => {
      const text = sealed.toString();
      if (!text.startsWith('keychain:')) throw new Error('Error while decrypting the ciphertext');
      return Buffer.from(text.slice('keychain:'.length), 'hex').toString();
    },
  };

  return {
    module: {
      app,
      safeStorage,
      protocol,
      session,
      Menu,
      nativeImage,
      Tray: FakeTray,
      BrowserWindow: FakeBrowserWindow,
      dialog,
      MessageChannelMain,
      utilityProcess,
    },
    calls,
    handlers,
    trays,
    windows,
    children,
  };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;
