// The desktop shell's security policy, tested without the Electron runtime (its binary is not
// installed on build machines): these modules must never import electron.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDirOverride, stationArgs, stationEnv } from '../../src-main/electron/options';
import { DESKTOP_PAGE_ORIGIN } from '../../src-main/contract/bridge';
import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  contentSecurityPolicy,
  isAllowedNavigation,
  isAllowedRequest,
  isTrustedSender,
  mimeTypeFor,
  permissionDecision,
  resolveAppAsset,
  WEB_PREFERENCES,
  windowOpenHandler,
  withDeliveryKey,
  withSecurityHeaders,
} from '../../src-main/electron/policy';
import { shellStrings } from '../../src-main/electron/strings';

const root = path.resolve('/srv/evidock/dist/renderer');

/** URLs that must never count as the app, whatever the check. */
const FOREIGN_URLS = [
  'http://evil.example/',
  'https://evil.example/index.html',
  'http://evidock/',
  'file:///etc/passwd',
  'file:///srv/evidock/dist/renderer/index.html',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'blob:app://evidock/0f4e',
  'app://evil/index.html',
  'app://evidock.evil/index.html',
  'app://evidock:8080/index.html',
  'app://user@evidock/index.html',
  'app://user:pw@evidock/index.html',
  'APP://EVIDOCK/index.html',
  'devtools://devtools/bundled/inspector.html',
  'chrome://settings',
  'about:blank',
  'ws://127.0.0.1:7777/rpc',
  '',
  'not a url',
];

describe('WEB_PREFERENCES', () => {
  it('isolates and sandboxes the renderer with no Node', () => {
    expect(WEB_PREFERENCES).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('cannot be loosened at run time', () => {
    expect(Object.isFrozen(WEB_PREFERENCES)).toBe(true);
    expect(() => {
      (WEB_PREFERENCES as { sandbox: boolean }).sandbox = false;
    }).toThrow(TypeError);
  });
});

describe('contentSecurityPolicy', () => {
  const directives = new Map(
    contentSecurityPolicy()
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values] as const),
  );

  it('allows scripts only from the app itself, without eval or inline script', () => {
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(contentSecurityPolicy()).not.toContain('unsafe-eval');
    expect(contentSecurityPolicy()).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  it('allows inline styles for antd CSS-in-JS and nothing remote', () => {
    expect(directives.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    // The station's loopback delivery server (thumbnails, exports): the request filter admits only
    // its exact port and delivery paths.
    expect(directives.get('img-src')).toEqual(["'self'", 'data:', 'blob:', 'http://127.0.0.1:*']);
    expect(directives.get('connect-src')).toEqual(["'self'", 'http://127.0.0.1:*']);
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    // Clips play from the station's own loopback server (one-time tickets); nothing else is remote.
    expect(directives.get('media-src')).toEqual(["'self'", 'blob:', 'http://127.0.0.1:*']);
    expect(contentSecurityPolicy().replaceAll('http://127.0.0.1:*', '')).not.toMatch(/https?:|\*/);
  });
});

describe('withSecurityHeaders', () => {
  it('replaces any policy the response carried, whatever its spelling', () => {
    const headers = withSecurityHeaders({
      'content-security-policy': ["default-src *; script-src 'unsafe-eval'"],
      'CONTENT-SECURITY-POLICY': 'script-src *',
      'x-content-type-options': 'sniff',
      'Content-Type': 'text/html',
    });
    const csp = Object.entries(headers).filter(
      ([name]) => name.toLowerCase() === 'content-security-policy',
    );
    expect(csp).toEqual([['Content-Security-Policy', [contentSecurityPolicy()]]]);
    expect(headers['X-Content-Type-Options']).toEqual(['nosniff']);
    expect(headers['Content-Type']).toEqual(['text/html']);
  });

  it('adds the policy to a response without headers', () => {
    expect(withSecurityHeaders(undefined)['Content-Security-Policy']).toEqual([
      contentSecurityPolicy(),
    ]);
  });
});

describe('isAllowedNavigation and isTrustedSender', () => {
  it('accept the app origin', () => {
    for (const url of [APP_ENTRY_URL, 'app://evidock/', 'app://evidock/index.html#/clips?x=1']) {
      expect(isAllowedNavigation(url)).toBe(true);
      expect(isTrustedSender(url)).toBe(true);
    }
    // The permission check handler is given an origin, not a URL.
    expect(isTrustedSender('app://evidock')).toBe(true);
  });

  it.each(FOREIGN_URLS)('refuse %s', (url) => {
    expect(isAllowedNavigation(url)).toBe(false);
    expect(isTrustedSender(url)).toBe(false);
  });

  it('refuse values that are not strings', () => {
    for (const value of [undefined, null, 42, {}, new URL(APP_ENTRY_URL)]) {
      expect(isAllowedNavigation(value)).toBe(false);
      expect(isTrustedSender(value)).toBe(false);
    }
  });
});

describe('isAllowedRequest', () => {
  it('lets the page load its own files, data: and blob: URLs', () => {
    for (const url of [
      APP_ENTRY_URL,
      'app://evidock/assets/index-3f2a.js',
      'data:image/png;base64,AA==',
      'blob:app://evidock/1b2c',
    ]) {
      expect(isAllowedRequest(url, { devTools: false })).toBe(true);
    }
  });

  it.each([
    'https://cdn.example/antd.css',
    'http://127.0.0.1:7777/',
    'ws://127.0.0.1:7777/rpc',
    'wss://evil.example/',
    'file:///etc/passwd',
    'ftp://evil.example/x',
    'app://evil/index.html',
    'javascript:alert(1)',
    'not a url',
  ])('cancels %s', (url) => {
    expect(isAllowedRequest(url, { devTools: true })).toBe(false);
  });

  it("lets the page fetch from the station's delivery server: that origin, those paths only", () => {
    const deliveryOrigin = 'http://127.0.0.1:41234';
    for (const path of ['/playback/abc', '/thumbnail/abc', '/export/abc']) {
      expect(
        isAllowedRequest(`${deliveryOrigin}${path}`, { devTools: false, deliveryOrigin }),
      ).toBe(true);
      // Before the station said where it delivers from, nothing on the network is reachable.
      expect(isAllowedRequest(`${deliveryOrigin}${path}`, { devTools: false })).toBe(false);
    }
    for (const url of [
      'http://127.0.0.1:41234/',
      'http://127.0.0.1:41234/rpc',
      'http://127.0.0.1:41235/thumbnail/abc',
      'http://localhost:41234/thumbnail/abc',
      'http://user:pw@127.0.0.1:41234/thumbnail/abc',
      'https://127.0.0.1:41234/thumbnail/abc',
      'ws://127.0.0.1:41234/thumbnail/abc',
    ]) {
      expect(isAllowedRequest(url, { devTools: true, deliveryOrigin }), url).toBe(false);
    }
    // An origin that is not a loopback delivery server is never trusted, whatever is said.
    expect(
      isAllowedRequest('https://evil.example/thumbnail/x', {
        devTools: false,
        deliveryOrigin: 'https://evil.example',
      }),
    ).toBe(false);
  });

  it('is the one page origin the station’s delivery server answers', () => {
    expect(APP_ORIGIN).toBe(DESKTOP_PAGE_ORIGIN);
  });
});

describe('withDeliveryKey (D-NO-LEAK: deliveries are bound to the app’s own window)', () => {
  const server = { origin: 'http://127.0.0.1:41234', key: 'k'.repeat(43) };

  it("adds the station's key to the window's playback requests, whatever their method", () => {
    const headers = withDeliveryKey(`${server.origin}/playback/abc`, { Range: 'bytes=0-' }, server);
    expect(headers).toEqual({ Range: 'bytes=0-', 'x-evidock-shell': server.key });
  });

  it("adds it to the window's thumbnail and export fetches too: each is fetched once, by the window", () => {
    for (const url of [`${server.origin}/thumbnail/abc`, `${server.origin}/export/abc`]) {
      expect(withDeliveryKey(url, { 'x-evidock-session': 's' }, server), url).toEqual({
        'x-evidock-session': 's',
        'x-evidock-shell': server.key,
      });
    }
  });

  it('sends it nowhere else: other paths, origins, or before the station said where it is', () => {
    for (const url of [
      `${server.origin}/`,
      `${server.origin}/rpc`,
      'http://127.0.0.1:41235/playback/abc',
      'http://localhost:41234/playback/abc',
      'https://127.0.0.1:41234/playback/abc',
      'http://user:pw@127.0.0.1:41234/playback/abc',
      'https://evil.example/playback/abc',
      'app://evidock/playback/abc',
      'not a url',
    ]) {
      expect(withDeliveryKey(url, { Accept: '*/*' }, server), url).toEqual({ Accept: '*/*' });
    }
    expect(withDeliveryKey(`${server.origin}/playback/abc`, {}, null)).toEqual({});
    // A key the shell would not have accepted from the station is never sent.
    expect(
      withDeliveryKey(`${server.origin}/playback/abc`, {}, { ...server, key: 'short' }),
    ).toEqual({});
  });

  it('removes one the page set itself, under any spelling', () => {
    for (const name of ['x-evidock-shell', 'X-Evidock-Shell', 'X-EVIDOCK-SHELL']) {
      expect(
        withDeliveryKey('https://evil.example/', { [name]: 'guess', Accept: '*/*' }, server),
      ).toEqual({ Accept: '*/*' });
      expect(withDeliveryKey(`${server.origin}/playback/abc`, { [name]: 'guess' }, server)).toEqual(
        { 'x-evidock-shell': server.key },
      );
    }
  });
});

describe('isAllowedRequest, developer tools', () => {
  it('allows devtools: only when developer tools are enabled', () => {
    const url = 'devtools://devtools/bundled/devtools_app.html';
    expect(isAllowedRequest(url, { devTools: false })).toBe(false);
    expect(isAllowedRequest(url, { devTools: true })).toBe(true);
  });
});

describe('windowOpenHandler', () => {
  it('denies every new window', () => {
    expect(windowOpenHandler()).toEqual({ action: 'deny' });
  });
});

describe('permissionDecision', () => {
  it('grants only clipboard writes and full screen, and only to the app', () => {
    expect(permissionDecision('clipboard-sanitized-write', APP_ENTRY_URL)).toBe(true);
    expect(permissionDecision('fullscreen', 'app://evidock')).toBe(true);
    expect(permissionDecision('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(permissionDecision('fullscreen', 'file:///')).toBe(false);
    expect(permissionDecision('fullscreen', undefined)).toBe(false);
  });

  it.each([
    'clipboard-read',
    'media',
    'geolocation',
    'notifications',
    'openExternal',
    'hid',
    'usb',
    'serial',
    'midiSysex',
    'display-capture',
    'fileSystem',
    'pointerLock',
    'unknown',
    'made-up',
  ])('denies %s even to the app', (permission) => {
    expect(permissionDecision(permission, APP_ENTRY_URL)).toBe(false);
  });
});

describe('resolveAppAsset', () => {
  it('maps app URLs to files under the renderer root', () => {
    expect(resolveAppAsset('app://evidock/', root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppAsset('app://evidock/index.html', root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppAsset('app://evidock/assets/index-3f2a.js?v=1#x', root)).toBe(
      path.join(root, 'assets', 'index-3f2a.js'),
    );
    expect(resolveAppAsset('app://evidock/assets/%E6%A1%88%E4%BB%B6.png', root)).toBe(
      path.join(root, 'assets', '案件.png'),
    );
    expect(resolveAppAsset('app://evidock//assets//a.css', root)).toBe(
      path.join(root, 'assets', 'a.css'),
    );
  });

  it.each([
    'app://evidock/../../etc/passwd',
    'app://evidock/assets/../../../etc/passwd',
    'app://evidock/%2e%2e/%2e%2e/etc/passwd',
    'app://evidock/%2E%2E/secret',
    'app://evidock/assets/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    'app://evidock/..%2f..%2fetc/passwd',
    'app://evidock/..%5c..%5cwindows%5cwin.ini',
    'app://evidock/assets\\..\\..\\secret',
    // Dot segments are refused even when they would stay inside the root.
    'app://evidock/assets/../index.html',
    'app://evidock/assets/%2e%2e/index.html',
    'app://evidock/./index.html',
    'app://evidock/%2e/index.html',
    'app://evidock/index.html%00.png',
    'app://evidock/C:%5cWindows%5cwin.ini',
    'app://evidock/%2fetc%2fpasswd',
    'app://evidock/%E0%A4%A',
    'app://evil/index.html',
    'app://evidock:1/index.html',
    'app://x@evidock/index.html',
    'app://evidock',
    'file:///etc/passwd',
    'http://evil/index.html',
    'https://evidock/index.html',
    'javascript:alert(1)',
    'data:text/html,<h1>x</h1>',
    '',
  ])('refuses %s', (url) => {
    expect(resolveAppAsset(url, root)).toBeNull();
  });

  it('never returns a path outside the root', () => {
    const hostile = ['..', '%2e%2e', '%2E%2e', '.%2e', '%252e%252e', '...', '....'];
    for (const a of hostile) {
      for (const b of hostile) {
        const resolved = resolveAppAsset(`app://evidock/${a}/${b}/etc/passwd`, root);
        if (resolved !== null) {
          expect(path.relative(root, resolved).startsWith('..')).toBe(false);
        }
      }
    }
  });

  it('treats a double-encoded dot segment as an ordinary file name', () => {
    // %252e decodes once, to the literal text "%2e": a name inside the root, not a parent.
    expect(resolveAppAsset('app://evidock/%252e%252e/x', root)).toBe(
      path.join(root, '%2e%2e', 'x'),
    );
  });
});

describe('mimeTypeFor', () => {
  it('names the types Vite emits and falls back to opaque bytes', () => {
    expect(mimeTypeFor('/r/index.html')).toBe('text/html; charset=utf-8');
    expect(mimeTypeFor('/r/assets/index-3f2a.JS')).toBe('text/javascript; charset=utf-8');
    expect(mimeTypeFor('/r/assets/index.css')).toBe('text/css; charset=utf-8');
    expect(mimeTypeFor('/r/assets/logo.svg')).toBe('image/svg+xml');
    expect(mimeTypeFor('/r/assets/font.woff2')).toBe('font/woff2');
    expect(mimeTypeFor('/r/README')).toBe('application/octet-stream');
    expect(mimeTypeFor('/r/x.exe')).toBe('application/octet-stream');
  });
});

describe('dataDirOverride, stationArgs and stationEnv', () => {
  it('prefers --data-dir, then EVIDOCK_DATA_DIR, else leaves the default to the station', () => {
    const env = { EVIDOCK_DATA_DIR: '/var/lib/evidock-env' };
    expect(dataDirOverride(['.', '--data-dir', '/data/a'], env)).toBe(path.resolve('/data/a'));
    expect(dataDirOverride(['--data-dir=/data/b'], env)).toBe(path.resolve('/data/b'));
    expect(dataDirOverride([], env)).toBe(path.resolve('/var/lib/evidock-env'));
    expect(dataDirOverride([], {})).toBeUndefined();
    expect(dataDirOverride([], { EVIDOCK_DATA_DIR: '  ' })).toBeUndefined();
  });

  it('ignores a --data-dir without a value and anything after --', () => {
    expect(dataDirOverride(['--data-dir'], {})).toBeUndefined();
    expect(dataDirOverride(['--data-dir', '--inspect'], {})).toBeUndefined();
    expect(dataDirOverride(['--data-dir='], {})).toBeUndefined();
    expect(dataDirOverride(['--', '--data-dir', '/x'], {})).toBeUndefined();
  });

  it('makes a relative directory absolute', () => {
    expect(dataDirOverride(['--data-dir', 'rel/dir'], {})).toBe(path.resolve('rel/dir'));
  });

  it('keeps a development sqlite binding out of a packaged app', () => {
    const env = { PATH: '/usr/bin', EVIDOCK_SQLITE_BINDING: '/dev/cache/b.node', UNSET: undefined };
    expect(stationEnv(env, false)).toEqual({
      PATH: '/usr/bin',
      EVIDOCK_SQLITE_BINDING: '/dev/cache/b.node',
    });
    expect(stationEnv(env, true)).toEqual({ PATH: '/usr/bin' });
  });

  it('passes --data-dir to the station only when one was chosen', () => {
    expect(stationArgs('/data/a')).toEqual(['--data-dir', '/data/a']);
    expect(stationArgs(undefined)).toEqual([]);
  });
});

describe('shellStrings', () => {
  it('speaks Chinese on zh locales and English otherwise', () => {
    expect(shellStrings('zh-CN').quit).toBe('退出');
    expect(shellStrings('zh-TW').quit).toBe('退出');
    expect(shellStrings('en-US').quit).toBe('Quit');
    expect(shellStrings('').quit).toBe('Quit');
    expect(shellStrings('zh-CN').stationStoppedDetail(3)).toContain('3');
  });
});
