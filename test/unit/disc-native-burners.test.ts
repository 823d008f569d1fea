// How Windows and macOS burn: the command lines of native/windows/burn-disc.ps1 (IMAPI2) and
// native/macos/burn-disc.sh (hdiutil), what the station refuses before either runs, how it reads
// their lines, and that each script takes what the station passes. The .ps1 cannot run here (no
// Windows), so it is read; the .sh runs, against stand-ins for drutil and hdiutil that answer in
// the shape macOS does.
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  macosBurnCommand,
  macosDrivesCommand,
  macosDrivesListed,
  nativeDone,
  nativeError,
  nativeProgress,
  windowsBurnCommand,
  windowsDrivesCommand,
  windowsDrivesListed,
  windowsEjectCommand,
} from '../../src-main/disc/native-burners';
import { burnArgs } from '../../src-main/disc/xorriso';
import { discVolumeId } from '../../src-main/domain';
import { tempDir } from '../support/temp';

const nativeDir = join(import.meta.dirname, '../../native');
const PS1 = join(nativeDir, 'windows/burn-disc.ps1');
const SH = join(nativeDir, 'macos/burn-disc.sh');

const WIN_SCRIPT = 'C:\\Program Files\\evidock\\resources\\native\\windows\\burn-disc.ps1';
const MAC_SCRIPT = '/Applications/evidock.app/Contents/Resources/native/macos/burn-disc.sh';
const RECORDER =
  '\\\\?\\scsi#cdrom&ven_hl-dt-st&prod_dvdram_gh24nsd1#5&1f2b3c4d&0&010000#{53f56308-b6bf-11d0-94f2-00a0c91efb8b}';
const POWERSHELL = ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File'];

describe('Windows command lines', () => {
  it('burns a staged folder through burn-disc.ps1 with Windows PowerShell', () => {
    expect(
      windowsBurnCommand({
        recorder: RECORDER,
        staged: 'C:\\ProgramData\\evidock\\stage\\set-7\\d1',
        volumeId: 'CASE7_D1OF2',
        script: WIN_SCRIPT,
      }),
    ).toEqual({
      file: 'powershell.exe',
      args: [
        ...POWERSHELL,
        WIN_SCRIPT,
        '-Burn',
        '-Recorder',
        RECORDER,
        '-Source',
        'C:\\ProgramData\\evidock\\stage\\set-7\\d1',
        '-VolumeId',
        'CASE7_D1OF2',
      ],
    });
  });

  it('lists recorders and ejects one', () => {
    expect(windowsDrivesCommand(WIN_SCRIPT)).toEqual({
      file: 'powershell.exe',
      args: [...POWERSHELL, WIN_SCRIPT, '-ListDrives'],
    });
    expect(windowsEjectCommand({ recorder: RECORDER, script: WIN_SCRIPT })).toEqual({
      file: 'powershell.exe',
      args: [...POWERSHELL, WIN_SCRIPT, '-Eject', '-Recorder', RECORDER],
    });
  });

  it('refuses, before anything runs, what is not a Windows path, a volume id or a recorder', () => {
    const good = {
      recorder: RECORDER,
      staged: 'C:\\stage\\d1',
      volumeId: 'CASE7_D1OF2',
      script: WIN_SCRIPT,
    };
    expect(() => windowsBurnCommand(good)).not.toThrow();
    for (const staged of [
      'stage\\d1',
      '\\stage\\d1',
      '/tmp/stage/d1',
      'C:stage',
      'C:\\',
      'C:\\stage\\',
      'C:\\stage\\..\\Windows',
      'C:/stage/d1',
      '\\\\server\\share\\d1',
      'C:\\stage"\\d1',
      'C:\\stage\nd1',
    ]) {
      expect(() => windowsBurnCommand({ ...good, staged }), staged).toThrow(/staged folder/);
    }
    for (const volumeId of ['case7', 'CASE 7', 'CASE7;DEL', 'CASE-7', '', 'A'.repeat(33), 'É']) {
      expect(() => windowsBurnCommand({ ...good, volumeId }), volumeId).toThrow(/volume id/);
    }
    for (const recorder of ['-Source', '-', '', 'a"b', "a'b", 'a\nb', 'a\rb', 'a\u0000b']) {
      expect(() => windowsBurnCommand({ ...good, recorder }), recorder).toThrow(/recorder id/);
      expect(() => windowsEjectCommand({ recorder, script: WIN_SCRIPT })).toThrow(/recorder id/);
    }
    expect(() => windowsDrivesCommand('burn-disc.ps1')).toThrow(/burn script/);
    expect(() => windowsDrivesCommand('C:\\x\\burn-disc.sh')).toThrow(/PowerShell script/);
  });
});

describe('macOS command lines', () => {
  it('burns a staged folder through burn-disc.sh, on a named drive or the only one', () => {
    const spec = { staged: '/Users/Shared/evidock/stage/d1', volumeId: 'EVIDA1_D2OF3_COPY' };
    expect(macosBurnCommand({ ...spec, device: '2', script: MAC_SCRIPT })).toEqual({
      file: '/bin/sh',
      args: [MAC_SCRIPT, 'burn', '/Users/Shared/evidock/stage/d1', 'EVIDA1_D2OF3_COPY', '2'],
    });
    expect(macosBurnCommand({ ...spec, script: MAC_SCRIPT })).toEqual({
      file: '/bin/sh',
      args: [MAC_SCRIPT, 'burn', '/Users/Shared/evidock/stage/d1', 'EVIDA1_D2OF3_COPY'],
    });
    expect(macosDrivesCommand(MAC_SCRIPT)).toEqual({ file: '/bin/sh', args: [MAC_SCRIPT, 'list'] });
  });

  it('refuses a relative folder, a hostile volume id and a drive that is not a number', () => {
    const good = { staged: '/stage/d1', volumeId: 'CASE7_D1OF2', script: MAC_SCRIPT };
    for (const staged of ['stage/d1', './stage', '-rf', '/stage/../etc', '/stage\n/x', '']) {
      expect(() => macosBurnCommand({ ...good, staged }), staged).toThrow(/staged folder/);
    }
    for (const volumeId of ['case7', '$(reboot)', 'A B', 'A'.repeat(33)]) {
      expect(() => macosBurnCommand({ ...good, volumeId }), volumeId).toThrow(/volume id/);
    }
    for (const device of ['0', '-1', '1;x', 'disk2', '/dev/disk2', '01', '', '1000']) {
      expect(() => macosBurnCommand({ ...good, device }), device).toThrow(/drive number/);
    }
    expect(() => macosDrivesCommand('native/macos/burn-disc.sh')).toThrow(/burn script/);
    expect(() => macosDrivesCommand('/x/burn-disc.ps1')).toThrow(/shell script/);
  });

  it('holds volume ids to the rule the Linux burner does, which the plan’s ids meet', () => {
    const staged = { staged: '/stage/d1', script: MAC_SCRIPT };
    const linuxTakes = (volumeId: string) => {
      try {
        burnArgs({ drive: '/dev/sr0', volumeId, staged: '/stage/d1' });
        return true;
      } catch {
        return false;
      }
    };
    const nativeTakes = (volumeId: string) => {
      try {
        macosBurnCommand({ ...staged, volumeId });
        windowsBurnCommand({ recorder: RECORDER, staged: 'C:\\s', volumeId, script: WIN_SCRIPT });
        return true;
      } catch {
        return false;
      }
    };
    for (const volumeId of ['A', 'CASE7_D1OF2', '_', 'A'.repeat(32), 'A'.repeat(33), 'a', 'A-B']) {
      expect(nativeTakes(volumeId), volumeId).toBe(linuxTakes(volumeId));
    }
    const planned = [
      discVolumeId({ caseNumber: '金普民宗罚〔2026〕12号', setTag: 'x' }, 1, 3, 3),
      discVolumeId({ caseNumber: null, setTag: 'a1b2c3d4e5f6a7b8c9d0' }, 12, 12, 4),
    ];
    for (const volumeId of planned) expect(nativeTakes(volumeId), volumeId).toBe(true);
  });
});

/** What burn-disc.ps1 prints on Windows (lines end in CR LF there). */
const WINDOWS_DRIVES = [
  `DRIVE\t${RECORDER}\tHL-DT-ST\tDVDRAM GH24NSD1\tLW00\tE:\\`,
  'DRIVE\t\\\\?\\usbstor#cdrom&ven_pioneer&prod_bd-rw_bdr-xd08#7&aa&0#{53f56308-b6bf-11d0-94f2-00a0c91efb8b}\tPIONEER\tBD-RW   BDR-XD08\t1.01\t',
  'NOTE recorder \\\\?\\ide#cdrom_virtual could not be opened: Exception from HRESULT: 0xC0AA0205',
  'DRIVE\t\\\\?\\scsi#cdrom&ven_unnamed#1#{53f56308-b6bf-11d0-94f2-00a0c91efb8b}\t\t\t\t',
  '',
].join('\r\n');

const WINDOWS_BURNED = ['PROGRESS 0', 'PROGRESS 4', 'PROGRESS 58', 'PROGRESS 100', 'DONE', ''].join(
  '\r\n',
);

const WINDOWS_REFUSED = [
  'ERROR 0x80004005 the disc in the drive is not blank: evidence is burned to a blank disc only',
  '',
].join('\r\n');

const WINDOWS_FAILED = [
  'PROGRESS 0',
  'PROGRESS 31',
  'ERROR 0xC0AA0403 Exception from HRESULT: 0xC0AA0403',
  '',
].join('\r\n');

/** What burn-disc.sh prints on macOS. */
const MACOS_DRIVES =
  'DRIVE\t1\tHL-DT-ST\tDVDRW  GX40N\tRQ00\tUSB\nDRIVE\t2\tPIONEER\tBD-RW   BDR-XD08\t1.01\tUSB\n';

const MACOS_FAILED = `PROGRESS 0
PROGRESS 12
ERROR hdiutil burn failed (exit 1): burn failed - Device not ready
`;

describe('the scripts’ lines', () => {
  it('reads progress, and nothing else, as progress', () => {
    expect(nativeProgress('PROGRESS 0')).toBe(0);
    expect(nativeProgress('PROGRESS 58\r')).toBe(58);
    expect(nativeProgress('PROGRESS 100')).toBe(100);
    expect(nativeProgress('PROGRESS 12.5')).toBe(12.5);
    expect(nativeProgress('PROGRESS 250')).toBe(100);
    for (const line of ['PROGRESS', 'PROGRESS -1', 'PROGRESS 5%', 'PERCENT:12.5', 'DONE', '']) {
      expect(nativeProgress(line), line).toBeNull();
    }
    expect(
      nativeProgress('xorriso : UPDATE : Writing:      54252s   72.4%   fifo   0%  buf  50%'),
    ).toBeNull();
  });

  it('reads a burn that ended well, and one that did not, on Windows', () => {
    expect(nativeDone(WINDOWS_BURNED)).toBe(true);
    expect(nativeError(WINDOWS_BURNED)).toBeNull();
    expect(
      WINDOWS_BURNED.split('\r\n')
        .map(nativeProgress)
        .filter((p) => p !== null),
    ).toEqual([0, 4, 58, 100]);

    expect(nativeDone(WINDOWS_REFUSED)).toBe(false);
    expect(nativeError(WINDOWS_REFUSED)).toBe(
      '0x80004005 the disc in the drive is not blank: evidence is burned to a blank disc only',
    );
    expect(nativeDone(WINDOWS_FAILED)).toBe(false);
    expect(nativeError(WINDOWS_FAILED)).toBe('0xC0AA0403 Exception from HRESULT: 0xC0AA0403');
    // A DONE next to an ERROR is no success.
    expect(nativeDone(`DONE\r\n${WINDOWS_REFUSED}`)).toBe(false);
    expect(nativeDone('')).toBe(false);
  });

  it('reads a failed burn on macOS, naming the last error', () => {
    expect(nativeDone(MACOS_FAILED)).toBe(false);
    expect(nativeError(MACOS_FAILED)).toBe(
      'hdiutil burn failed (exit 1): burn failed - Device not ready',
    );
    expect(nativeError('ERROR first\nERROR second\n')).toBe('second');
  });

  it('lists Windows recorders by their IMAPI2 id and macOS drives by their drutil number', () => {
    expect(windowsDrivesListed(WINDOWS_DRIVES)).toEqual([
      { address: RECORDER, vendor: 'HL-DT-ST', model: 'DVDRAM GH24NSD1' },
      {
        address:
          '\\\\?\\usbstor#cdrom&ven_pioneer&prod_bd-rw_bdr-xd08#7&aa&0#{53f56308-b6bf-11d0-94f2-00a0c91efb8b}',
        vendor: 'PIONEER',
        model: 'BD-RW   BDR-XD08',
      },
      {
        address: '\\\\?\\scsi#cdrom&ven_unnamed#1#{53f56308-b6bf-11d0-94f2-00a0c91efb8b}',
        vendor: '',
        model: '',
      },
    ]);
    expect(macosDrivesListed(MACOS_DRIVES)).toEqual([
      { address: '1', vendor: 'HL-DT-ST', model: 'DVDRW  GX40N' },
      { address: '2', vendor: 'PIONEER', model: 'BD-RW   BDR-XD08' },
    ]);
    expect(macosDrivesListed('DRIVE\t0\tX\tY\nDRIVE\tdisk2\tX\tY\n')).toEqual([]);
    expect(windowsDrivesListed('ERROR 0x80004005 no\r\n')).toEqual([]);
  });
});

/** The parameter sets burn-disc.ps1 declares: each parameter's name, type and sets. */
function ps1Parameters(text: string): Map<string, { type: string; sets: string[] }> {
  const block = /^param\(([\s\S]*?)^\)/m.exec(text)?.[1] ?? '';
  const code = block
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .join('\n');
  const params = new Map<string, { type: string; sets: string[] }>();
  for (const m of code.matchAll(/((?:\s*\[Parameter\([^)]*\)\])+)\s*\[(\w+)\]\$(\w+)/g)) {
    const sets = [...m[1]!.matchAll(/ParameterSetName\s*=\s*'(\w+)'/g)].map((s) => s[1]!);
    params.set(m[3]!, { type: m[2]!.toLowerCase(), sets });
  }
  return params;
}

describe('the scripts take what the station passes', () => {
  const ps1 = readFileSync(PS1, 'utf8');
  const sh = readFileSync(SH, 'utf8');

  it('burn-disc.ps1 declares every parameter the station passes, in the mode it passes it', () => {
    const params = ps1Parameters(ps1);
    expect([...params.keys()].sort()).toEqual(
      ['Burn', 'Eject', 'ListDrives', 'Recorder', 'Source', 'VolumeId'].sort(),
    );
    const commands = [
      windowsBurnCommand({
        recorder: RECORDER,
        staged: 'C:\\s\\d1',
        volumeId: 'V',
        script: WIN_SCRIPT,
      }),
      windowsDrivesCommand(WIN_SCRIPT),
      windowsEjectCommand({ recorder: RECORDER, script: WIN_SCRIPT }),
    ];
    for (const { args } of commands) {
      const passed = args.slice(args.indexOf(WIN_SCRIPT) + 1);
      const mode = passed[0]!.slice(1);
      expect(params.get(mode), mode).toEqual({ type: 'switch', sets: [mode] });
      for (const [i, arg] of passed.entries()) {
        if (i === 0 || !arg.startsWith('-')) continue;
        const name = arg.slice(1);
        expect(params.get(name)?.sets, `${mode} ${name}`).toContain(mode);
        // A named value follows every parameter that is not a switch.
        expect(params.get(name)?.type, name).toBe('string');
        expect(passed[i + 1]?.startsWith('-'), name).toBe(false);
      }
    }
  });

  it('burn-disc.ps1 writes UDF 2.50, closes the disc, asks for FULL verification, reports progress', () => {
    expect(ps1).toMatch(/^\$Udf250 = 0x250$/m);
    expect(ps1).toMatch(/\$image\.UDFRevision = \$Shared\.Udf250$/m);
    expect(ps1).toMatch(/^\$UdfOnly = 4$/m);
    expect(ps1).toMatch(/\$image\.FileSystemsToCreate = \$Shared\.UdfOnly$/m);
    expect(ps1).toMatch(/\$format\.ForceMediaToBeClosed = \$true$/m);
    expect(ps1).toMatch(/\$format\.MediaPhysicallyBlank/);
    // IBurnVerification, with IMAPI_BURN_VERIFICATION_FULL.
    expect(ps1).toContain('Guid("D2FFD834-958B-426D-8470-2A13879C6A91")');
    expect(ps1).toMatch(/public const int Full = 2;/);
    expect(ps1).toMatch(/put_BurnVerificationLevel\(Full\)/);
    expect(ps1).toMatch(/BurnVerification\]::RequestFull\(\$format/);
    expect(ps1).toMatch(/re-reads only the last session/);
    expect(ps1).toMatch(/Register-ObjectEvent -InputObject \$shared\.Format -EventName 'Update'/);
    expect(ps1).toMatch(/^Set-StrictMode -Version Latest$/m);
    expect(ps1).toMatch(/^\$ErrorActionPreference = 'Stop'$/m);
    for (const name of ['IMAPI2.MsftDiscMaster2', 'IMAPI2.MsftDiscRecorder2']) {
      expect(ps1).toContain(`New-Object -ComObject ${name}`);
    }
    expect(ps1).toContain('New-Object -ComObject IMAPI2.MsftDiscFormat2Data');
    expect(ps1).toContain('New-Object -ComObject IMAPI2FS.MsftFileSystemImage');
  });

  it('burn-disc.ps1 is ASCII, which Windows PowerShell 5.1 reads alike in every code page', () => {
    // Without a byte-order mark it reads a script in the system's ANSI code page (936 in China).
    expect([...ps1].filter((ch) => ch.charCodeAt(0) > 0x7e)).toEqual([]);
  });

  it('burn-disc.ps1 prints lines in the shape the station reads', () => {
    expect(ps1).toContain('Write-Line "PROGRESS $percent"');
    expect(ps1).toContain("Write-Line 'DONE'");
    const drive = /@\('DRIVE', \$id, \$drive\.VendorId, \$drive\.ProductId/.exec(ps1);
    expect(drive).not.toBeNull();
    expect(ps1).toContain('-join "`t"');
    // The ERROR line as PowerShell's -f formats it, read back by the station.
    const format = /'(ERROR 0x\{0:X8\} \{1\})' -f \$ex\.HResult, \$message/.exec(ps1)?.[1];
    expect(format).toBeDefined();
    const hresult = (0xc0aab101 >>> 0).toString(16).toUpperCase().padStart(8, '0');
    const line = format!.replace('{0:X8}', hresult).replace('{1}', 'bad volume name');
    expect(nativeError(`${line}\r\n`)).toBe('0xC0AAB101 bad volume name');
  });

  it('burn-disc.sh handles list and burn, verifies the burn and cleans up after itself', () => {
    expect(sh).toMatch(/^ {2}list\)$/m);
    expect(sh).toMatch(/^ {2}burn\) burn "\$@" ;;$/m);
    expect(sh).toMatch(/^set -eu$/m);
    expect(sh).toMatch(/^ {2}trap cleanup EXIT$/m);
    expect(sh).toMatch(/hdiutil makehybrid -iso -joliet -udf -default-volume-name "\$volume"/);
    for (const option of ['-verifyburn', '-noeject', '-forceclose', '-puppetstrings']) {
      expect(sh).toMatch(new RegExp(`hdiutil burn "\\$image" -device "\\$device"[^&]*${option}`));
    }
    expect(sh).not.toMatch(/-noverifyburn/);
    expect(sh).toContain(`say "PROGRESS $percent"`);
    expect(sh).toContain('say DONE');
    expect(sh).toContain(`printf 'ERROR %s\\n'`);
    expect(sh).toContain(`printf "DRIVE\\t%s\\t%s\\t%s\\t%s\\t%s\\n"`);
  });

  it.skipIf(!existsSync('/bin/sh'))('burn-disc.sh is a shell script sh reads', () => {
    const run = spawnSync('/bin/sh', ['-n', SH], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// burn-disc.sh run against stand-ins for drutil and hdiutil

const haveTools = ['/usr/bin/awk', '/usr/bin/mkfifo'].every((tool) => existsSync(tool));

/**
 * The shells it runs in: this machine's sh, and bash in POSIX mode, which is what /bin/sh is on
 * macOS.
 */
const SHELLS = [
  { name: 'sh', command: ['/bin/sh'] },
  { name: 'bash --posix', command: ['/bin/bash', '--posix'] },
].filter((shell) => existsSync(shell.command[0]!));

/** The script's PATH line: the copy under test puts the stand-ins first. */
const PATH_LINE = 'PATH=/usr/bin:/bin:/usr/sbin:/sbin';

const DRUTIL_LIST_ONE = `   Vendor   Product           Rev   Bus       SupportLevel
1  HL-DT-ST DVDRW  GX40N      RQ00  USB       Apple Shipping
`;

const DRUTIL_LIST_TWO = `${DRUTIL_LIST_ONE}2  PIONEER  BD-RW   BDR-XD08  1.01  USB       Unsupported
`;

const STATUS_BLANK = ` Vendor   Product           Rev 
 HL-DT-ST DVDRW  GX40N      RQ00

           Type: DVD-R                Name: /dev/disk4
       Sessions: 0                  Tracks: 0 
   Overwritable:   00:00:00         blocks:        0 /   0.00MB /   0.00MiB
     Space Free:  510:03:70         blocks:  2295104 /   4.70GB /   4.38GiB
     Space Used:   00:00:00         blocks:        0 /   0.00MB /   0.00MiB
    Writability: appendable, blank
      Book Type: DVD-R (v5)
`;

const STATUS_WRITTEN = STATUS_BLANK.replace('appendable, blank', '')
  .replace('Sessions: 0', 'Sessions: 1')
  .replace('Tracks: 0', 'Tracks: 1');

const STATUS_EMPTY = ` Vendor   Product           Rev 
 HL-DT-ST DVDRW  GX40N      RQ00

           Type: No Media Inserted
`;

const DEVICE_1 =
  'IOService:/AppleACPIPlatformExpert/PCI0@0/AppleACPIPCI/XHC1@14/XHC1@14000000/HS01@14100000/USB2.0 External Mass Storage@14100000/IOUSBMassStorageInterfaceNub/IOUSBMassStorageDriverNub/IOUSBMassStorageDriver/IOSCSILogicalUnitNub@0/IOSCSIPeripheralDeviceType05/IODVDServices';
const DEVICE_2 = DEVICE_1.replace('HS01@14100000', 'HS02@14200000').replace(
  'IODVDServices',
  'IOBDServices',
);

/** hdiutil burn -puppetstrings: a figure before there is one (-1), the burn, then the verify. */
const PUPPETSTRINGS = `Initializing…
PERCENT:-1.000000
MESSAGE:Preparing data for burn
PERCENT:0.000000
PERCENT:12.500000
PERCENT:57.312000
PERCENT:99.900002
MESSAGE:Verifying burn…
PERCENT:0.000000
PERCENT:64.000000
PERCENT:100.000000
MESSAGE:Burn completed successfully
`;

const DRUTIL_STUB = `#!/bin/sh
printf 'drutil %s\\n' "$*" >>"$STUB_DIR/calls"
case $1 in
  list) cat "$STUB_DIR/drutil-list" ;;
  status) cat "$STUB_DIR/drutil-status" ;;
  *) exit 1 ;;
esac
`;

const HDIUTIL_STUB = `#!/bin/sh
{ printf 'hdiutil'; for a in "$@"; do printf ' <%s>' "$a"; done; printf '\\n'; } >>"$STUB_DIR/calls"
case $1 in
  burn)
    if [ "$2" = -list ]; then cat "$STUB_DIR/hdiutil-list"; exit 0; fi
    printf '%s\\n' "$2" >"$STUB_DIR/burned-image"
    printf '%s\\n' "$NSUnbufferedIO" >"$STUB_DIR/unbuffered"
    echo $$ >"$STUB_DIR/burn-pid"
    cat "$STUB_DIR/puppetstrings"
    if [ -f "$STUB_DIR/burn-hangs" ]; then exec sleep 30; fi
    if [ -f "$STUB_DIR/burn-fails" ]; then
      echo 'hdiutil: burn failed - Device not ready' >&2
      exit 1
    fi
    ;;
  makehybrid)
    out=
    while [ $# -gt 0 ]; do [ "$1" = -o ] && out=$2; shift; done
    printf 'an image' >"$out"
    ;;
esac
`;

/**
 * Whether a process still runs. A killed process whose parent is gone can stay a zombie for a
 * while where nothing reaps orphans (a container's init): on Linux that counts as stopped.
 */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return process.platform !== 'linux';
  }
}

interface ScriptRun {
  status: number | null;
  stdout: string;
  stderr: string;
  calls: string[];
}

describe.skipIf(!haveTools).each(SHELLS)(
  'burn-disc.sh in $name against stand-ins for drutil and hdiutil',
  ({ command }) => {
    let dir: { path: string; remove: () => void };
    let stubs: string;
    let script: string;
    let tmp: string;
    let staged: string;

    beforeEach(() => {
      dir = tempDir('evidock-native-burn-');
      stubs = join(dir.path, 'stubs');
      tmp = join(dir.path, 'tmp');
      staged = join(dir.path, 'stage', 'd1');
      for (const folder of [stubs, tmp, join(staged, 'evidence')])
        mkdirSync(folder, { recursive: true });
      writeFileSync(join(staged, 'evidence', 'clip1.mp4'), 'footage');
      writeFileSync(join(stubs, 'drutil'), DRUTIL_STUB, { mode: 0o755 });
      writeFileSync(join(stubs, 'hdiutil'), HDIUTIL_STUB, { mode: 0o755 });
      writeFileSync(join(stubs, 'drutil-list'), DRUTIL_LIST_ONE);
      writeFileSync(join(stubs, 'drutil-status'), STATUS_BLANK);
      writeFileSync(join(stubs, 'hdiutil-list'), `${DEVICE_1}\n`);
      writeFileSync(join(stubs, 'puppetstrings'), PUPPETSTRINGS);
      writeFileSync(join(stubs, 'calls'), '');
      const original = readFileSync(SH, 'utf8');
      expect(original.split('\n').filter((line) => line === PATH_LINE)).toHaveLength(1);
      script = join(dir.path, 'burn-disc.sh');
      writeFileSync(
        script,
        original.replace(PATH_LINE, `PATH=${stubs}:/usr/bin:/bin:/usr/sbin:/sbin`),
      );
      chmodSync(script, 0o644);
    });

    afterEach(() => dir.remove());

    const env = () => ({ ...process.env, STUB_DIR: stubs, TMPDIR: tmp, LC_ALL: 'C' });

    function run(...args: string[]): ScriptRun {
      writeFileSync(join(stubs, 'calls'), '');
      const result = spawnSync(command[0]!, [...command.slice(1), script, ...args], {
        encoding: 'utf8',
        env: env(),
      });
      const calls = readFileSync(join(stubs, 'calls'), 'utf8').split('\n').filter(Boolean);
      return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls };
    }

    const burnCalls = (r: ScriptRun) => r.calls.filter((c) => /^hdiutil <burn> <(?!-list)/.test(c));

    it('lists the drives drutil lists, as the station reads them', () => {
      writeFileSync(join(stubs, 'drutil-list'), DRUTIL_LIST_TWO);
      const r = run('list');
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(
        'DRIVE\t1\tHL-DT-ST\tDVDRW  GX40N\tRQ00\tUSB\nDRIVE\t2\tPIONEER\tBD-RW   BDR-XD08\t1.01\tUSB\n',
      );
      expect(macosDrivesListed(r.stdout)).toEqual([
        { address: '1', vendor: 'HL-DT-ST', model: 'DVDRW  GX40N' },
        { address: '2', vendor: 'PIONEER', model: 'BD-RW   BDR-XD08' },
      ]);
      writeFileSync(join(stubs, 'drutil-list'), 'No drives found\n');
      expect(run('list')).toMatchObject({ status: 0, stdout: '' });
    });

    it('makes the image, burns and verifies it on the only drive, and removes the image', () => {
      const r = run('burn', staged, 'CASE7_D1OF2');
      expect(r.stderr).not.toMatch(/^ERROR/m);
      expect(r.status).toBe(0);
      // The burn's own figures, once each; the verification's restart from 0 is not shown.
      expect(r.stdout).toBe(
        [
          'PROGRESS 0',
          'PROGRESS 12',
          'PROGRESS 57',
          'PROGRESS 99',
          'PROGRESS 100',
          'DONE',
          '',
        ].join('\n'),
      );
      expect(nativeDone(r.stdout)).toBe(true);
      // hdiutil's own words go to the log.
      expect(r.stderr).toContain('MESSAGE:Burn completed successfully');

      const image = readFileSync(join(stubs, 'burned-image'), 'utf8').trim();
      expect(image.startsWith(`${tmp}/evidock-burn.`)).toBe(true);
      expect(r.calls).toContain(
        `hdiutil <makehybrid> <-iso> <-joliet> <-udf> <-default-volume-name> <CASE7_D1OF2> <-o> <${image}> <${staged}>`,
      );
      expect(burnCalls(r)).toEqual([
        `hdiutil <burn> <${image}> <-device> <${DEVICE_1}> <-forceclose> <-verifyburn> <-noeject> <-puppetstrings>`,
      ]);
      expect(r.calls).toContain('drutil status -drive 1');
      expect(readFileSync(join(stubs, 'unbuffered'), 'utf8').trim()).toBe('YES');
      expect(existsSync(image)).toBe(false);
      expect(readdirSync(tmp)).toEqual([]);
    });

    it('burns on the drive it is given, by its place in both lists', () => {
      writeFileSync(join(stubs, 'drutil-list'), DRUTIL_LIST_TWO);
      writeFileSync(join(stubs, 'hdiutil-list'), `${DEVICE_1}\n${DEVICE_2}\n`);
      const r = run('burn', staged, 'CASE7_D1OF2', '2');
      expect(r.status).toBe(0);
      expect(r.calls).toContain('drutil status -drive 2');
      expect(burnCalls(r)[0]).toContain(`<-device> <${DEVICE_2}>`);

      // Two drives and none named: the script does not pick one.
      const unnamed = run('burn', staged, 'CASE7_D1OF2');
      expect(unnamed.status).toBe(1);
      expect(nativeError(unnamed.stderr)).toBe('2 disc drives are attached: name the one to burn');
      expect(run('burn', staged, 'CASE7_D1OF2', '3').stderr).toMatch(/^ERROR there is no drive 3/m);
    });

    it('burns nothing when drutil and hdiutil do not list the same drives', () => {
      writeFileSync(join(stubs, 'drutil-list'), DRUTIL_LIST_TWO);
      const r = run('burn', staged, 'CASE7_D1OF2', '2');
      expect(r.status).toBe(1);
      expect(nativeError(r.stderr)).toMatch(/drutil lists 2 drive\(s\) and hdiutil 1/);
      expect(r.calls.some((c) => c.startsWith('hdiutil <makehybrid>'))).toBe(false);
      expect(burnCalls(r)).toEqual([]);
    });

    it('refuses a disc that is not blank, and an empty drive, before making an image', () => {
      for (const [status, reason] of [
        [STATUS_WRITTEN, /not blank/],
        [STATUS_EMPTY, /no disc in drive 1/],
      ] as const) {
        writeFileSync(join(stubs, 'drutil-status'), status);
        const r = run('burn', staged, 'CASE7_D1OF2');
        expect(r.status).toBe(1);
        expect(r.stdout).toBe('');
        expect(nativeError(r.stderr)).toMatch(reason);
        expect(r.calls.some((c) => c.startsWith('hdiutil'))).toBe(false);
      }
    });

    it('reports hdiutil’s reason when the burn fails, and still removes the image', () => {
      writeFileSync(join(stubs, 'burn-fails'), '');
      const r = run('burn', staged, 'CASE7_D1OF2');
      expect(r.status).toBe(1);
      expect(nativeDone(r.stdout + r.stderr)).toBe(false);
      expect(nativeError(r.stderr)).toBe(
        'hdiutil burn failed (exit 1): burn failed - Device not ready',
      );
      expect(readdirSync(tmp)).toEqual([]);
    });

    it('refuses what is not a staged folder of plain files or not a volume id', () => {
      expect(nativeError(run('burn', 'stage/d1', 'V').stderr)).toMatch(/absolute path/);
      expect(nativeError(run('burn', join(dir.path, 'none'), 'V').stderr)).toMatch(
        /no staged folder/,
      );
      for (const volume of ['case7', 'A B', 'A'.repeat(33), '']) {
        expect(nativeError(run('burn', staged, volume).stderr), volume).toMatch(/not a volume id/);
      }
      expect(nativeError(run('burn', staged, 'V', '0').stderr)).toMatch(/not a drive number/);
      expect(nativeError(run('burn', staged).stderr)).toMatch(/^usage/);
      expect(nativeError(run('erase').stderr)).toMatch(/^usage/);
      symlinkSync('/etc/passwd', join(staged, 'evidence', 'passwd'));
      const linked = run('burn', staged, 'V');
      expect(nativeError(linked.stderr)).toMatch(/plain files only, not: .*evidence\/passwd/);
      expect(linked.calls).toEqual([]);
    });

    it('stops the burn and removes the image when the station stops it', async () => {
      writeFileSync(join(stubs, 'burn-hangs'), '');
      const child = spawn(
        command[0]!,
        [...command.slice(1), script, 'burn', staged, 'CASE7_D1OF2'],
        {
          env: env(),
        },
      );
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const ended = new Promise<number | null>((resolve) => child.on('close', resolve));
      await new Promise<void>((resolve) =>
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          if (stdout.includes('PROGRESS 99')) resolve();
        }),
      );
      const started = Date.now();
      child.kill('SIGTERM');
      expect(await ended).toBe(1);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(stdout).not.toContain('DONE');
      expect(nativeError(stderr)).toBe('stopped by a signal before the burn ended');
      expect(readdirSync(tmp)).toEqual([]);
      // The stand-in burn (a 30 s sleep by then) was stopped too.
      const pid = Number(readFileSync(join(stubs, 'burn-pid'), 'utf8'));
      const until = Date.now() + 5_000;
      while (running(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect(running(pid)).toBe(false);
    });
  },
);
