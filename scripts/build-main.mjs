// Bundles the station (Node) and the Electron shell with esbuild. npm packages stay external:
// native modules (better-sqlite3, …) must be loaded from node_modules, and electron-builder
// ships node_modules with the app.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  packages: 'external',
  loader: { '.sql': 'text' },
  logLevel: 'warning',
};

await rm('dist/station', { recursive: true, force: true });
await rm('dist/electron', { recursive: true, force: true });

await Promise.all([
  build({
    ...common,
    entryPoints: {
      cli: 'src-main/station/cli.ts',
      utility: 'src-main/station/utility.ts',
      // Copy, hash and read-back run in worker threads (src-main/ingest/copier.ts finds it here).
      'ingest-worker': 'src-main/ingest/worker.ts',
    },
    outdir: 'dist/station',
    format: 'esm',
    outExtension: { '.js': '.mjs' },
  }),
  build({
    ...common,
    entryPoints: { main: 'src-main/electron/main.ts' },
    outdir: 'dist/electron',
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    external: ['electron'],
  }),
  // A sandboxed preload cannot load modules: it must be one self-contained CommonJS file.
  build({
    ...common,
    packages: undefined,
    entryPoints: { preload: 'src-main/electron/preload.ts' },
    outdir: 'dist/electron',
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    external: ['electron'],
  }),
]);
