import { isAbsolute } from 'node:path';
import { runTool, type ToolRun } from './tool-run';

/**
 * Linux burns with xorriso (Debian package `xorriso`): a closed single session of ISO 9660 with
 * Rock Ridge and Joliet, level 3 so that a file over 4 GiB is written in several extents, and
 * MD5 tags (`-md5 on`) for the session, the directory tree and every file, which the second
 * verification pass checks. Commands are argument lists, never shell lines.
 */
export const XORRISO = 'xorriso';

/**
 * First on every command line: xorriso otherwise reads startup files (/etc/xorriso/xorriso.conf,
 * ~/.xorrisorc, …) before it, and whoever can write one could change any burn's settings.
 */
const NO_RC = '-no_rc';

/**
 * Second: file names are UTF-8. xorriso runs in the C locale (its reports are parsed), and would
 * otherwise take every name for ASCII: the Joliet tree, what Windows shows, would name a case
 * folder or 清单.pdf with underscores.
 */
const UTF8_NAMES = ['-local_charset', 'UTF-8'];

/** Where a disc is burned: a drive (`/dev/sr0`) or a pseudo-drive file (`stdio:/path/disc.iso`). */
export type DriveAddress = string;

/**
 * Whether a drive address is one the station will hand to xorriso: an absolute device path or
 * `stdio:` with an absolute file path. Anything else (a word that xorriso would read as one of
 * its commands, a relative path) is refused before it gets there.
 */
export function isDriveAddress(address: string): boolean {
  const path = address.startsWith('stdio:') ? address.slice('stdio:'.length) : address;
  return (
    isAbsolute(path) &&
    !path.startsWith('-') &&
    ![...path].some((ch) => ch.charCodeAt(0) < 0x20) &&
    (address.startsWith('stdio:') || path.startsWith('/dev/'))
  );
}

function requireDrive(address: string): DriveAddress {
  if (!isDriveAddress(address)) {
    throw new Error(`not a drive: ${JSON.stringify(address)} (a /dev/… device or stdio:/path)`);
  }
  return address;
}

/** The burn of one disc: the staged folder becomes the disc's root, in one closed session. */
export function burnArgs(spec: {
  drive: DriveAddress;
  volumeId: string;
  staged: string;
}): string[] {
  if (!/^[A-Z0-9_]{1,32}$/.test(spec.volumeId)) throw new Error(`bad volume id ${spec.volumeId}`);
  if (!isAbsolute(spec.staged)) throw new Error('the staged folder must be an absolute path');
  return [
    NO_RC,
    ...UTF8_NAMES,
    ...['-abort_on', 'FAILURE'],
    ...['-md5', 'on'],
    ...['-outdev', requireDrive(spec.drive)],
    ...['-volid', spec.volumeId],
    ...['-joliet', 'on'],
    ...['-rockridge', 'on'],
    ...['-compliance', 'iso_9660_level=3'],
    ...['-map', spec.staged, '/'],
    ...['-close', 'on'],
    '-commit',
  ];
}

/** A command that reads a burned disc back, with the MD5 tags it was burned with. */
function readBackArgs(drive: DriveAddress, command: readonly string[]): string[] {
  return [
    NO_RC,
    ...UTF8_NAMES,
    ...['-abort_on', 'NEVER'],
    ...['-md5', 'on'],
    ...['-indev', requireDrive(drive)],
    ...command,
  ];
}

/** Pass 1: every block of the session read back (`-check_media`), and the MD5 session tag. */
export function checkMediaArgs(drive: DriveAddress): string[] {
  return readBackArgs(drive, ['-check_media', '--']);
}

/** Pass 2: every file's content against the MD5 xorriso recorded for it at the burn. */
export function checkMd5Args(drive: DriveAddress): string[] {
  return readBackArgs(drive, ['-check_md5_r', 'FAILURE', '/', '--']);
}

/** What xorriso says of the drive and the session on it (`-toc`). */
export function tocArgs(drive: DriveAddress): string[] {
  return readBackArgs(drive, ['-toc']);
}

/** Each file's data extents in one of the disc's trees (`any`: Rock Ridge; `norock`: Joliet). */
export function treeExtentsArgs(
  drive: DriveAddress,
  readFs: 'any' | 'norock' | 'ecma119',
): string[] {
  return [
    NO_RC,
    ...UTF8_NAMES,
    ...['-abort_on', 'NEVER'],
    ...['-read_fs', readFs],
    ...['-indev', requireDrive(drive)],
    ...['-find', '/', '-type', 'f', '-exec', 'report_lba', '--'],
  ];
}

export function devicesArgs(): string[] {
  return [NO_RC, '-abort_on', 'NEVER', '-devices'];
}

/** A stretch of the medium as `-check_media` judged it. */
export interface MediaRegion {
  lba: number;
  sectors: number;
  /** `good`, `valid`, `untested` (past the session: padding), `unreadable`, `invalid`, … */
  quality: string;
  readable: boolean;
}

const REGION = /^Media region\s*:\s*(\d+)\s*,\s*(\d+)\s*,\s*([+0-])\s*(\S+)/;
const MD5_TAG = /^MD5 tag range\s*:\s*(\d+)\s*,\s*(\d+)\s*,\s*([+0-])\s*(\S+)/;

export function mediaRegions(output: string): MediaRegion[] {
  return output.split('\n').flatMap((line) => {
    const m = REGION.exec(line.trim());
    if (m === null) return [];
    // `+` good or valid; `0` untested (past the end of the session); `-` a read failure.
    return [{ lba: Number(m[1]), sectors: Number(m[2]), quality: m[4]!, readable: m[3] !== '-' }];
  });
}

/** The MD5 session tags `-check_media` compared: each range and whether it matched. */
export function md5TagRanges(output: string): { lba: number; sectors: number; match: boolean }[] {
  return output.split('\n').flatMap((line) => {
    const m = MD5_TAG.exec(line.trim());
    if (m === null) return [];
    return [
      { lba: Number(m[1]), sectors: Number(m[2]), match: m[3] === '+' && m[4] === 'md5_match' },
    ];
  });
}

/** The files `-check_md5_r` found to differ from their recorded MD5. */
export function md5Mismatches(output: string): string[] {
  return output.split('\n').flatMap((line) => {
    const m = /^MD5 MISMATCH: '(.*)'\s*$/.exec(line.trim());
    return m === null ? [] : [m[1]!];
  });
}

/** Whether `-check_md5_r` said every file matched. */
export function md5AllMatch(output: string): boolean {
  return /File contents and their MD5 checksums match\./.test(output);
}

export interface OpticalDrive {
  address: DriveAddress;
  vendor: string;
  model: string;
}

/** `xorriso -devices`: `0  -dev '/dev/sr0' rwrw-- :  'HL-DT-ST' 'DVDRAM GH24NSD1'`. */
export function drivesListed(output: string): OpticalDrive[] {
  return output.split('\n').flatMap((line) => {
    const m = /^\s*\d+\s+-dev\s+'([^']+)'\s+\S+\s*:\s*'([^']*)'\s*'([^']*)'/.exec(line);
    return m === null ? [] : [{ address: m[1]!, vendor: m[2]!.trim(), model: m[3]!.trim() }];
  });
}

/**
 * The percentage a progress line of a burn reports
 * (`xorriso : UPDATE : Writing:  7172s  9.6%  fifo  0%  buf  50%`), or null for any other line.
 */
export function burnProgress(line: string): number | null {
  const m = /Writing:\s+\d+s\s+(\d{1,3}(?:\.\d+)?)%/.exec(line);
  return m === null ? null : Math.min(100, Number(m[1]));
}

/** The drive as `-toc` names it: `Drive type : vendor 'X' product 'Y' revision 'Z'`. */
export function driveType(
  output: string,
): { vendor: string; model: string; revision: string } | null {
  const m = /^Drive type\s*:\s*vendor '([^']*)' product '([^']*)' revision '([^']*)'/m.exec(output);
  return m === null ? null : { vendor: m[1]!.trim(), model: m[2]!.trim(), revision: m[3]!.trim() };
}

/** The write speed a progress line reports (`… 4.0xD`: 4× DVD speed), or null. */
export function burnSpeed(line: string): string | null {
  const m = /Writing:.*\s(\d+(?:\.\d+)?x[CDB])\s*$/.exec(line);
  return m === null ? null : m[1]!;
}

/**
 * Runs xorriso to its end, each output line handed on as it comes (progress). xorriso's report
 * goes to stderr and its results to stdout; both are kept, in order.
 */
export function runXorriso(
  args: readonly string[],
  options: { onLine?: (line: string) => void; signal?: AbortSignal } = {},
): Promise<ToolRun> {
  return runTool(XORRISO, args, options);
}

/** What the station says when xorriso is not installed. */
export const XORRISO_MISSING =
  'xorriso is not installed: discs are burned and checked with it (Debian/Ubuntu: apt install xorriso)';
