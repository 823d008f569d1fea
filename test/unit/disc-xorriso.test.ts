// How the station drives xorriso: the command lines of a burn and of verification passes 1 and 2,
// the drive addresses it accepts, and how it reads xorriso's reports (recorded from xorriso 1.5.4).
import { describe, expect, it } from 'vitest';
import {
  burnArgs,
  burnProgress,
  checkMd5Args,
  checkMediaArgs,
  drivesListed,
  isDriveAddress,
  md5AllMatch,
  md5Mismatches,
  md5TagRanges,
  mediaRegions,
} from '../../src-main/disc/xorriso';

const CHECK_MEDIA_GOOD = `Volume id    : 'CASE1_D1OF1'
xorriso : UPDATE : Found matching MD5 superblock tag: start=32 size=19
xorriso : UPDATE : Found matching MD5 session tag: start=32 size=1500
Media checks :        lba ,       size , quality
Media region :          0 ,       1533 , + good
Media region :       1533 ,        163 , 0 untested
MD5 checks   :        lba ,       size , result
MD5 tag range:         32 ,       1500 , + md5_match
`;

const CHECK_MEDIA_BAD = `xorriso : WARNING : Found NON-MATCHING MD5 session tag: start=32 size=1500
Media region :          0 ,        700 , + good
Media region :        700 ,         16 , - unreadable
Media region :        716 ,        817 , + good
MD5 tag range:         32 ,       1500 , 0 md5_mismatch
`;

const CHECK_MD5_BAD = `Volume id    : 'CASE1_D1OF1'
MD5 MISMATCH: '/evidence/a/clip1.mp4'
Mismatch detected between file contents and MD5 checksums.
xorriso : FAILURE : Event triggered by MD5 comparison mismatch
`;

describe('xorriso command lines', () => {
  it('burns a staged folder as one closed ISO 9660 + Rock Ridge + Joliet session with MD5 tags', () => {
    const args = burnArgs({
      drive: 'stdio:/tmp/set/d1.iso',
      volumeId: 'CASE7_D1OF2',
      staged: '/tmp/stage/d1',
    });
    expect(args).toEqual([
      '-no_rc',
      '-local_charset',
      'UTF-8',
      '-abort_on',
      'FAILURE',
      '-md5',
      'on',
      '-outdev',
      'stdio:/tmp/set/d1.iso',
      '-volid',
      'CASE7_D1OF2',
      '-joliet',
      'on',
      '-rockridge',
      'on',
      '-compliance',
      'iso_9660_level=3',
      '-map',
      '/tmp/stage/d1',
      '/',
      '-close',
      'on',
      '-commit',
    ]);
    expect(() => burnArgs({ drive: '/dev/sr0', volumeId: 'case 7', staged: '/tmp/s' })).toThrow(
      /volume id/,
    );
    expect(() => burnArgs({ drive: '/dev/sr0', volumeId: 'C', staged: 'relative' })).toThrow(
      /absolute/,
    );
  });

  it('reads the disc back with its MD5 tags for passes 1 and 2', () => {
    expect(checkMediaArgs('/dev/sr0')).toEqual([
      '-no_rc',
      '-local_charset',
      'UTF-8',
      '-abort_on',
      'NEVER',
      '-md5',
      'on',
      '-indev',
      '/dev/sr0',
      '-check_media',
      '--',
    ]);
    expect(checkMd5Args('stdio:/tmp/d.iso')).toEqual([
      '-no_rc',
      '-local_charset',
      'UTF-8',
      '-abort_on',
      'NEVER',
      '-md5',
      'on',
      '-indev',
      'stdio:/tmp/d.iso',
      '-check_md5_r',
      'FAILURE',
      '/',
      '--',
    ]);
  });

  it('takes a device or a pseudo-drive file, and nothing xorriso would read as a command', () => {
    expect(isDriveAddress('/dev/sr0')).toBe(true);
    expect(isDriveAddress('stdio:/srv/images/d1.iso')).toBe(true);
    for (const bad of [
      '-dev',
      '-outdev',
      'sr0',
      'stdio:d1.iso',
      'stdio:-x',
      '/etc/passwd',
      '/dev/sr0\n-commit',
      '',
    ]) {
      expect(isDriveAddress(bad), bad).toBe(false);
      expect(() => checkMediaArgs(bad)).toThrow(/not a drive/);
    }
  });
});

describe('xorriso’s reports', () => {
  it('finds every block readable and the session tag matching on a good disc', () => {
    expect(mediaRegions(CHECK_MEDIA_GOOD)).toEqual([
      { lba: 0, sectors: 1533, quality: 'good', readable: true },
      { lba: 1533, sectors: 163, quality: 'untested', readable: true },
    ]);
    expect(md5TagRanges(CHECK_MEDIA_GOOD)).toEqual([{ lba: 32, sectors: 1500, match: true }]);
  });

  it('finds unreadable sectors and a session tag that no longer matches', () => {
    expect(mediaRegions(CHECK_MEDIA_BAD).filter((r) => !r.readable)).toEqual([
      { lba: 700, sectors: 16, quality: 'unreadable', readable: false },
    ]);
    expect(md5TagRanges(CHECK_MEDIA_BAD)).toEqual([{ lba: 32, sectors: 1500, match: false }]);
  });

  it('names each file whose content differs from its recorded MD5', () => {
    expect(md5Mismatches(CHECK_MD5_BAD)).toEqual(['/evidence/a/clip1.mp4']);
    expect(md5AllMatch(CHECK_MD5_BAD)).toBe(false);
    expect(md5AllMatch('File contents and their MD5 checksums match.\n')).toBe(true);
  });

  it('lists drives with their vendor and model, and reads a burn’s progress', () => {
    const listed = drivesListed(
      "0  -dev '/dev/sr0' rwrw-- :  'HL-DT-ST' 'DVDRAM GH24NSD1'\n1  -dev '/dev/sr1' rwrw-- :  'PIONEER ' 'BD-RW   BDR-XD07'\n",
    );
    expect(listed).toEqual([
      { address: '/dev/sr0', vendor: 'HL-DT-ST', model: 'DVDRAM GH24NSD1' },
      { address: '/dev/sr1', vendor: 'PIONEER', model: 'BD-RW   BDR-XD07' },
    ]);
    expect(drivesListed('xorriso : SORRY : No drives found\n')).toEqual([]);
    expect(
      burnProgress(
        'xorriso : UPDATE : Writing:      54252s   72.4%   fifo   0%  buf  50%   99.3xD ',
      ),
    ).toBe(72.4);
    expect(burnProgress('xorriso : UPDATE :       5 files added in 1 seconds')).toBeNull();
    expect(burnProgress("Writing to 'stdio:/tmp/d.iso' completed successfully.")).toBeNull();
  });
});
