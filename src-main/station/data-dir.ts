import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where the station keeps its catalogue, archive and keys: `--data-dir`, else EVIDOCK_DATA_DIR,
 * else the operating system's per-user application data folder.
 */
export function resolveDataDir(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (flag) return resolve(flag);
  if (env.EVIDOCK_DATA_DIR) return resolve(env.EVIDOCK_DATA_DIR);
  return defaultDataDir(process.platform, env);
}

export function defaultDataDir(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string {
  // Empty variables count as unset (XDG spec), never as a folder relative to the working dir.
  const home = env.HOME || env.USERPROFILE || homedir();
  switch (platform) {
    case 'win32':
      return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'evidock');
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'evidock');
    default:
      return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'evidock');
  }
}
