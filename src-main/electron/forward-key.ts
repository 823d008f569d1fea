// The key that seals central-storage targets' access keys at rest, kept by the OS keychain
// (safeStorage: DPAPI on Windows, the Keychain on macOS, the Secret Service on Linux): a copy of
// the disk, data folder and all, then carries no usable key. Where the OS offers no keychain the
// station keeps its own key file (keys/forward-secrets.key, 0600), as `evidock station` does.
import { safeStorage } from 'electron';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Where the sealed key lives: the app's per-user folder. */
const FILE = 'forward-secrets.safe';
const KEY_PATTERN = /^[A-Za-z0-9+/]{43}=$/;

/** The key as base64, for the station's environment; null: the station uses its key file. */
export function forwardSecretsKey(folder: string): string | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  // Linux without a Secret Service: "basic_text" is a hard-coded password, not a keychain.
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    return null;
  }
  const file = path.join(folder, FILE);
  try {
    const key = safeStorage.decryptString(readFileSync(file));
    if (KEY_PATTERN.test(key)) return key;
    console.error(`evidock: ${file} does not hold a key; targets' keys must be entered again`);
    return null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      console.error(
        `evidock: the keychain cannot open ${file}; targets' keys must be entered again`,
      );
      return null;
    }
  }
  const key = randomBytes(32).toString('base64');
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  writeFileSync(file, safeStorage.encryptString(key), { mode: 0o600, flag: 'wx' });
  return key;
}
