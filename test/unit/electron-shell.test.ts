// The desktop shell's wiring, run against a recorded stand-in for Electron (test/support/
// fake-electron.ts): the real binary is not installable on the build machines. What this covers
// is the shell's own logic (which hook gets which policy, when ports are handed out, the quit
// sequence, the preload's queue and port switching), not Electron's behaviour.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EvidockBridge } from '../../src-main/contract';
import { createFakeElectron, FakeEvent, type FakeElectron } from '../support/fake-electron';

let appRoot: string;
let fake: FakeElectron;
let signalListeners: Map<NodeJS.Signals, NodeJS.SignalsListener[]>;

const flush = async (times = 3) => {
  for (let i = 0; i < times; i++) await new Promise((resolve) => setImmediate(resolve));
};

async function startShell(): Promise<FakeElectron> {
  fake = createFakeElectron(appRoot);
  vi.resetModules();
  vi.doMock('electron', () => fake.module);
  await import('../../src-main/electron/main');
  await flush();
  return fake;
}

beforeEach(() => {
  appRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'evidock-shell-'));
  fs.mkdirSync(path.join(appRoot, 'dist', 'renderer', 'assets'), { recursive: true });
  fs.writeFileSync(path.join(appRoot, 'dist', 'renderer', 'index.html'), '<title>evidock</title>');
  fs.writeFileSync(path.join(appRoot, 'dist', 'renderer', 'assets', 'app.js'), 'void 0;');
  fs.writeFileSync(path.join(appRoot, 'secret.txt'), 'not for the page');
  signalListeners = new Map(
    (['SIGINT', 'SIGTERM'] as const).map((signal) => [signal, [...process.listeners(signal)]]),
  );
});

afterEach(() => {
  vi.useRealTimers();
  vi.doUnmock('electron');
  delete process.env.EVIDOCK_DATA_DIR;
  // main.ts quits on SIGINT/SIGTERM; those listeners must not outlive the test.
  for (const [signal, before] of signalListeners) {
    for (const listener of process.listeners(signal)) {
      if (!before.includes(listener)) process.off(signal, listener);
    }
  }
  fs.rmSync(appRoot, { recursive: true, force: true });
});

describe('start-up', () => {
  it('registers the app scheme, the sandbox and a separate session folder before ready', async () => {
    const { calls } = await startShell();
    const early = calls.filter((call) => call.beforeReady).map((call) => call.name);
    expect(early).toEqual(
      expect.arrayContaining(['protocol.registerSchemes', 'app.enableSandbox', 'app.setPath']),
    );
    const schemes = calls.find((call) => call.name === 'protocol.registerSchemes')?.args[0];
    expect(schemes).toEqual([
      expect.objectContaining({
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true }),
      }),
    ]);
    expect(calls.find((call) => call.name === 'app.setPath')?.args).toEqual([
      'sessionData',
      path.join(appRoot, 'user-data', 'desktop-session'),
    ]);
  });

  it('forks the station as a utility process and opens one locked-down window', async () => {
    const { children, windows } = await startShell();
    expect(children).toHaveLength(1);
    expect(children[0]?.modulePath).toBe(path.join(appRoot, 'dist', 'station', 'utility.mjs'));
    expect(children[0]?.args).toEqual([]);
    expect(children[0]?.options.serviceName).toBe('evidock-station');
    expect(children[0]?.options.env?.PATH).toBe(process.env.PATH);

    expect(windows).toHaveLength(1);
    const window = windows[0]!;
    expect(window.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    });
    expect(String(window.options.webPreferences.preload)).toMatch(/preload\.cjs$/);
    expect(window.webContents.mainFrame.url).toBe('app://evidock/index.html');
    expect(window.visible).toBe(true);
  });

  it('passes an explicit data directory to the station', async () => {
    process.env.EVIDOCK_DATA_DIR = path.join(appRoot, 'data');
    const { children } = await startShell();
    expect(children[0]?.args).toEqual(['--data-dir', path.join(appRoot, 'data')]);
  });

  it('hands the station a key for target keys that only the OS keychain opens, the same each start', async () => {
    process.env.EVIDOCK_FORWARD_KEY = 'A'.repeat(43) + '=';
    const first = (await startShell()).children[0]!.options.env!.EVIDOCK_FORWARD_KEY!;
    delete process.env.EVIDOCK_FORWARD_KEY;
    // Its own, not one inherited from whoever started the app.
    expect(first).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(first).not.toBe('A'.repeat(43) + '=');
    const sealed = fs.readFileSync(path.join(appRoot, 'user-data', 'forward-secrets.safe'));
    expect(sealed.includes(Buffer.from(first))).toBe(false);
    expect(fs.statSync(path.join(appRoot, 'user-data', 'forward-secrets.safe')).mode & 0o777).toBe(
      0o600,
    );
    const again = (await startShell()).children[0]!.options.env!.EVIDOCK_FORWARD_KEY;
    expect(again).toBe(first);
  });

  it('leaves the station its own key file where the OS has no keychain', async () => {
    fake = createFakeElectron(appRoot);
    fake.module.safeStorage.backend = 'basic_text';
    vi.resetModules();
    vi.doMock('electron', () => fake.module);
    await import('../../src-main/electron/main');
    await flush();
    if (process.platform === 'linux') {
      expect(fake.children[0]!.options.env!.EVIDOCK_FORWARD_KEY).toBeUndefined();
    }
  });
});

describe('station ports', () => {
  it('gives each page load its own channel, one end to each side', async () => {
    const { children, windows } = await startShell();
    const station = children[0]!;
    const contents = windows[0]!.webContents;

    expect(station.messages).toEqual([
      { message: { type: 'evidock:port' }, ports: [expect.anything()] },
    ]);
    expect(contents.posted).toEqual([
      { channel: 'evidock:port', message: null, ports: [expect.anything()] },
    ]);
    const [stationEnd] = station.messages[0]!.ports;
    const [pageEnd] = contents.posted[0]!.ports;
    expect(stationEnd?.channel).toBe(pageEnd?.channel);
    expect(stationEnd?.end).not.toBe(pageEnd?.end);

    contents.emit('did-finish-load');
    expect(contents.posted).toHaveLength(2);
    expect(contents.posted[1]!.ports[0]!.channel).not.toBe(pageEnd?.channel);
  });

  it('never hands a port to a page that is not the app', async () => {
    const { children, windows } = await startShell();
    const contents = windows[0]!.webContents;
    contents.mainFrame.url = 'https://evil.example/';
    contents.emit('did-finish-load');
    expect(contents.posted).toHaveLength(1);
    expect(children[0]!.messages).toHaveLength(1);
  });

  it('offers a restart when the station dies, then reconnects the open page', async () => {
    const { children, windows, module } = await startShell();
    module.dialog.responses.push(0);
    children[0]!.emit('exit', 3);
    await flush();
    expect(module.dialog.shown).toEqual(['采集站服务意外停止。']);
    expect(module.dialog.parents).toEqual([windows[0]]);
    expect(children).toHaveLength(2);
    const posted = windows[0]!.webContents.posted;
    expect(posted).toHaveLength(2);
    expect(posted[1]!.ports[0]!.channel).toBe(children[1]!.messages[0]!.ports[0]!.channel);
  });

  it('quits when the officer declines the restart', async () => {
    const { children, module, windows } = await startShell();
    // Hidden in the tray: the dialog must stand on its own, not hang off an invisible window.
    windows[0]!.emit('close', new FakeEvent());
    module.dialog.responses.push(1);
    children[0]!.emit('exit', 3);
    await flush();
    expect(module.dialog.parents).toEqual([null]);
    expect(children).toHaveLength(1);
    expect(module.app.quitted).toBe(true);
  });
});

describe('security hooks', () => {
  it('blocks navigation, redirects, new windows and webviews', async () => {
    const { windows } = await startShell();
    const contents = windows[0]!.webContents;
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      const away = new FakeEvent('https://evil.example/');
      contents.emit(event, away);
      expect(away.defaultPrevented, event).toBe(true);
    }
    const inApp = new FakeEvent('app://evidock/index.html#/users');
    contents.emit('will-navigate', inApp);
    expect(inApp.defaultPrevented).toBe(false);
    const webview = new FakeEvent();
    contents.emit('will-attach-webview', webview);
    expect(webview.defaultPrevented).toBe(true);
    expect(contents.openHandler?.()).toEqual({ action: 'deny' });
  });

  it('cancels remote requests, sets the CSP and refuses device permissions', async () => {
    const { handlers } = await startShell();
    const decide = (url: string) => {
      let result: unknown;
      handlers.beforeRequest!({ url } as never, ((r: unknown) => (result = r)) as never);
      return result;
    };
    expect(decide('https://cdn.example/antd.css')).toEqual({ cancel: true });
    expect(decide('file:///etc/passwd')).toEqual({ cancel: true });
    expect(decide('app://evidock/assets/app.js')).toEqual({ cancel: false });

    let headers: { responseHeaders?: Record<string, string[]> } = {};
    handlers.headersReceived!(
      {
        url: 'app://evidock/index.html',
        responseHeaders: { 'content-security-policy': ['default-src *'] },
      } as never,
      ((r: typeof headers) => (headers = r)) as never,
    );
    expect(headers.responseHeaders?.['Content-Security-Policy']?.[0]).toContain(
      "script-src 'self'",
    );
    expect(headers.responseHeaders).not.toHaveProperty('content-security-policy');

    let granted: boolean | undefined;
    const request = (permission: string) =>
      handlers.permissionRequest!(
        null as never,
        permission as never,
        ((g: boolean) => (granted = g)) as never,
        { requestingUrl: 'app://evidock/index.html' } as never,
      );
    request('media');
    expect(granted).toBe(false);
    request('clipboard-sanitized-write');
    expect(granted).toBe(true);
    expect(handlers.permissionCheck!(null as never, 'hid' as never, 'app://evidock' as never)).toBe(
      false,
    );
    expect(handlers.devicePermission!()).toBe(false);
  });
});

describe('playback in the window (D-NO-LEAK)', () => {
  const origin = 'http://127.0.0.1:41234';
  const key = 'K'.repeat(43);

  /** What the shell does with one of the window's requests: [cancelled, headers sent]. */
  function send(handlers: FakeElectron['handlers'], url: string, headers: Record<string, string>) {
    let cancelled: unknown;
    handlers.beforeRequest!(
      { url } as never,
      ((r: { cancel: boolean }) => {
        cancelled = r.cancel;
      }) as never,
    );
    let sent: Record<string, string> | undefined;
    handlers.beforeSendHeaders!(
      { url, requestHeaders: headers } as never,
      ((r: { requestHeaders: Record<string, string> }) => {
        sent = r.requestHeaders;
      }) as never,
    );
    return [cancelled, sent] as const;
  }

  it("admits the station's delivery routes and adds its key to the window's requests for them", async () => {
    const { children, handlers } = await startShell();
    // Before the station said where it delivers from: refused, and no key to add.
    expect(send(handlers, `${origin}/playback/abc`, { Range: 'bytes=0-' })).toEqual([
      true,
      { Range: 'bytes=0-' },
    ]);
    children[0]!.emit('message', { type: 'evidock:delivery', origin, key });
    expect(send(handlers, `${origin}/playback/abc`, { Range: 'bytes=0-' })).toEqual([
      false,
      { Range: 'bytes=0-', 'x-evidock-shell': key },
    ]);
    // Thumbnails and exports are fetched once, by the window: the key goes with them too, and
    // nowhere but the station's delivery routes.
    expect(send(handlers, `${origin}/thumbnail/abc`, {})).toEqual([
      false,
      { 'x-evidock-shell': key },
    ]);
    expect(send(handlers, `${origin}/export/abc`, {})).toEqual([false, { 'x-evidock-shell': key }]);
    expect(send(handlers, `${origin}/`, {})).toEqual([true, {}]);
    expect(send(handlers, 'https://evil.example/playback/abc', {})).toEqual([true, {}]);
    // A station that exited takes its key with it.
    children[0]!.emit('exit', 0);
    expect(send(handlers, `${origin}/playback/abc`, {})).toEqual([true, {}]);
  });

  it('takes no key the station did not plausibly send', async () => {
    const { children, handlers } = await startShell();
    for (const said of [
      { type: 'evidock:delivery', origin },
      { type: 'evidock:delivery', origin, key: 'short' },
      { type: 'evidock:delivery', origin: 'https://evil.example', key },
    ]) {
      children[0]!.emit('message', said);
      expect(send(handlers, `${origin}/playback/abc`, {})[1], JSON.stringify(said)).toEqual({});
    }
  });
});

describe('app:// protocol', () => {
  it('serves the renderer with the CSP and refuses everything else', async () => {
    const { module } = await startShell();
    const get = (url: string, init?: RequestInit) =>
      module.protocol.handler!(new Request(url, init));

    const page = await get('app://evidock/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>evidock</title>');

    expect((await get('app://evidock/assets/app.js')).headers.get('content-type')).toMatch(
      /javascript/,
    );
    expect((await get('app://evidock/%2e%2e/%2e%2e/secret.txt')).status).toBe(404);
    expect((await get('app://evidock/missing.js')).status).toBe(404);
    expect((await get('app://evidock/assets')).status).toBe(404);
    expect((await get('app://evidock/index.html', { method: 'POST', body: 'x' })).status).toBe(405);
  });
});

describe('window, tray and quitting', () => {
  it('hides to the tray on close and comes back for a second instance', async () => {
    const { windows, trays, module } = await startShell();
    const window = windows[0]!;
    const close = new FakeEvent();
    window.emit('close', close);
    expect(close.defaultPrevented).toBe(true);
    expect(window.visible).toBe(false);

    module.app.emit('second-instance', new FakeEvent(), []);
    expect(window.visible).toBe(true);
    expect(window.focused).toBe(true);

    expect(trays[0]?.image.path).toBe(path.join(appRoot, 'resources', 'icons', 'tray.png'));
    expect(trays[0]?.menu?.template.map((item) => item.label ?? item.type)).toEqual([
      '显示窗口',
      'separator',
      '退出',
    ]);
  });

  it('asks the station to stop and quits once it has exited', async () => {
    const { children, trays, module, calls } = await startShell();
    const station = children[0]!;
    station.exitAfterStopMs = 10;
    module.app.quit();
    module.app.quit();
    expect(station.messages.filter(({ message }) => message.type === 'evidock:stop')).toHaveLength(
      1,
    );
    expect(module.app.quitted).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(module.app.quitted).toBe(true);
    expect(station.kills).toBe(0);
    expect(trays[0]?.destroyed).toBe(true);
    expect(module.dialog.shown).toEqual([]);
    expect(calls.filter((call) => call.name === 'app.quit').map((call) => call.args[0])).toEqual([
      'prevented',
      'prevented',
      'quit',
    ]);
  });

  it('sends SIGTERM to a station that does not stop, and quits regardless', async () => {
    const { children, module } = await startShell();
    const station = children[0]!;
    vi.useFakeTimers();
    module.app.quit();
    await vi.advanceTimersByTimeAsync(4_999);
    expect(station.kills).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(station.kills).toBe(1);
    expect(module.app.quitted).toBe(false);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(module.app.quitted).toBe(true);
  });
});

describe('preload bridge', () => {
  // Node's MessagePort follows the DOM one the preload gets (onmessage starts it, close ends it).
  async function loadPreload() {
    const exposed: Record<string, unknown> = {};
    const ipcRenderer = new EventEmitter();
    vi.resetModules();
    vi.doMock('electron', () => ({
      ipcRenderer,
      contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
    }));
    await import('../../src-main/electron/preload');
    const deliverPort = (port?: MessagePort) =>
      ipcRenderer.emit('evidock:port', { ports: port === undefined ? [] : [port] });
    return { exposed, deliverPort };
  }

  function stationEnd() {
    const channel = new MessageChannel();
    const received: unknown[] = [];
    channel.port1.on('message', (message) => received.push(message));
    return { channel, received };
  }

  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

  it('exposes exactly send and onMessage as window.evidock', async () => {
    const { exposed } = await loadPreload();
    expect(Object.keys(exposed)).toEqual(['evidock']);
    const bridge = exposed.evidock as EvidockBridge;
    expect(Object.keys(bridge).sort()).toEqual(['onMessage', 'send']);
    expect(() => bridge.send(42 as never)).toThrow(TypeError);
    expect(() => bridge.onMessage('x' as never)).toThrow(TypeError);
  });

  it('queues until the port arrives, then carries strings both ways', async () => {
    const { exposed, deliverPort } = await loadPreload();
    const bridge = exposed.evidock as EvidockBridge;
    const heard: string[] = [];
    const unsubscribe = bridge.onMessage((message) => heard.push(message));
    bridge.send('first');
    bridge.send('second');

    const { channel, received } = stationEnd();
    deliverPort(channel.port2 as never);
    bridge.send('third');
    await settle();
    expect(received).toEqual(['first', 'second', 'third']);

    channel.port1.postMessage('{"type":"event"}');
    channel.port1.postMessage({ not: 'a string' });
    await settle();
    expect(heard).toEqual(['{"type":"event"}']);

    unsubscribe();
    channel.port1.postMessage('after unsubscribe');
    await settle();
    expect(heard).toEqual(['{"type":"event"}']);
    channel.port1.close();
  });

  it('switches to a new port after a reload or station restart and closes the old one', async () => {
    const { exposed, deliverPort } = await loadPreload();
    const bridge = exposed.evidock as EvidockBridge;
    const first = stationEnd();
    const second = stationEnd();
    let firstClosed = false;
    first.channel.port1.on('close', () => (firstClosed = true));

    deliverPort(first.channel.port2 as never);
    deliverPort(second.channel.port2 as never);
    deliverPort();
    bridge.send('hello');
    await settle();
    expect(first.received).toEqual([]);
    expect(second.received).toEqual(['hello']);
    expect(firstClosed).toBe(true);
    second.channel.port1.close();
  });

  it('keeps other listeners running when one throws', async () => {
    const { exposed, deliverPort } = await loadPreload();
    const bridge = exposed.evidock as EvidockBridge;
    const heard: string[] = [];
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    bridge.onMessage(() => {
      throw new Error('a broken screen');
    });
    bridge.onMessage((message) => heard.push(message));
    const { channel } = stationEnd();
    deliverPort(channel.port2 as never);
    channel.port1.postMessage('still delivered');
    await settle();
    expect(heard).toEqual(['still delivered']);
    expect(consoleError).toHaveBeenCalled();
    consoleError.mockRestore();
    channel.port1.close();
  });
});
