// Recorder profiles are data a unit may edit: the shipped ones must load, and a broken one must
// be refused with the file and the field named, loading nothing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mediaKindOf, recorderProfileSchema } from '../../src-main/devices/profile';
import {
  loadProfiles,
  ProfileLoadError,
  resolveProfilesDir,
} from '../../src-main/devices/profiles';
import { tempDir } from '../support/temp';

const shippedDir = join(import.meta.dirname, '../../resources/recorders');

const minimal = {
  id: 'test-cam',
  name: { 'zh-CN': '测试', en: 'Test' },
  deviceKind: 'body-camera',
  driver: 'mass-storage',
  match: { markerFiles: ['DCIM'] },
  mediaFolders: ['DCIM'],
  mediaKinds: { video: ['mp4'] },
};

let dir: { path: string; remove: () => void };
beforeEach(() => {
  dir = tempDir('evidock-profiles-');
});
afterEach(() => dir.remove());

function write(name: string, value: unknown): void {
  writeFileSync(join(dir.path, name), typeof value === 'string' ? value : JSON.stringify(value));
}

function problemsOf(fn: () => unknown): Array<{ file: string; field?: string; message: string }> {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ProfileLoadError);
    return [...(error as ProfileLoadError).problems];
  }
  throw new Error('expected a ProfileLoadError');
}

describe('shipped profiles', () => {
  it('all load and validate: generic-dcim, ambarella-bulk, dsj-standard', () => {
    const profiles = loadProfiles(shippedDir);
    expect(profiles.map((p) => p.id)).toEqual(['ambarella-bulk', 'dsj-standard', 'generic-dcim']);
  });

  it('ambarella-bulk matches USB 4255:0001 and uses the amba-bulk driver and clock', () => {
    const amba = loadProfiles(shippedDir).find((p) => p.id === 'ambarella-bulk')!;
    expect(amba.driver).toBe('amba-bulk');
    expect(amba.match.usb).toEqual([{ vendorId: 0x4255, productId: 0x0001 }]);
    expect(amba.clockSync).toEqual({ method: 'amba-bulk' });
  });

  it('dsj-standard names carry serial, badge, start and sequence', () => {
    const dsj = loadProfiles(shippedDir).find((p) => p.id === 'dsj-standard')!;
    const groups = new RegExp(dsj.fileName!.pattern, 'u').exec(
      'DSJ0042_A1234_20261122083000_0007.MP4',
    )?.groups;
    expect(groups).toEqual({
      serial: 'DSJ0042',
      badge: 'A1234',
      start: '20261122083000',
      sequence: '0007',
    });
    expect(dsj.clockSync).toEqual({
      method: 'time-file',
      path: 'time.txt',
      format: 'YYYY-MM-DD HH:mm:ss',
    });
  });

  it('media kinds come from extensions, whatever their case', () => {
    const generic = loadProfiles(shippedDir).find((p) => p.id === 'generic-dcim')!;
    expect(mediaKindOf(generic, 'VID_0001.MP4')).toBe('video');
    expect(mediaKindOf(generic, 'rec.WAV')).toBe('audio');
    expect(mediaKindOf(generic, 'IMG.jpeg')).toBe('photo');
    expect(mediaKindOf(generic, 'notes.txt')).toBeUndefined();
    expect(mediaKindOf(generic, 'MP4')).toBeUndefined();
  });
});

describe('resolveProfilesDir', () => {
  it('finds resources/recorders from the sources (src-main/devices/…)', () => {
    expect(resolveProfilesDir()).toBe(shippedDir);
  });

  it('finds it from the bundled station (dist/station/cli.mjs)', () => {
    const bundle = pathToFileURL(join(import.meta.dirname, '../../dist/station/cli.mjs')).href;
    expect(resolveProfilesDir(bundle)).toBe(shippedDir);
  });

  it('says where it looked when the folder is missing', () => {
    const nowhere = pathToFileURL(join(dir.path, 'a/b/c.mjs')).href;
    expect(() => resolveProfilesDir(nowhere)).toThrow(/profiles folder is missing.*recorders/);
  });
});

describe('loadProfiles refuses a broken profile, naming the file and field', () => {
  it('a valid profile loads with its defaults filled in', () => {
    write('test-cam.json', minimal);
    const [profile] = loadProfiles(dir.path);
    expect(profile).toMatchObject({
      id: 'test-cam',
      serialFrom: [],
      clockSync: { method: 'none' },
      match: { usb: [], markerFiles: ['DCIM'] },
      mediaKinds: { video: ['mp4'], audio: [], photo: [] },
    });
  });

  it('not JSON', () => {
    write('test-cam.json', '{ "id": ');
    expect(problemsOf(() => loadProfiles(dir.path))).toEqual([
      { file: 'test-cam.json', message: expect.stringMatching(/^not JSON/) },
    ]);
  });

  it('a missing field and a wrong enum value, both reported', () => {
    const { mediaFolders: _, ...noFolders } = minimal;
    write('test-cam.json', { ...noFolders, driver: 'ptp' });
    const problems = problemsOf(() => loadProfiles(dir.path));
    expect(problems.map((p) => [p.file, p.field])).toEqual(
      expect.arrayContaining([
        ['test-cam.json', 'driver'],
        ['test-cam.json', 'mediaFolders'],
      ]),
    );
  });

  it('an invalid regular expression in the file-name pattern', () => {
    write('test-cam.json', { ...minimal, fileName: { pattern: '^(?<serial>[A-Z' } });
    expect(problemsOf(() => loadProfiles(dir.path))).toEqual([
      {
        file: 'test-cam.json',
        field: 'fileName.pattern',
        message: 'not a valid regular expression',
      },
    ]);
  });

  it('USB ids not written as 0xNNNN', () => {
    write('test-cam.json', {
      ...minimal,
      match: { usb: [{ vendorId: '4255', productId: '0x0001' }] },
    });
    expect(problemsOf(() => loadProfiles(dir.path))[0]).toMatchObject({
      file: 'test-cam.json',
      field: 'match.usb.0.vendorId',
    });
  });

  it('a profile with no way to match', () => {
    write('test-cam.json', { ...minimal, match: {} });
    expect(problemsOf(() => loadProfiles(dir.path))[0]).toMatchObject({
      field: 'match',
      message: expect.stringMatching(/must match on/),
    });
  });

  it.each([
    ['clockSync.path', { clockSync: { method: 'time-file', path: '../time.txt', format: 'YYYY' } }],
    [
      'clockSync.path',
      { clockSync: { method: 'time-file', path: '/etc/time.txt', format: 'YYYY' } },
    ],
    ['match.markerFiles.0', { match: { markerFiles: ['DCIM/../..'] } }],
    ['mediaFolders.0', { mediaFolders: ['C:\\DCIM'] }],
    ['serialFrom.0.path', { serialFrom: [{ source: 'marker-file', path: '', pattern: 'x' }] }],
  ])('a path that could leave the volume (%s)', (field, change) => {
    write('test-cam.json', { ...minimal, ...change });
    expect(problemsOf(() => loadProfiles(dir.path)).map((p) => p.field)).toContain(field);
  });

  it('an unknown field (a typo is not silently ignored)', () => {
    write('test-cam.json', { ...minimal, mediaFolder: ['DCIM'] });
    expect(problemsOf(() => loadProfiles(dir.path))[0]).toMatchObject({
      file: 'test-cam.json',
      field: '(profile)',
      message: expect.stringMatching(/mediaFolder/),
    });
  });

  it('an id that is not the file name', () => {
    write('other-name.json', minimal);
    expect(problemsOf(() => loadProfiles(dir.path))).toEqual([
      { file: 'other-name.json', field: 'id', message: expect.stringMatching(/"other-name"/) },
    ]);
  });

  it('one bad file among good ones: nothing is loaded, every bad file is named', () => {
    write('test-cam.json', minimal);
    write('bad-one.json', { ...minimal, id: 'bad-one', deviceKind: 'drone' });
    write('bad-two.json', '[]');
    const error = (() => {
      try {
        loadProfiles(dir.path);
      } catch (e) {
        return e as ProfileLoadError;
      }
    })();
    expect(error?.problems.map((p) => p.file).sort()).toEqual(['bad-one.json', 'bad-two.json']);
    expect(error?.message).toMatch(/bad-one\.json \(deviceKind\)/);
  });

  it('an empty folder, or one that does not exist', () => {
    expect(problemsOf(() => loadProfiles(dir.path))[0]?.message).toMatch(/no \*\.json/);
    expect(problemsOf(() => loadProfiles(join(dir.path, 'none')))[0]?.message).toMatch(
      /cannot read the folder/,
    );
  });

  it('files other than *.json are left alone', () => {
    write('test-cam.json', minimal);
    write('README.txt', 'notes');
    mkdirSync(join(dir.path, 'drafts'));
    expect(loadProfiles(dir.path)).toHaveLength(1);
  });

  it('the schema object can be used on its own', () => {
    expect(recorderProfileSchema.safeParse(minimal).success).toBe(true);
  });
});
