import { execFileSync } from 'node:child_process';
import { REPO_ROOT } from './cli';

/** Integration tests drive the built CLI: bundle the main process first (esbuild, ~1 s). */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-main.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
}
