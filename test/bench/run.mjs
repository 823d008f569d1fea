// `npm run bench` / `npm run bench:ingest` / `npm run bench:catalogue` / `npm run bench:forward` /
// `npm run bench:disc`: bundles a bench (TypeScript), and the copy worker for the benches that
// ingest, with esbuild, as scripts/build-main.mjs bundles the station, and runs it with node. The
// forwarding and disc benches drive the station CLI as a custodian would: they get its own bundle
// of today's sources (not dist/, which may be stale or rebuilt meanwhile). Benches are not tests:
// they are never part of `npm test`.
//
// The bundles go to test-output/bench/, two folders below the repo root like test/support/, so
// that the support modules' paths relative to their own module (the repo root, node_modules for
// ffmpeg and better-sqlite3) resolve the same from the bundle.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(REPO_ROOT, 'test-output', 'bench');
const BENCHES = ['ingest', 'catalogue', 'forward', 'disc'];
/** The benches that run the station's copy worker (a bundle of its own). */
const NEEDS_WORKER = new Set(['ingest', 'forward', 'disc']);
/** The benches that run the station CLI (bundled as cli.mjs, the copy worker beside it). */
const NEEDS_CLI = new Set(['forward', 'disc']);

// Names are benches; options (`--…`) go to each bench, e.g. `npm run bench:catalogue -- --rebuild`,
// with their values (`npm run bench:disc -- --bytes 200M`).
const VALUED = new Set(['--bytes']);
const argv = process.argv.slice(2);
const isValue = (i) => i > 0 && VALUED.has(argv[i - 1]);
const asked = argv.filter((a, i) => !a.startsWith('-') && !isValue(i));
const passed = argv.filter((a, i) => a.startsWith('-') || isValue(i));
const unknown = asked.filter((name) => !BENCHES.includes(name));
if (unknown.length > 0) {
  console.error(`unknown bench ${unknown.join(', ')}; there are: ${BENCHES.join(', ')}`);
  process.exit(2);
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  loader: { '.sql': 'text' },
  logLevel: 'warning',
};

let failed = false;
for (const name of asked.length > 0 ? asked : BENCHES) {
  mkdirSync(OUT, { recursive: true });
  const script = join(OUT, `${name}.bench.mjs`);
  const worker = NEEDS_WORKER.has(name) ? join(OUT, 'ingest-worker.mjs') : undefined;
  const cli = NEEDS_CLI.has(name) ? join(OUT, 'cli.mjs') : undefined;
  try {
    await build({
      ...common,
      entryPoints: [join(REPO_ROOT, 'test', 'bench', `${name}.bench.ts`)],
      outfile: script,
    });
    if (worker !== undefined) {
      await build({
        ...common,
        entryPoints: [join(REPO_ROOT, 'src-main', 'ingest', 'worker.ts')],
        outfile: worker,
      });
    }
    if (cli !== undefined) {
      await build({
        ...common,
        entryPoints: [join(REPO_ROOT, 'src-main', 'station', 'cli.ts')],
        outfile: cli,
      });
    }
    failed = (await runBench(script, worker, cli)) !== 0 || failed;
  } finally {
    rmSync(script, { force: true });
    if (worker !== undefined) rmSync(worker, { force: true });
    if (cli !== undefined) rmSync(cli, { force: true });
  }
}
process.exitCode = failed ? 1 : 0;

/** Runs the bundle; a Ctrl-C or a SIGTERM lets it undock and clean up before this exits. */
function runBench(script, worker, cli) {
  return new Promise((resolve) => {
    const args = [
      script,
      ...(worker === undefined ? [] : ['--worker', worker]),
      ...(cli === undefined ? [] : ['--cli', cli]),
    ];
    const child = spawn(process.execPath, [...args, ...passed], { stdio: 'inherit' });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('close', (code) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? 1);
    });
  });
}
