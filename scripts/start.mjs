// What `npm start` runs after `npm run build`: the desktop app when the Electron runtime is
// installed, otherwise the station in browser mode (`evidock station`). Arguments are passed on
// (e.g. --data-dir <dir>, --port <n> for browser mode).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { ensureElectronSqliteBinding } from './electron-native.mjs';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);

const electron = electronRuntime();
if (electron === null) {
  console.log(
    'evidock: the Electron desktop runtime is not installed here, so the station starts in browser mode.',
  );
  startBrowserMode();
} else {
  let binding;
  try {
    binding = await ensureElectronSqliteBinding({
      projectRoot,
      electronVersion: electron.version,
      headersDir: process.env.EVIDOCK_ELECTRON_HEADERS_DIR || undefined,
      log: (line) => console.log(line),
    });
  } catch (error) {
    // Without an Electron-ABI binding the station would fail to open its catalogue inside the
    // desktop app; browser mode uses the Node-ABI build that is already installed.
    const reason = error instanceof Error ? error.message : String(error);
    console.log(
      `evidock: better-sqlite3 could not be built for Electron ${electron.version} (${reason}), so the station starts in browser mode.`,
    );
    startBrowserMode();
  }
  if (binding !== undefined) {
    const env = { ...process.env, EVIDOCK_SQLITE_BINDING: binding };
    // Set by some tool chains; it would make the binary run as plain Node instead of the app.
    delete env.ELECTRON_RUN_AS_NODE;
    run(electron.path, ['.', ...args], env);
  }
}

/**
 * The Electron binary, or null. With ELECTRON_SKIP_BINARY_DOWNLOAD the electron package is
 * installed without it: require('electron') then throws or names a file that does not exist.
 */
function electronRuntime() {
  const require = createRequire(import.meta.url);
  try {
    const path = require('electron');
    if (typeof path !== 'string' || !existsSync(path)) return null;
    const manifest = JSON.parse(
      readFileSync(require.resolve('electron/package.json', { paths: [projectRoot] }), 'utf8'),
    );
    return { path, version: manifest.version };
  } catch {
    return null;
  }
}

function startBrowserMode() {
  run(
    process.execPath,
    [fileURLToPath(new URL('../bin/evidock.mjs', import.meta.url)), 'station', ...args],
    process.env,
  );
}

/**
 * Runs the child in the foreground: signals are passed on so it can stop cleanly (the station
 * checkpoints its catalogue), and its exit status becomes ours.
 */
function run(command, commandArgs, env) {
  // On POSIX the child gets its own process group: Ctrl+C in the terminal then reaches only this
  // script, which passes it on once. Delivered twice, the second SIGINT could cut the station's
  // clean stop short. (On Windows a detached child would open a new console window.)
  const child = spawn(command, commandArgs, {
    cwd: projectRoot,
    env,
    stdio: 'inherit',
    detached: process.platform !== 'win32',
  });
  // npm passes the terminal's signal on to this script as well, so the same signal can arrive
  // twice: each kind is forwarded once.
  const forwarded = new Set();
  const forward = (signal) => {
    if (forwarded.has(signal) || child.exitCode !== null || child.signalCode !== null) return;
    forwarded.add(signal);
    child.kill(signal);
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, forward);
  child.on('error', (error) => {
    console.error(`evidock: could not start ${command}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    for (const name of signals) process.off(name, forward);
    if (signal !== null) {
      // Die of the same signal, so whoever started `npm start` sees what really happened.
      process.kill(process.pid, signal);
      return;
    }
    process.exit(code ?? 1);
  });
}
