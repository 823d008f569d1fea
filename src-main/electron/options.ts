// The station's command line as the desktop shell builds it, decided without Electron so it can
// be tested.
import path from 'node:path';

/**
 * Where the shell hands the station the keychain-kept key for target keys: the environment of
 * the process it forks (readable by the same OS account only, as the data folder is); the station
 * takes it out of its environment at start.
 */
export const FORWARD_KEY_ENV = 'EVIDOCK_FORWARD_KEY';

/**
 * The data directory the user asked for: `--data-dir <dir>` / `--data-dir=<dir>` on the desktop
 * app's command line, else EVIDOCK_DATA_DIR. Undefined when neither is given: the station then
 * applies its own default (the OS's per-user app data folder), the same one `evidock station`
 * uses, so desktop and browser mode never end up with two catalogues on one machine.
 * Relative paths are taken from the working directory, as a shell user would expect.
 */
export function dataDirOverride(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const fromArgv = dataDirArgument(argv);
  if (fromArgv !== undefined) return path.resolve(fromArgv);
  const fromEnv = env.EVIDOCK_DATA_DIR;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return path.resolve(fromEnv);
  return undefined;
}

/**
 * The station's environment. EVIDOCK_SQLITE_BINDING points the catalogue at an Electron-ABI
 * better-sqlite3 built for development (scripts/start.mjs); a packaged app carries its own,
 * rebuilt at packaging, so a stray value left in a workstation's environment must not override it.
 */
export function stationEnv(
  env: Readonly<Record<string, string | undefined>>,
  packaged: boolean,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (packaged && name === 'EVIDOCK_SQLITE_BINDING') continue;
    // Only the shell's own keychain key is passed on, never one inherited from outside.
    if (name === FORWARD_KEY_ENV) continue;
    out[name] = value;
  }
  return out;
}

/** The argv for dist/station/utility.mjs. */
export function stationArgs(dataDir: string | undefined): string[] {
  return dataDir === undefined ? [] : ['--data-dir', dataDir];
}

function dataDirArgument(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') return undefined;
    if (arg === '--data-dir') {
      const next = argv[i + 1];
      return next !== undefined && next !== '' && !next.startsWith('-') ? next : undefined;
    }
    if (arg?.startsWith('--data-dir=')) {
      const value = arg.slice('--data-dir='.length);
      return value === '' ? undefined : value;
    }
  }
  return undefined;
}
