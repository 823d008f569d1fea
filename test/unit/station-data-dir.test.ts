// Where the station keeps catalogue, archive and keys: --data-dir, else EVIDOCK_DATA_DIR, else the
// operating system's per-user application data folder.
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, resolveDataDir } from '../../src-main/station/data-dir';

describe('resolveDataDir', () => {
  it('the --data-dir flag wins over EVIDOCK_DATA_DIR and the default', () => {
    const env = { EVIDOCK_DATA_DIR: '/srv/from-env', HOME: '/home/li' };
    expect(resolveDataDir('/srv/from-flag', env)).toBe(resolve('/srv/from-flag'));
  });

  it('a relative --data-dir is taken from the current folder, as an absolute path', () => {
    const dir = resolveDataDir('station-data', {});
    expect(dir).toBe(resolve(process.cwd(), 'station-data'));
    expect(isAbsolute(dir)).toBe(true);
  });

  it('without the flag, EVIDOCK_DATA_DIR wins over the default', () => {
    expect(resolveDataDir(undefined, { EVIDOCK_DATA_DIR: '/srv/from-env', HOME: '/home/li' })).toBe(
      resolve('/srv/from-env'),
    );
    expect(resolveDataDir('', { EVIDOCK_DATA_DIR: '/srv/from-env' })).toBe(
      resolve('/srv/from-env'),
    );
  });

  it('with neither, it is this operating system’s per-user default', () => {
    const env = { HOME: '/home/li', APPDATA: '/home/li/AppData/Roaming' };
    expect(resolveDataDir(undefined, env)).toBe(defaultDataDir(process.platform, env));
    expect(resolveDataDir(undefined, { ...env, EVIDOCK_DATA_DIR: '' })).toBe(
      defaultDataDir(process.platform, env),
    );
  });
});

describe('defaultDataDir', () => {
  it('linux: $XDG_DATA_HOME/evidock, else ~/.local/share/evidock', () => {
    expect(defaultDataDir('linux', { HOME: '/home/li', XDG_DATA_HOME: '/data/li' })).toBe(
      join('/data/li', 'evidock'),
    );
    expect(defaultDataDir('linux', { HOME: '/home/li' })).toBe(
      join('/home/li', '.local', 'share', 'evidock'),
    );
  });

  it('win32: %APPDATA%\\evidock, else the profile’s AppData\\Roaming', () => {
    expect(
      defaultDataDir('win32', {
        APPDATA: 'C:\\Users\\li\\AppData\\Roaming',
        USERPROFILE: 'C:\\Users\\li',
      }),
    ).toBe(join('C:\\Users\\li\\AppData\\Roaming', 'evidock'));
    expect(defaultDataDir('win32', { USERPROFILE: 'C:\\Users\\li' })).toBe(
      join('C:\\Users\\li', 'AppData', 'Roaming', 'evidock'),
    );
  });

  it('darwin: ~/Library/Application Support/evidock', () => {
    expect(defaultDataDir('darwin', { HOME: '/Users/li' })).toBe(
      join('/Users/li', 'Library', 'Application Support', 'evidock'),
    );
  });

  it('without HOME or USERPROFILE, the account’s home folder is asked of the OS', () => {
    expect(defaultDataDir('linux', {})).toBe(join(homedir(), '.local', 'share', 'evidock'));
  });

  it('an empty XDG_DATA_HOME counts as unset (XDG spec), never a folder relative to where the station was started', () => {
    const dir = defaultDataDir('linux', { HOME: '/home/li', XDG_DATA_HOME: '' });
    expect(dir).toBe(join('/home/li', '.local', 'share', 'evidock'));
    expect(isAbsolute(dir)).toBe(true);
  });
});
