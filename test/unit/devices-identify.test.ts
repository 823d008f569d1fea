// Which recorder it is: the serial from the profile's sources in order, on real folders, and a
// reason when none gives one.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { identifyRecorder, MARKER_FILE_CAP } from '../../src-main/devices/identify';
import type { RecorderProfile } from '../../src-main/devices/profile';
import { loadProfiles, resolveProfilesDir } from '../../src-main/devices/profiles';
import type { DockedVolume } from '../../src-main/devices/volume';
import { tempDir } from '../support/temp';

const shipped = loadProfiles(resolveProfilesDir());
const byId = (id: string) => shipped.find((p) => p.id === id)!;

let root: { path: string; remove: () => void };
beforeEach(() => {
  root = tempDir('evidock-identify-');
});
afterEach(() => root.remove());

function volume(change: Partial<DockedVolume> = {}): DockedVolume {
  return {
    device: '/dev/sdx',
    mountpoint: root.path,
    label: null,
    size: null,
    isUSB: true,
    ...change,
  };
}

function file(path: string, content = ''): void {
  mkdirSync(join(root.path, path, '..'), { recursive: true });
  writeFileSync(join(root.path, path), content);
}

function withSources(
  base: RecorderProfile,
  serialFrom: RecorderProfile['serialFrom'],
): RecorderProfile {
  return { ...base, serialFrom };
}

describe('identifyRecorder with the shipped profiles', () => {
  it('generic-dcim: the USB serial first', async () => {
    const result = await identifyRecorder(
      volume({ label: 'CAM01', usb: { vendorId: 1, productId: 2, serial: 'A1B2C3' } }),
      byId('generic-dcim'),
    );
    expect(result).toMatchObject({ serial: 'A1B2C3', source: 'usb-serial' });
  });

  it('generic-dcim: the volume label when there is no USB serial', async () => {
    const result = await identifyRecorder(volume({ label: 'CAM01' }), byId('generic-dcim'));
    expect(result).toEqual({
      serial: 'CAM01',
      source: 'volume-label',
      attempts: [
        { source: 'usb-serial', failure: 'no USB device known for the volume' },
        { source: 'volume-label' },
      ],
    });
  });

  it('generic-dcim: a placeholder USB serial is passed over', async () => {
    const result = await identifyRecorder(
      volume({ label: 'CAM02', usb: { vendorId: 1, productId: 2, serial: '0123456789ABCDEF' } }),
      byId('generic-dcim'),
    );
    expect(result).toMatchObject({ serial: 'CAM02', source: 'volume-label' });
    expect(result.attempts[0]?.failure).toMatch(/placeholder/);
  });

  it('dsj-standard: the serial from the first media file name, in name order', async () => {
    file('DCIM/100/notes.txt', 'x');
    file('DCIM/100/DSJ9_A1_20261122083000_0002.MP4');
    file('DCIM/100/DSJ0042_A1234_20261122080000_0001.MP4');
    file('AUDIO/DSJ7777_A1_20261122080000_0001.WAV');
    const result = await identifyRecorder(volume({ label: 'DSJ' }), byId('dsj-standard'));
    expect(result).toMatchObject({ serial: 'DSJ0042', source: 'file-name' });
  });

  it('dsj-standard: media names without a serial, no USB: no serial, and why', async () => {
    file('DCIM/VID_0001.MP4');
    const result = await identifyRecorder(volume(), byId('dsj-standard'));
    expect(result.serial).toBeUndefined();
    expect(result).toMatchObject({
      reason:
        'file-name: none of 1 media file names carries a serial; usb-serial: no USB device known for the volume',
    });
  });

  it('ambarella-bulk: the device id the driver read', async () => {
    const result = await identifyRecorder(volume(), byId('ambarella-bulk'), {
      deviceId: async () => 'AMB00017',
    });
    expect(result).toMatchObject({ serial: 'AMB00017', source: 'driver' });
  });

  it('ambarella-bulk: without a driver, the USB serial', async () => {
    const usb = { vendorId: 0x4255, productId: 1, serial: 'AMBUSB01' };
    const result = await identifyRecorder(volume({ usb }), byId('ambarella-bulk'));
    expect(result).toMatchObject({ serial: 'AMBUSB01', source: 'usb-serial' });
    expect(result.attempts[0]).toEqual({
      source: 'driver',
      failure: 'no driver that reads a device id',
    });
  });

  it('a driver that fails is one failed source, not a crash', async () => {
    const usb = { vendorId: 0x4255, productId: 1, serial: 'AMBUSB01' };
    const result = await identifyRecorder(volume({ usb }), byId('ambarella-bulk'), {
      deviceId: () => Promise.reject(new Error('the recorder refused the password')),
    });
    expect(result).toMatchObject({ serial: 'AMBUSB01', source: 'usb-serial' });
    expect(result.attempts[0]?.failure).toBe('the recorder refused the password');
  });
});

describe('serial sources', () => {
  const generic = byId('generic-dcim');
  const markerSource = (pattern = '^SN=(?<serial>\\w+)') =>
    withSources(generic, [{ source: 'marker-file', path: 'MISC/device.ini', pattern }]);

  it('marker file: the serial group of its content', async () => {
    file('MISC/device.ini', 'MODEL=X9\nSN=K0099\n');
    const result = await identifyRecorder(volume(), markerSource('(?:^|\\n)SN=(?<serial>\\w+)'));
    expect(result).toMatchObject({ serial: 'K0099', source: 'marker-file' });
  });

  it('marker file: over 64 KiB is refused, not read', async () => {
    file('MISC/device.ini', `SN=K0099\n${'#'.repeat(MARKER_FILE_CAP)}`);
    const result = await identifyRecorder(volume(), markerSource());
    expect(result.serial).toBeUndefined();
    expect(result.attempts[0]?.failure).toMatch(/larger than 65536 bytes/);
  });

  it('marker file: a symlink (to a file off the volume) is refused', async () => {
    const outside = tempDir('evidock-outside-');
    try {
      writeFileSync(join(outside.path, 'device.ini'), 'SN=STOLEN1\n');
      mkdirSync(join(root.path, 'MISC'));
      symlinkSync(join(outside.path, 'device.ini'), join(root.path, 'MISC/device.ini'));
      const result = await identifyRecorder(volume(), markerSource());
      expect(result.serial).toBeUndefined();
      expect(result.attempts[0]?.failure).toMatch(/not a regular file/);

      // The folder on the way a symlink instead of the file itself.
      const viaFolder = tempDir('evidock-outside-');
      writeFileSync(join(viaFolder.path, 'device.ini'), 'SN=STOLEN2\n');
      const profile = withSources(generic, [
        { source: 'marker-file', path: 'LINK/device.ini', pattern: '^SN=(?<serial>\\w+)' },
      ]);
      symlinkSync(viaFolder.path, join(root.path, 'LINK'));
      const second = await identifyRecorder(volume(), profile);
      viaFolder.remove();
      expect(second.attempts[0]?.failure).toMatch(/leads outside the volume/);
    } finally {
      outside.remove();
    }
  });

  it('marker file: missing, or content not matching', async () => {
    expect((await identifyRecorder(volume(), markerSource())).attempts[0]?.failure).toMatch(
      /missing/,
    );
    file('MISC/device.ini', 'MODEL=X9\n');
    expect((await identifyRecorder(volume(), markerSource())).attempts[0]?.failure).toMatch(
      /does not match/,
    );
  });

  it('a serial that is not a plain token is refused (it would become an archive path)', async () => {
    const profile = withSources(generic, [{ source: 'volume-label', pattern: '^(?<serial>.+)$' }]);
    for (const label of ['../../etc', 'A/B', '..', ' ']) {
      const result = await identifyRecorder(volume({ label }), profile);
      expect(result.serial, label).toBeUndefined();
    }
    expect((await identifyRecorder(volume({ label: 'CAM-01.b_2' }), profile)).serial).toBe(
      'CAM-01.b_2',
    );
  });

  it('a label pattern without a serial group is reported as such', async () => {
    const profile = withSources(generic, [{ source: 'volume-label', pattern: '^CAM' }]);
    const result = await identifyRecorder(volume({ label: 'CAM01' }), profile);
    expect(result).toMatchObject({ reason: 'volume-label: the pattern has no "serial" group' });
  });

  it('a profile without sources says so', async () => {
    const result = await identifyRecorder(volume(), withSources(generic, []));
    expect(result).toEqual({
      serial: undefined,
      reason: 'profile generic-dcim names no serial source',
      attempts: [],
    });
  });
});

describe('the file-name walk is bounded', () => {
  const dsj = byId('dsj-standard');

  it('stops after the entry budget and says so', async () => {
    for (let i = 0; i < 30; i += 1) file(`DCIM/${String(i).padStart(3, '0')}/clip.txt`);
    file('DCIM/999/DSJ0042_A1_20261122080000_0001.MP4');
    const result = await identifyRecorder(volume(), dsj, undefined, {
      maxEntries: 20,
      maxDepth: 6,
    });
    expect(result.serial).toBeUndefined();
    expect(result.attempts[0]?.failure).toMatch(/stopped after 20 entries/);
  });

  it('does not go deeper than the depth limit', async () => {
    file('DCIM/a/b/c/d/DSJ0042_A1_20261122080000_0001.MP4');
    const shallow = await identifyRecorder(volume(), dsj, undefined, {
      maxEntries: 100,
      maxDepth: 3,
    });
    expect(shallow.serial).toBeUndefined();
    const deep = await identifyRecorder(volume(), dsj, undefined, { maxEntries: 100, maxDepth: 4 });
    expect(deep.serial).toBe('DSJ0042');
  });

  it('does not follow a symlinked folder', async () => {
    const outside = tempDir('evidock-outside-');
    try {
      writeFileSync(join(outside.path, 'DSJ6666_A1_20261122080000_0001.MP4'), '');
      mkdirSync(join(root.path, 'DCIM'));
      symlinkSync(outside.path, join(root.path, 'DCIM/linked'));
      const result = await identifyRecorder(volume(), dsj);
      expect(result.serial).toBeUndefined();
    } finally {
      outside.remove();
    }
  });
});
