// Which profile a docked volume is, on real folders: USB ids beat a label, which beats marker
// files; a stick with none of them matches nothing and is only ever lstat'ed (rule D-NO-LEAK).
import { mkdirSync, readdirSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { matchProfile, matchUsbProfile } from '../../src-main/devices/match';
import type { RecorderProfile } from '../../src-main/devices/profile';
import { loadProfiles, resolveProfilesDir } from '../../src-main/devices/profiles';
import type { DockedVolume } from '../../src-main/devices/volume';
import { tempDir } from '../support/temp';

const shipped = loadProfiles(resolveProfilesDir());

let root: { path: string; remove: () => void };
beforeEach(() => {
  root = tempDir('evidock-match-');
});
afterEach(() => root.remove());

function volume(change: Partial<DockedVolume> = {}): DockedVolume {
  return {
    device: '/dev/sdx',
    mountpoint: root.path,
    label: null,
    size: 1 << 30,
    isUSB: true,
    ...change,
  };
}

function dir(path: string): void {
  mkdirSync(join(root.path, path), { recursive: true });
}

async function idOf(v: DockedVolume, profiles: readonly RecorderProfile[] = shipped) {
  const match = await matchProfile(v, profiles);
  return match && `${match.profile.id} by ${match.by}`;
}

describe('matchProfile with the shipped profiles', () => {
  it('a DCIM folder and nothing else: generic-dcim, by marker files', async () => {
    dir('DCIM/100MEDIA');
    expect(await idOf(volume({ label: 'CAM01' }))).toBe('generic-dcim by marker-files');
  });

  it('a DSJ… label: dsj-standard by label, even with the DCIM folder generic-dcim also wants', async () => {
    dir('DCIM');
    expect(await idOf(volume({ label: 'DSJ0042' }))).toBe('dsj-standard by volume-label');
  });

  it('a DSJ… label on an empty card (freshly cleared recorder): still dsj-standard', async () => {
    expect(await idOf(volume({ label: 'DSJ0042' }))).toBe('dsj-standard by volume-label');
  });

  it('USB 4255:0001: ambarella-bulk by USB, whatever the label and folders say', async () => {
    dir('DCIM');
    const usb = { vendorId: 0x4255, productId: 0x0001, serial: 'X1' };
    expect(await idOf(volume({ label: 'DSJ0042', usb }))).toBe('ambarella-bulk by usb');
  });

  it('other USB ids do not make a recorder of it', async () => {
    const usb = { vendorId: 0x0781, productId: 0x5567, serial: '4C530001' };
    expect(await idOf(volume({ label: 'SANDISK', usb }))).toBeUndefined();
  });

  it('a plain USB stick: no profile', async () => {
    writeFileSync(join(root.path, 'report.docx'), 'private');
    dir('Photos');
    expect(await idOf(volume({ label: 'KINGSTON' }))).toBeUndefined();
  });

  it('a DCIM symlink does not count as the folder', async () => {
    dir('elsewhere');
    symlinkSync(join(root.path, 'elsewhere'), join(root.path, 'DCIM'));
    expect(await idOf(volume())).toBeUndefined();
  });

  it('a label without the DSJ prefix does not match dsj-standard', async () => {
    dir('DCIM');
    expect(await idOf(volume({ label: 'XDSJ01' }))).toBe('generic-dcim by marker-files');
  });
});

describe('matchProfile rules', () => {
  const base = shipped.find((p) => p.id === 'generic-dcim')!;
  const profile = (id: string, match: Partial<RecorderProfile['match']>): RecorderProfile => ({
    ...base,
    id,
    match: { usb: [], markerFiles: [], ...match },
  });

  it('all marker files must exist', async () => {
    dir('DCIM');
    const two = profile('two-markers', { markerFiles: ['DCIM', 'MISC/VERSION.TXT'] });
    expect(await idOf(volume(), [two])).toBeUndefined();
    dir('MISC');
    writeFileSync(join(root.path, 'MISC/VERSION.TXT'), '');
    expect(await idOf(volume(), [two])).toBe('two-markers by marker-files');
  });

  it('among equals, the profile whose other rules also hold wins; then list order', async () => {
    dir('DCIM');
    const labelOnly = profile('label-only', { volumeLabel: '^CAM' });
    const labelAndDcim = profile('label-and-dcim', { volumeLabel: '^CAM', markerFiles: ['DCIM'] });
    expect(await idOf(volume({ label: 'CAM7' }), [labelOnly, labelAndDcim])).toBe(
      'label-and-dcim by volume-label',
    );
    const twin = profile('twin', { volumeLabel: '^CAM' });
    expect(await idOf(volume({ label: 'CAM7' }), [labelOnly, twin])).toBe(
      'label-only by volume-label',
    );
  });

  it('a profile with USB ids never matches a volume whose USB device is unknown', async () => {
    dir('DCIM');
    const amba = shipped.find((p) => p.id === 'ambarella-bulk')!;
    expect(await idOf(volume(), [amba])).toBeUndefined();
  });

  it('D-NO-LEAK: a stick is not listed and none of its files is read (access times unchanged)', async () => {
    dir('Photos');
    writeFileSync(join(root.path, 'secret.txt'), 'not for the station');
    writeFileSync(join(root.path, 'Photos/holiday.jpg'), 'private');
    const paths = ['', 'secret.txt', 'Photos', 'Photos/holiday.jpg'].map((p) => join(root.path, p));
    // relatime still updates an access time older than a day: a listing or a read would show.
    const old = new Date('2001-01-01T00:00:00Z');
    for (const path of paths) utimesSync(path, old, old);
    const control = join(root.path, 'Photos');
    readdirSync(control);
    expect(statSync(control).atimeMs).toBeGreaterThan(old.getTime());
    utimesSync(control, old, old);

    expect(await idOf(volume({ label: 'STICK' }))).toBeUndefined();
    for (const path of paths) expect(statSync(path).atimeMs, path).toBe(old.getTime());
  });
});

describe('matchUsbProfile (a recorder before it has a volume)', () => {
  it('4255:0001 is ambarella-bulk; anything else is no profile', () => {
    expect(matchUsbProfile({ vendorId: 0x4255, productId: 0x0001 }, shipped)?.id).toBe(
      'ambarella-bulk',
    );
    expect(matchUsbProfile({ vendorId: 0x4255, productId: 0x0002 }, shipped)).toBeUndefined();
  });
});
