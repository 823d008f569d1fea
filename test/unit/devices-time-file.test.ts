// The time-file clock sync: the profile's file, in its format, written whole at the volume root
// and never anywhere else.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDriver } from '../../src-main/devices/drivers/create-driver';
import { loadProfiles, resolveProfilesDir } from '../../src-main/devices/profiles';
import { writeTimeFile } from '../../src-main/devices/time-file';
import { formatWallClock } from '../../src-main/devices/wall-clock';
import { tempDir } from '../support/temp';

const profiles = loadProfiles(resolveProfilesDir());
const at = new Date('2026-11-22T00:30:05.900Z');

let volume: { path: string; remove: () => void };
beforeEach(() => {
  volume = tempDir('evidock-timefile-');
});
afterEach(() => volume.remove());

describe('formatWallClock', () => {
  it('fills the tokens in the given zone and keeps everything else', () => {
    expect(formatWallClock(at, 'YYYY-MM-DD HH:mm:ss', 'Asia/Shanghai')).toBe('2026-11-22 08:30:05');
    expect(formatWallClock(at, 'YYYYMMDDHHmmss', 'UTC')).toBe('20261122003005');
    expect(formatWallClock(at, 'T=YYYY/MM/DD\nZ', 'Asia/Shanghai')).toBe('T=2026/11/22\nZ');
  });

  it('midnight is 00, not 24', () => {
    expect(formatWallClock(new Date('2026-11-21T16:00:00Z'), 'HH:mm', 'Asia/Shanghai')).toBe(
      '00:00',
    );
  });
});

describe('writeTimeFile', () => {
  const spec = { path: 'time.txt', format: 'YYYY-MM-DD HH:mm:ss' };

  it('writes the formatted time, replacing an older file, leaving no temp file', async () => {
    writeFileSync(join(volume.path, 'time.txt'), '2020-01-01 00:00:00');
    const written = await writeTimeFile(volume.path, spec, at, { timeZone: 'Asia/Shanghai' });
    expect(written).toBe(join(volume.path, 'time.txt'));
    expect(readFileSync(written, 'utf8')).toBe('2026-11-22 08:30:05');
    expect(readdirSync(volume.path)).toEqual(['time.txt']);
  });

  it('into a folder on the volume that exists', async () => {
    mkdirSync(join(volume.path, 'SYSTEM'));
    await writeTimeFile(volume.path, { path: 'SYSTEM/TIME.TXT', format: 'YYYYMMDDHHmmss' }, at, {
      timeZone: 'UTC',
    });
    expect(readFileSync(join(volume.path, 'SYSTEM/TIME.TXT'), 'utf8')).toBe('20261122003005');
  });

  it.each(['../time.txt', '/etc/evidock-time.txt', 'a/../../time.txt', 'C:\\time.txt', ''])(
    'refuses a path that is not inside the volume: %j',
    async (path) => {
      await expect(writeTimeFile(volume.path, { ...spec, path }, at)).rejects.toThrow(
        /not a relative path inside the volume/,
      );
    },
  );

  it('refuses a folder on the volume that is a symlink leading off it', async () => {
    const outside = tempDir('evidock-outside-');
    try {
      symlinkSync(outside.path, join(volume.path, 'SYSTEM'));
      await expect(
        writeTimeFile(volume.path, { ...spec, path: 'SYSTEM/time.txt' }, at),
      ).rejects.toThrow(/leads outside the volume/);
      expect(readdirSync(outside.path)).toEqual([]);
    } finally {
      outside.remove();
    }
  });

  it('replaces a symlink at the target instead of writing through it', async () => {
    const outside = tempDir('evidock-outside-');
    try {
      const victim = join(outside.path, 'victim.txt');
      writeFileSync(victim, 'untouched');
      symlinkSync(victim, join(volume.path, 'time.txt'));
      await writeTimeFile(volume.path, spec, at, { timeZone: 'UTC' });
      expect(readFileSync(victim, 'utf8')).toBe('untouched');
      expect(() => readlinkSync(join(volume.path, 'time.txt'))).toThrow();
      expect(readFileSync(join(volume.path, 'time.txt'), 'utf8')).toBe('2026-11-22 00:30:05');
    } finally {
      outside.remove();
    }
  });

  it('a folder where the file should be is an error, not overwritten', async () => {
    mkdirSync(join(volume.path, 'time.txt'));
    await expect(writeTimeFile(volume.path, spec, at)).rejects.toThrow(/is not a file/);
    expect(readdirSync(volume.path)).toEqual(['time.txt']);
  });

  it('a missing folder on the way is an error, nothing created', async () => {
    await expect(
      writeTimeFile(volume.path, { ...spec, path: 'SYSTEM/time.txt' }, at),
    ).rejects.toThrow(/ENOENT/);
    expect(existsSync(join(volume.path, 'SYSTEM'))).toBe(false);
  });
});

describe('mass-storage driver', () => {
  const dsj = profiles.find((p) => p.id === 'dsj-standard')!;
  const generic = profiles.find((p) => p.id === 'generic-dcim')!;

  it('dsj-standard sets the clock through its time file', async () => {
    const driver = createDriver(dsj, { mountpoint: volume.path, timeZone: 'Asia/Shanghai' });
    expect(driver.kind).toBe('mass-storage');
    await driver.open();
    await driver.setClock!(at);
    await driver.close();
    expect(readFileSync(join(volume.path, 'time.txt'), 'utf8')).toBe('2026-11-22 08:30:05');
  });

  it('generic-dcim has no clock to set or read, and no device id', () => {
    const driver = createDriver(generic, { mountpoint: volume.path });
    expect(driver.setClock).toBeUndefined();
    expect(driver.readClock).toBeUndefined();
    expect(driver.deviceId).toBeUndefined();
  });

  it('open fails when the volume is gone', async () => {
    const driver = createDriver(generic, { mountpoint: join(volume.path, 'unplugged') });
    await expect(driver.open()).rejects.toThrow(/ENOENT/);
  });
});
