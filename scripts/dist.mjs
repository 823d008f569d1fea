// `npm run dist`: packages the desktop app. electron-builder rebuilds native modules in place
// for Electron's ABI; rebuild them for Node afterwards so the CLI and the tests keep working.
import { spawnSync } from 'node:child_process';

const shell = process.platform === 'win32';
const run = (command, args) => spawnSync(command, args, { stdio: 'inherit', shell }).status ?? 1;

const packaged = run('npx', [
  'electron-builder',
  '--config',
  'electron-builder.yml',
  ...process.argv.slice(2),
]);
const restored = run('npm', ['rebuild', 'better-sqlite3']);
process.exit(packaged || restored);
