// Builds an Electron-ABI copy of better-sqlite3's native binding for development runs.
//
// node_modules/better-sqlite3 is built for Node's ABI (the CLI, browser mode and tests use it), so
// it cannot be rebuilt in place. Instead its sources are copied and built for Electron into
// .cache/electron-native/<electron version>/better_sqlite3.node; the station loads that file when
// EVIDOCK_SQLITE_BINDING names it. Packaged apps do not need this: electron-builder rebuilds the
// shipped copy for Electron (npmRebuild).
import { spawn } from 'node:child_process';
import { cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * npm exports its config to child processes as npm_config_*, and node-gyp and prebuild-install
 * let those override their own command-line flags. A machine-wide `nodedir` (pointing at Node's
 * headers) would then silently produce a Node-ABI binary under an Electron name. Proxy settings
 * are kept.
 */
const TARGET_SELECTING_CONFIG =
  /^npm_(config|package_config_node_gyp)_(nodedir|target|target_arch|arch|runtime|disturl|dist_url|devdir|build_from_source|platform|libc|tag_prefix)$/i;

function buildEnv() {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (TARGET_SELECTING_CONFIG.test(name)) delete env[name];
  }
  return env;
}

/**
 * Returns the path of an Electron-ABI better_sqlite3.node, building it first if the cache holds
 * none for this Electron version, better-sqlite3 version and platform. Throws if it cannot be
 * built (no compiler, no network for the headers, …).
 *
 * @param {object} options
 * @param {string} options.projectRoot   the folder holding node_modules
 * @param {string} options.electronVersion  e.g. "41.7.1"
 * @param {string} [options.cacheRoot]   default <projectRoot>/.cache
 * @param {string} [options.headersDir]  extracted Electron headers, for machines without internet
 * @param {(line: string) => void} [options.log]
 */
export async function ensureElectronSqliteBinding({
  projectRoot,
  electronVersion,
  cacheRoot = join(projectRoot, '.cache'),
  headersDir,
  log = () => {},
}) {
  const source = join(projectRoot, 'node_modules', 'better-sqlite3');
  const { version: sqliteVersion } = JSON.parse(
    await readFile(join(source, 'package.json'), 'utf8'),
  );
  const cacheDir = join(cacheRoot, 'electron-native', electronVersion);
  const binding = join(cacheDir, 'better_sqlite3.node');
  const stampFile = join(cacheDir, 'better_sqlite3.json');
  // The JavaScript half in node_modules and the native half must be the same release.
  const stamp = {
    betterSqlite3: sqliteVersion,
    electron: electronVersion,
    platform: process.platform,
    arch: process.arch,
  };
  if (existsSync(binding) && (await readStamp(stampFile)) === JSON.stringify(stamp)) return binding;

  log(
    `evidock: building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (once; cached in ${cacheDir})`,
  );
  const work = join(cacheDir, 'better-sqlite3-build');
  await rm(work, { recursive: true, force: true });
  await mkdir(cacheDir, { recursive: true });
  await cp(source, work, {
    recursive: true,
    // The Node-ABI build output and nested modules are not sources.
    filter: (path) => !/[\\/]better-sqlite3[\\/](build|node_modules)([\\/]|$)/.test(path),
  });

  const env = buildEnv();
  const built = join(work, 'build', 'Release', 'better_sqlite3.node');
  const attempts = [];
  // better-sqlite3's own install does the same: a published prebuild first, else compile.
  if (headersDir === undefined) {
    attempts.push({
      name: 'prebuild-install',
      args: [
        join(projectRoot, 'node_modules', 'prebuild-install', 'bin.js'),
        '--runtime=electron',
        `--target=${electronVersion}`,
        `--arch=${process.arch}`,
        `--platform=${process.platform}`,
      ],
    });
  }
  attempts.push({
    name: 'node-gyp',
    args: [
      join(projectRoot, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
      'rebuild',
      '--release',
      '--runtime=electron',
      `--target=${electronVersion}`,
      `--arch=${process.arch}`,
      '--dist-url=https://electronjs.org/headers',
      `--devdir=${join(cacheRoot, 'node-gyp')}`,
      '--jobs=max',
      ...(headersDir === undefined ? [] : [`--nodedir=${headersDir}`]),
    ],
  });

  const logFile = join(cacheDir, 'build.log');
  const transcript = [];
  const failures = [];
  for (const { name, args } of attempts) {
    const result = await runNode(args, { cwd: work, env });
    transcript.push(`$ node ${args.join(' ')}\n${result.output}\nexit ${result.code}\n`);
    if (result.code === 0 && existsSync(built)) break;
    failures.push(`${name}: ${result.reason || `exit ${result.code}`}`);
  }
  await writeFile(logFile, transcript.join('\n'));
  if (!existsSync(built)) {
    throw new Error(`${failures.join('; ')}; full log in ${logFile}`);
  }

  // Renamed into place so an interrupted build never leaves a half-written binding behind.
  await cp(built, `${binding}.partial`);
  await rename(`${binding}.partial`, binding);
  await writeFile(stampFile, JSON.stringify(stamp));
  await rm(work, { recursive: true, force: true });
  return binding;
}

async function readStamp(file) {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}

/** Runs a Node script quietly; resolves with its exit code, its output and the likeliest reason. */
function runNode(args, { cwd, env }) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk) => {
      output = (output + chunk.toString()).slice(-262_144);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (error) => resolve({ code: -1, output, reason: error.message }));
    child.on('close', (code) =>
      resolve({ code: code ?? -1, output, reason: failureReason(output) }),
    );
  });
}

/** node-gyp's first error message says what went wrong; the last lines only say that it did. */
function failureReason(output) {
  const lines = output.split('\n').map((line) => line.trim());
  const first = lines.findIndex((line) => /^gyp ERR! stack \w*Error/.test(line));
  if (first !== -1) {
    const message = [];
    for (const line of lines.slice(first)) {
      if (!line.startsWith('gyp ERR! stack ') || /^gyp ERR! stack\s+at /.test(line)) break;
      message.push(line.slice('gyp ERR! stack '.length));
    }
    return message.join(' ').slice(0, 300);
  }
  const warning = lines.findLast((line) => / (warn|ERR!) /.test(line));
  const reason = warning ?? lines.findLast((line) => line !== '') ?? '';
  return reason.replace(/^prebuild-install warn /, '').slice(0, 300);
}
