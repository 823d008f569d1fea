#!/usr/bin/env node
// The `evidock` command: the built station CLI.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/station/cli.mjs', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write('evidock is not built yet: run `npm run build` in its folder first.\n');
  process.exit(1);
}
await import(cli.href);
