// Bundles TypeScript entries (the copy worker, a crash-test child) the way the station bundle
// does, so real worker threads and real child processes run the code under test. Bundles go
// under test-output/ so that npm packages (better-sqlite3) resolve from the repo's node_modules.
import { buildSync } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './cli';

const built = new Map<string, string>();

/** Builds `entry` (repo-relative) once per test process; returns the .mjs path. */
export function bundle(entry: string, name: string): string {
  const cached = built.get(entry);
  if (cached) return cached;
  const outDir = mkdtempSync(join(REPO_ROOT, 'test-output', `bundle-${name}-`));
  const outfile = join(outDir, `${name}.mjs`);
  buildSync({
    entryPoints: [join(REPO_ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    loader: { '.sql': 'text' },
    logLevel: 'warning',
  });
  built.set(entry, outfile);
  return outfile;
}

/** The copy worker, as `dist/station/ingest-worker.mjs` would be. */
export function ingestWorkerScript(): string {
  return bundle('src-main/ingest/worker.ts', 'ingest-worker');
}
