import type { OpticalDrive } from './xorriso';

/**
 * Windows and macOS burn with their own system tools, through the scripts in native/: IMAPI2 from
 * native/windows/burn-disc.ps1 (one closed session of UDF 2.50, IMAPI2's FULL verification), and
 * hdiutil from native/macos/burn-disc.sh (ISO 9660 + Joliet + UDF, hdiutil's -verifyburn). Both
 * answer in the same lines: `DRIVE` for a listed drive, `PROGRESS <n>`, `DONE`, and `ERROR …` with
 * exit code 1. This module builds their command lines and reads those lines; it runs nothing.
 * Every input is checked here, before anything runs: the scripts check again, but a refusal here
 * names the caller's mistake instead of a script's usage line.
 */

/** A command to run: a program and its arguments, never a shell line. */
export interface NativeCommand<File extends string = string> {
  file: File;
  args: string[];
}

/**
 * The rule `burnArgs` in ./xorriso holds a Linux burn to, which `discVolumeId` in the plan meets:
 * an ISO 9660 volume id of A–Z, 0–9 and `_`, at most 32. Kept the same so that a disc's copies say
 * the same name on every station.
 */
const VOLUME_ID = /^[A-Z0-9_]{1,32}$/;

// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL = /[\u0000-\u001f\u007f]/;

function requireVolumeId(volumeId: string): string {
  if (!VOLUME_ID.test(volumeId)) {
    throw new Error(`bad volume id ${JSON.stringify(volumeId)} (A–Z, 0–9 and _, at most 32)`);
  }
  return volumeId;
}

/**
 * A Windows path the station hands to PowerShell: drive-qualified (`C:\…`), backslashes only, no
 * `.` or `..` part, no character Windows refuses in a name, no trailing backslash (which the
 * command line would read as escaping the quote around it).
 */
function isWindowsPath(path: string): boolean {
  const m = /^[A-Za-z]:\\(.+)$/.exec(path);
  if (m === null) return false;
  // eslint-disable-next-line no-control-regex -- control characters are refused in a name
  const name = /^[^<>:"/\\|?*\u0000-\u001f]+$/;
  return m[1]!.split('\\').every((part) => name.test(part) && part !== '.' && part !== '..');
}

/** A macOS path: absolute, no `.` or `..` part, no control character. */
function isPosixPath(path: string): boolean {
  return (
    path.startsWith('/') &&
    !CONTROL.test(path) &&
    path
      .split('/')
      .slice(1)
      .every((part) => part !== '.' && part !== '..')
  );
}

function requireWindowsPath(path: string, what: string): string {
  if (!isWindowsPath(path)) {
    throw new Error(`${what} must be an absolute Windows path like C:\\…: ${JSON.stringify(path)}`);
  }
  return path;
}

function requirePosixPath(path: string, what: string): string {
  if (!isPosixPath(path)) {
    throw new Error(`${what} must be an absolute path: ${JSON.stringify(path)}`);
  }
  return path;
}

/**
 * An IMAPI2 recorder's unique id, as -ListDrives printed it (`\\?\scsi#cdrom&ven_…#{…}`): none
 * starts with `-`, which PowerShell would read as a parameter, or holds quotes or line breaks,
 * which would cut the command line elsewhere.
 */
function requireRecorder(recorder: string): string {
  if (
    recorder === '' ||
    recorder.startsWith('-') ||
    /["']/.test(recorder) ||
    CONTROL.test(recorder)
  ) {
    throw new Error(`not a recorder id: ${JSON.stringify(recorder)}`);
  }
  return recorder;
}

/** A drive as `drutil list` numbers it: 1, 2, … */
function requireDriveNumber(device: string): string {
  if (!/^[1-9][0-9]{0,2}$/.test(device)) {
    throw new Error(`not a drive number: ${JSON.stringify(device)} (1, 2, … as drutil lists them)`);
  }
  return device;
}

/**
 * Windows PowerShell 5.1, which every Windows 10 and 11 has: no profile (nothing of the user's
 * runs first), never a prompt, and the script allowed whatever the machine's execution policy.
 */
function powershell(script: string, args: string[]): NativeCommand<'powershell.exe'> {
  if (!/\.ps1$/i.test(script)) throw new Error(`not a PowerShell script: ${script}`);
  return {
    file: 'powershell.exe',
    args: [
      '-NoProfile',
      '-NonInteractive',
      ...['-ExecutionPolicy', 'Bypass'],
      ...['-File', requireWindowsPath(script, 'the burn script')],
      ...args,
    ],
  };
}

/** The burn of one staged disc on Windows. */
export function windowsBurnCommand(spec: {
  recorder: string;
  staged: string;
  volumeId: string;
  script: string;
}): NativeCommand<'powershell.exe'> {
  return powershell(spec.script, [
    '-Burn',
    ...['-Recorder', requireRecorder(spec.recorder)],
    ...['-Source', requireWindowsPath(spec.staged, 'the staged folder')],
    ...['-VolumeId', requireVolumeId(spec.volumeId)],
  ]);
}

export function windowsDrivesCommand(script: string): NativeCommand<'powershell.exe'> {
  return powershell(script, ['-ListDrives']);
}

export function windowsEjectCommand(spec: {
  recorder: string;
  script: string;
}): NativeCommand<'powershell.exe'> {
  return powershell(spec.script, ['-Eject', ...['-Recorder', requireRecorder(spec.recorder)]]);
}

/** The script is run by /bin/sh, so that it needs no execute bit where it was installed. */
function shell(script: string, args: string[]): NativeCommand<'/bin/sh'> {
  if (!script.endsWith('.sh')) throw new Error(`not a shell script: ${script}`);
  return { file: '/bin/sh', args: [requirePosixPath(script, 'the burn script'), ...args] };
}

/**
 * The burn of one staged disc on macOS; `device` is the drive's number as `drutil list` gives it,
 * and may be left out when exactly one drive is attached.
 */
export function macosBurnCommand(spec: {
  device?: string;
  staged: string;
  volumeId: string;
  script: string;
}): NativeCommand<'/bin/sh'> {
  return shell(spec.script, [
    'burn',
    requirePosixPath(spec.staged, 'the staged folder'),
    requireVolumeId(spec.volumeId),
    ...(spec.device === undefined ? [] : [requireDriveNumber(spec.device)]),
  ]);
}

export function macosDrivesCommand(script: string): NativeCommand<'/bin/sh'> {
  return shell(script, ['list']);
}

function lines(output: string): string[] {
  return output.split(/\r?\n|\r/);
}

/** The percentage a `PROGRESS <n>` line reports, or null for any other line. */
export function nativeProgress(line: string): number | null {
  const m = /^PROGRESS (\d{1,3}(?:\.\d+)?)$/.exec(line.trim());
  return m === null ? null : Math.min(100, Number(m[1]));
}

/**
 * The message of the last `ERROR …` line (for Windows it starts with the HRESULT, `0x80004005 …`),
 * or null when the script reported none.
 */
export function nativeError(output: string): string | null {
  const found = lines(output)
    .map((line) => /^ERROR (.+)$/.exec(line.trim())?.[1]?.trim())
    .filter((message): message is string => message !== undefined && message !== '');
  return found.at(-1) ?? null;
}

/** Whether the script said `DONE`, and no `ERROR`: a burn or an eject that succeeded. */
export function nativeDone(output: string): boolean {
  return lines(output).some((line) => line.trim() === 'DONE') && nativeError(output) === null;
}

/**
 * `DRIVE<TAB>id<TAB>vendor<TAB>product<TAB>…` lines: the id, vendor and product of each. A drive
 * that names no vendor or product is still a drive.
 */
function driveLines(output: string, isId: (id: string) => boolean): OpticalDrive[] {
  return lines(output).flatMap((line) => {
    const [tag, id, vendor, model] = line.split('\t');
    if (tag !== 'DRIVE' || id === undefined || !isId(id)) return [];
    return [{ address: id, vendor: (vendor ?? '').trim(), model: (model ?? '').trim() }];
  });
}

/** `burn-disc.ps1 -ListDrives`: each recorder by its IMAPI2 unique id. */
export function windowsDrivesListed(output: string): OpticalDrive[] {
  return driveLines(output, (id) => id !== '');
}

/** `burn-disc.sh list`: each drive by its number in `drutil list`. */
export function macosDrivesListed(output: string): OpticalDrive[] {
  return driveLines(output, (id) => /^[1-9][0-9]*$/.test(id));
}
