// native/linux: the udev rules and systemd unit that run the station as a service, and the script
// that installs them. udev and systemd log a bad line and carry on without it, so a typo would
// leave the station without its recorders or card reader and nobody would be told: these tests
// read the files strictly, hold the rules to the recorder profiles and the unit to the station's
// command line, and let systemd-analyze judge the unit where it is installed.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recorderProfileSchema, type RecorderProfile } from '../../src-main/devices/profile';
import { loadProfiles, resolveProfilesDir } from '../../src-main/devices/profiles';
import { stationCommand } from '../../src-main/station/cli/station-command';
import { tempDir } from '../support/temp';

const linuxDir = join(import.meta.dirname, '../../native/linux');
const read = (name: string): string => readFileSync(join(linuxDir, name), 'utf8');
const installScript = join(linuxDir, 'install.sh');

/** Where a Debian tool lives, whether or not sbin is on this PATH. */
function tool(name: string): string | undefined {
  const dirs = (process.env['PATH'] ?? '').split(':').filter(Boolean);
  return [...dirs, '/usr/sbin', '/usr/bin', '/sbin', '/bin']
    .map((dir) => join(dir, name))
    .find((path) => existsSync(path));
}

const asRoot = process.getuid?.() === 0;
const setpriv = tool('setpriv');

/**
 * Runs a command as nobody when this is root, else as this user. systemd-analyze run as root
 * touches /run/systemd/systemd-units-load, which tells mount(8) when systemd last read fstab; a
 * test has no business changing that on the machine it runs on.
 */
function unprivileged(command: string, args: string[]): SpawnSyncReturns<string> {
  return asRoot
    ? spawnSync(setpriv!, ['--reuid=65534', '--regid=65534', '--clear-groups', command, ...args], {
        encoding: 'utf8',
      })
    : spawnSync(command, args, { encoding: 'utf8' });
}

const analyzeUnavailable =
  tool('systemd-analyze') === undefined
    ? 'systemd-analyze is not installed (Debian: systemd)'
    : asRoot && setpriv === undefined
      ? 'root without setpriv (Debian: util-linux) would run systemd-analyze as root'
      : undefined;

// ---------------------------------------------------------------------------------------------
// udev rules, read strictly

type UdevOperator = '==' | '!=' | '=' | '+=' | '-=' | ':=';

interface UdevPair {
  key: string;
  attr: string | undefined;
  op: UdevOperator;
  value: string;
}

interface UdevRule {
  line: number;
  pairs: UdevPair[];
}

const MATCH: readonly UdevOperator[] = ['==', '!='];

/**
 * udev(7)'s keys, each with the operators it takes and whether it takes `{attribute}`. Stricter
 * than udev where udev only warns (an assignment operator on a match key, say).
 */
const UDEV_KEYS: Record<
  string,
  { ops: readonly UdevOperator[]; attr: 'none' | 'required' | 'optional' }
> = {
  ACTION: { ops: MATCH, attr: 'none' },
  DEVPATH: { ops: MATCH, attr: 'none' },
  KERNEL: { ops: MATCH, attr: 'none' },
  KERNELS: { ops: MATCH, attr: 'none' },
  SUBSYSTEM: { ops: MATCH, attr: 'none' },
  SUBSYSTEMS: { ops: MATCH, attr: 'none' },
  DRIVER: { ops: MATCH, attr: 'none' },
  DRIVERS: { ops: MATCH, attr: 'none' },
  ATTRS: { ops: MATCH, attr: 'required' },
  TAGS: { ops: MATCH, attr: 'none' },
  CONST: { ops: MATCH, attr: 'required' },
  TEST: { ops: MATCH, attr: 'optional' },
  PROGRAM: { ops: MATCH, attr: 'none' },
  RESULT: { ops: MATCH, attr: 'none' },
  ATTR: { ops: [...MATCH, '='], attr: 'required' },
  SYSCTL: { ops: [...MATCH, '='], attr: 'required' },
  ENV: { ops: [...MATCH, '=', '+='], attr: 'required' },
  TAG: { ops: [...MATCH, '=', '+=', '-='], attr: 'none' },
  NAME: { ops: [...MATCH, '=', ':='], attr: 'none' },
  SYMLINK: { ops: [...MATCH, '=', '+=', '-=', ':='], attr: 'none' },
  OWNER: { ops: ['=', ':='], attr: 'none' },
  GROUP: { ops: ['=', ':='], attr: 'none' },
  MODE: { ops: ['=', ':='], attr: 'none' },
  SECLABEL: { ops: ['=', '+=', ':='], attr: 'required' },
  RUN: { ops: ['=', '+=', '-=', ':='], attr: 'optional' },
  IMPORT: { ops: ['='], attr: 'required' },
  OPTIONS: { ops: ['=', '+='], attr: 'none' },
  LABEL: { ops: ['='], attr: 'none' },
  GOTO: { ops: ['='], attr: 'none' },
};

/** One pair: KEY, an optional {attribute}, the operator, a double-quoted value. */
const PAIR = /^([A-Z_]+)(?:\{([^{}"\s]+)\})?(==|!=|\+=|-=|:=|=)"((?:[^"\\]|\\.)*)"/;

/**
 * Every line that is not blank or a comment is one rule: `KEY[{attr}]OP"value"` pairs separated
 * by a comma and white space. A backslash at the end of a line continues the rule on the next.
 */
function parseUdevRules(text: string): { rules: UdevRule[]; errors: string[] } {
  const rules: UdevRule[] = [];
  const errors: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const number = i + 1;
    let line = lines[i] ?? '';
    while (line.endsWith('\\') && i + 1 < lines.length) {
      i += 1;
      line = line.slice(0, -1) + (lines[i] ?? '').trimStart();
    }
    if (line.endsWith('\\')) {
      errors.push(`line ${number}: continued past the end of the file`);
      continue;
    }
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (line !== trimmed) errors.push(`line ${number}: white space at the start or end`);
    const pairs: UdevPair[] = [];
    let rest = trimmed;
    for (;;) {
      const match = PAIR.exec(rest);
      if (match === null) {
        errors.push(`line ${number}: not KEY[{attr}]OP"value" at: ${rest}`);
        break;
      }
      const [whole, key = '', attr, op = '=', value = ''] = match;
      const spec = UDEV_KEYS[key];
      if (spec === undefined) errors.push(`line ${number}: unknown key ${key}`);
      else {
        if (!spec.ops.includes(op as UdevOperator))
          errors.push(`line ${number}: ${key} does not take ${op}`);
        if (spec.attr === 'required' && attr === undefined)
          errors.push(`line ${number}: ${key} needs {attribute}`);
        if (spec.attr === 'none' && attr !== undefined)
          errors.push(`line ${number}: ${key} takes no {attribute}`);
      }
      pairs.push({ key, attr, op: op as UdevOperator, value });
      rest = rest.slice(whole.length);
      if (rest === '') break;
      const separator = /^,\s+/.exec(rest);
      if (separator === null || separator[0].length === rest.length) {
        errors.push(`line ${number}: pairs are separated by ", " and the last has none after it`);
        break;
      }
      rest = rest.slice(separator[0].length);
    }
    rules.push({ line: number, pairs });
  }
  return { rules, errors };
}

function parsedRules(text: string): UdevRule[] {
  const { rules, errors } = parseUdevRules(text);
  expect(errors).toEqual([]);
  return rules;
}

/** The value a rule requires of a match key (`KEY[{attr}]=="value"`), if it has one. */
function matched(rule: UdevRule, key: string, attr?: string): string | undefined {
  const pairs = rule.pairs.filter((p) => p.key === key && p.attr === attr && p.op === '==');
  return pairs.length === 1 ? pairs[0]?.value : undefined;
}

/** The kinds of device node a rule may give the station, and the keys that name one device. */
const GRANTS = {
  // libusb opens the USB device itself (/dev/bus/usb/BBB/DDD), not one of its interfaces.
  usb: { idKey: 'ATTR', extra: { key: 'ENV', attr: 'DEVTYPE', value: 'usb_device' } },
  // A hidraw node's ids belong to the USB device it hangs off, found by walking up: ATTRS.
  hidraw: { idKey: 'ATTRS', extra: undefined },
} as const;

const HEX16 = /^[0-9a-f]{4}$/;

/**
 * What is wrong with a rule that gives a device to the station: it must name one subsystem and
 * one vendor and product exactly (no patterns), give the node to the service's group only
 * (0660), and do nothing else: no owner, no uaccess (that follows the logged-in seat user, not a
 * service), nothing run, no jumps, so each rule can be read on its own.
 */
function grantProblems(rule: UdevRule, group: string): string[] {
  const problems: string[] = [];
  const at = `line ${rule.line}`;
  const subsystem = matched(rule, 'SUBSYSTEM');
  const grant = subsystem === 'usb' || subsystem === 'hidraw' ? GRANTS[subsystem] : undefined;
  if (grant === undefined) {
    problems.push(`${at}: matches SUBSYSTEM "${subsystem ?? '(any)'}", not usb or hidraw`);
  } else {
    for (const attr of ['idVendor', 'idProduct']) {
      const id = matched(rule, grant.idKey, attr);
      if (id === undefined || !HEX16.test(id))
        problems.push(`${at}: needs ${grant.idKey}{${attr}}=="xxxx" (4 lower-case hex digits)`);
    }
    if (
      grant.extra !== undefined &&
      matched(rule, grant.extra.key, grant.extra.attr) !== 'usb_device'
    )
      problems.push(`${at}: needs ENV{DEVTYPE}=="usb_device"`);
  }
  const allowed = new Set(['SUBSYSTEM', 'ENV{DEVTYPE}', 'ATTR{idVendor}', 'ATTR{idProduct}']);
  allowed.add('ATTRS{idVendor}').add('ATTRS{idProduct}').add('GROUP').add('MODE');
  for (const pair of rule.pairs) {
    const name = pair.attr === undefined ? pair.key : `${pair.key}{${pair.attr}}`;
    if (!allowed.has(name)) problems.push(`${at}: ${name} has no place in a grant rule`);
  }
  const assigned = (key: string) => rule.pairs.filter((p) => p.key === key && p.op !== '==');
  const groups = assigned('GROUP');
  if (groups.length !== 1 || groups[0]?.op !== '=' || groups[0].value !== group)
    problems.push(`${at}: needs GROUP="${group}"`);
  const modes = assigned('MODE');
  if (modes.length !== 1 || modes[0]?.op !== '=' || modes[0].value !== '0660')
    problems.push(`${at}: needs MODE="0660" (the group reads and writes, nobody else)`);
  return problems;
}

/** vid:pid as the rules write them, e.g. 4255:0001. */
function ruleIds(rule: UdevRule): string {
  const key = matched(rule, 'SUBSYSTEM') === 'hidraw' ? 'ATTRS' : 'ATTR';
  return `${matched(rule, key, 'idVendor')}:${matched(rule, key, 'idProduct')}`;
}

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

/**
 * Which drivers open the recorder's USB device. `satisfies` makes a new driver in the profile
 * schema fail to compile here until someone decides whether it needs a udev rule.
 */
const OPENS_USB_DEVICE = {
  'amba-bulk': true,
  // The OS mounts the volume; the station reads folders and sysfs, never the USB device.
  'mass-storage': false,
} as const satisfies Record<RecorderProfile['driver'], boolean>;

describe('the udev rules parser', () => {
  it('takes what udev takes: pairs, {attributes}, comments, blank lines, continued lines', () => {
    const { rules, errors } = parseUdevRules(
      [
        '# a comment',
        '',
        'SUBSYSTEM=="usb", ATTR{idVendor}=="4255", \\',
        '  ATTR{idProduct}!="0001", TAG+="x", RUN{program}+="/bin/true", GOTO="end"',
        'LABEL="end"',
        '',
      ].join('\n'),
    );
    expect(errors).toEqual([]);
    expect(rules.map((r) => r.line)).toEqual([3, 5]);
    expect(rules[0]?.pairs.map((p) => [p.key, p.attr, p.op, p.value])).toEqual([
      ['SUBSYSTEM', undefined, '==', 'usb'],
      ['ATTR', 'idVendor', '==', '4255'],
      ['ATTR', 'idProduct', '!=', '0001'],
      ['TAG', undefined, '+=', 'x'],
      ['RUN', 'program', '+=', '/bin/true'],
      ['GOTO', undefined, '=', 'end'],
    ]);
  });

  it.each([
    ['an unknown key', 'SUBSYSTEM=="usb", FOO="bar"'],
    ['a match key assigned', 'SUBSYSTEM="usb", GROUP="evidock"'],
    ['an assignment key compared', 'SUBSYSTEM=="usb", GROUP=="evidock"'],
    ['a missing {attribute}', 'ATTR=="4255", GROUP="evidock"'],
    ['an {attribute} where none goes', 'SUBSYSTEM{x}=="usb"'],
    ['an unquoted value', 'SUBSYSTEM==usb'],
    ['an unbalanced quote', 'SUBSYSTEM=="usb, GROUP="evidock"'],
    ['a missing comma', 'SUBSYSTEM=="usb" GROUP="evidock"'],
    ['a trailing comma', 'SUBSYSTEM=="usb", GROUP="evidock",'],
    ['an unknown operator', 'SUBSYSTEM=~"usb"'],
    ['a lower-case key', 'subsystem=="usb"'],
    ['a continuation at the end', 'SUBSYSTEM=="usb", \\'],
  ])('refuses %s', (_what, line) => {
    expect(parseUdevRules(`${line}\n`).errors).not.toEqual([]);
  });

  it('the grant check refuses what would give the station more than one device', () => {
    const problems = (line: string) => grantProblems(parsedRules(line)[0]!, 'evidock');
    // Every keyboard's hidraw node, hence every keystroke typed on the machine.
    expect(problems('SUBSYSTEM=="hidraw", GROUP="evidock", MODE="0660"')).not.toEqual([]);
    expect(
      problems(
        'SUBSYSTEM=="hidraw", ATTRS{idVendor}=="1a2b", ATTRS{idProduct}=="*", GROUP="evidock", MODE="0660"',
      ),
    ).not.toEqual([]);
    expect(
      problems(
        'SUBSYSTEM=="hidraw", ATTRS{idVendor}=="1a2b", ATTRS{idProduct}=="003c", TAG+="uaccess"',
      ),
    ).not.toEqual([]);
    expect(
      problems(
        'SUBSYSTEM=="usb", ATTR{idVendor}=="4255", ATTR{idProduct}=="0001", GROUP="evidock", MODE="0666"',
      ),
    ).not.toEqual([]);
    expect(
      problems(
        'SUBSYSTEM=="usb", ENV{DEVTYPE}=="usb_device", ATTR{idVendor}=="4255", ATTR{idProduct}=="0001", GROUP="evidock", MODE="0660", RUN+="/bin/sh"',
      ),
    ).not.toEqual([]);
    expect(
      problems(
        'SUBSYSTEM=="usb", ENV{DEVTYPE}=="usb_device", ATTR{idVendor}=="4255", ATTR{idProduct}=="0001", GROUP="evidock", MODE="0660"',
      ),
    ).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// systemd unit, read strictly

interface UnitEntry {
  key: string;
  value: string;
  line: number;
}

/** The keys this unit may use, per section; a key outside them is a typo or needs a look. */
const UNIT_KEYS: Record<string, readonly string[]> = {
  Unit: [
    'Description',
    'Documentation',
    'After',
    'Before',
    'Wants',
    'Requires',
    'StartLimitIntervalSec',
    'StartLimitBurst',
    'RequiresMountsFor',
  ],
  Service: [
    'Type',
    'ExecStart',
    'User',
    'Group',
    'DynamicUser',
    'SupplementaryGroups',
    'Environment',
    'WorkingDirectory',
    'StateDirectory',
    'StateDirectoryMode',
    'UMask',
    'Restart',
    'RestartSec',
    'KillSignal',
    'KillMode',
    'TimeoutStopSec',
    'NoNewPrivileges',
    'CapabilityBoundingSet',
    'AmbientCapabilities',
    'ProtectSystem',
    'ReadWritePaths',
    'ProtectHome',
    'PrivateTmp',
    'PrivateMounts',
    'PrivateDevices',
    'PrivateNetwork',
    'PrivateUsers',
    'DevicePolicy',
    'DeviceAllow',
    'ProtectClock',
    'ProtectKernelTunables',
    'ProtectKernelModules',
    'ProtectKernelLogs',
    'ProtectControlGroups',
    'ProtectHostname',
    'ProtectProc',
    'ProcSubset',
    'RestrictNamespaces',
    'RestrictRealtime',
    'RestrictSUIDSGID',
    'LockPersonality',
    'MemoryDenyWriteExecute',
    'RemoveIPC',
    'SystemCallArchitectures',
    'SystemCallFilter',
    'SystemCallErrorNumber',
    'RestrictAddressFamilies',
    'IPAddressDeny',
    'IPAddressAllow',
  ],
  Install: ['WantedBy'],
};

/** Keys systemd lets a unit give more than once (each adds to a list). */
const REPEATABLE = new Set([
  'After',
  'Before',
  'Wants',
  'Requires',
  'Documentation',
  'Environment',
  'ReadWritePaths',
  'SystemCallFilter',
  'RestrictAddressFamilies',
  'IPAddressDeny',
  'IPAddressAllow',
  'WantedBy',
]);

function parseUnit(text: string): { sections: Map<string, UnitEntry[]>; errors: string[] } {
  const sections = new Map<string, UnitEntry[]>();
  const errors: string[] = [];
  let current: UnitEntry[] | undefined;
  let section = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const number = i + 1;
    let line = lines[i] ?? '';
    if (/^\s*[#;]/.test(line) || line.trim() === '') continue;
    while (line.endsWith('\\') && i + 1 < lines.length) {
      i += 1;
      line = `${line.slice(0, -1)} ${lines[i] ?? ''}`;
    }
    const header = /^\[([A-Za-z]+)\]$/.exec(line);
    if (header !== null) {
      section = header[1] ?? '';
      if (UNIT_KEYS[section] === undefined)
        errors.push(`line ${number}: unknown section [${section}]`);
      if (sections.has(section)) errors.push(`line ${number}: [${section}] twice`);
      current = [];
      sections.set(section, current);
      continue;
    }
    const entry = /^([A-Za-z][A-Za-z0-9]*)=(.*)$/.exec(line);
    if (entry === null || current === undefined) {
      errors.push(`line ${number}: not Key=value inside a [Section]: ${line}`);
      continue;
    }
    const key = entry[1] ?? '';
    if (!(UNIT_KEYS[section] ?? []).includes(key))
      errors.push(`line ${number}: ${key} is not a key this unit uses in [${section}]`);
    if (!REPEATABLE.has(key) && current.some((e) => e.key === key))
      errors.push(`line ${number}: ${key} twice`);
    current.push({ key, value: entry[2] ?? '', line: number });
  }
  return { sections, errors };
}

/** systemd's booleans. */
const isYes = (value: string | undefined): boolean =>
  value !== undefined && ['yes', 'true', 'on', '1'].includes(value);

/** A systemd time span in seconds, for the few forms this unit writes ("5s", "2min", "90"). */
function seconds(value: string | undefined): number {
  const match = /^(\d+)(ms|s|sec|min)?$/.exec(value ?? '');
  if (match === null) return Number.NaN;
  const n = Number(match[1]);
  return match[2] === 'ms' ? n / 1000 : match[2] === 'min' ? n * 60 : n;
}

const unitText = read('evidock.service');
const unit = parseUnit(unitText);
const values = (section: string, key: string): string[] =>
  (unit.sections.get(section) ?? []).filter((e) => e.key === key).map((e) => e.value);
const value = (section: string, key: string): string | undefined => values(section, key).at(-1);
const service = (key: string): string | undefined => value('Service', key);
/** Space-separated list keys, across every line that gives them. */
const listed = (key: string): string[] =>
  values('Service', key).flatMap((v) => v.split(/\s+/).filter(Boolean));

/** The path install.sh replaces with the evidock this machine has. */
const SHIPPED_EXEC = /^SHIPPED_EXEC=(\S+)$/m.exec(readFileSync(installScript, 'utf8'))?.[1];

describe('evidock.service', () => {
  it('is read as sections of Key=value with known keys, each once', () => {
    expect(unit.errors).toEqual([]);
    expect([...unit.sections.keys()]).toEqual(['Unit', 'Service', 'Install']);
  });

  it('runs as the dedicated user and group the udev rules give the devices to', () => {
    expect(service('User')).toBe('evidock');
    expect(service('Group')).toBe('evidock');
    // A dynamic user's ids change; udev needs a group that exists before the service starts.
    expect(isYes(service('DynamicUser'))).toBe(false);
    for (const rule of parsedRules(read('70-evidock.rules'))) {
      expect(rule.pairs.find((p) => p.key === 'GROUP')?.value).toBe(service('Group'));
    }
  });

  it('runs `evidock station` from the path install.sh rewrites, with options the station has', () => {
    const [exec, ...args] = (service('ExecStart') ?? '').split(/\s+/);
    expect(SHIPPED_EXEC).toMatch(/^\//);
    expect(exec).toBe(SHIPPED_EXEC);
    expect(args[0]).toBe('station');
    const known = stationCommand().options.map((o) => o.long);
    const given = args.filter((a) => a.startsWith('-'));
    expect(given.filter((a) => !known.includes(a))).toEqual([]);
    const after = (flag: string) => args.flatMap((a, i) => (a === flag ? [args[i + 1]] : []));
    // The data folder is the one systemd creates and hands to the service's user.
    expect(service('StateDirectory')).toBe('evidock');
    expect(after('--data-dir')).toEqual([`%S/${service('StateDirectory')}`]);
    expect(after('--host').every((h) => h === '127.0.0.1' || h === '::1')).toBe(true);
    // Each mount root is writable to the service (clearing a recorder, its time file).
    const roots = after('--mount-root');
    expect(roots).toEqual(expect.arrayContaining(['/media', '/run/media']));
    const writable = listed('ReadWritePaths').map((p) => p.replace(/^-/, ''));
    expect(roots.filter((r) => !writable.includes(r ?? ''))).toEqual([]);
  });

  it('restarts after a failure, not after a stop, and gives SIGTERM time to end dockings', () => {
    expect(service('Type')).toMatch(/^(exec|simple)$/);
    expect(service('Restart')).toBe('on-failure');
    const restartSec = seconds(service('RestartSec'));
    expect(restartSec).toBeGreaterThanOrEqual(1);
    expect(restartSec).toBeLessThanOrEqual(60);
    expect(value('Unit', 'StartLimitBurst')).toMatch(/^\d+$/);
    expect(service('KillSignal') ?? 'SIGTERM').toBe('SIGTERM');
    // "process" or "none" would leave ffmpeg and lsblk children running after the station.
    expect(service('KillMode') ?? 'control-group').toMatch(/^(control-group|mixed)$/);
    expect(seconds(service('TimeoutStopSec'))).toBeGreaterThanOrEqual(60);
    expect(service('UMask')).toBe('0077');
    expect(value('Install', 'WantedBy')).toBe('multi-user.target');
  });

  it('is hardened without taking away what the station needs', () => {
    expect(isYes(service('NoNewPrivileges'))).toBe(true);
    expect(service('CapabilityBoundingSet')).toBe('');
    expect(service('ProtectSystem')).toBe('strict');
    expect(isYes(service('ProtectHome'))).toBe(true);
    expect(isYes(service('PrivateTmp'))).toBe(true);
    expect(service('SystemCallFilter')).toBe('@system-service');
    expect(service('SystemCallErrorNumber')).toBe('EPERM');
    // Loopback only; netlink for libusb's hot-plug events from udev.
    expect(service('IPAddressDeny')).toBe('any');
    expect(service('IPAddressAllow')).toBe('localhost');
    expect(listed('RestrictAddressFamilies').sort()).toEqual(
      ['AF_INET', 'AF_INET6', 'AF_NETLINK', 'AF_UNIX'].sort(),
    );
    // Each of these would break the station (see the unit's comments).
    expect(isYes(service('PrivateDevices'))).toBe(false);
    expect(service('DevicePolicy')).toBeUndefined();
    expect(values('Service', 'DeviceAllow')).toEqual([]);
    expect(isYes(service('ProtectClock'))).toBe(false);
    expect(isYes(service('PrivateNetwork'))).toBe(false);
    expect(isYes(service('MemoryDenyWriteExecute'))).toBe(false);
    expect(service('ProcSubset')).toBeUndefined();
  });

  describe.skipIf(analyzeUnavailable !== undefined)(
    `with systemd-analyze${analyzeUnavailable ? ` — skipped: ${analyzeUnavailable}` : ''}`,
    () => {
      let dir: { path: string; remove: () => void };
      beforeEach(() => {
        dir = tempDir('evidock-unit-');
        chmodSync(dir.path, 0o755);
      });
      afterEach(() => dir.remove());

      /** The unit as install.sh would write it, pointing at an executable that exists. */
      function installedCopy(): string {
        const exec = join(dir.path, 'evidock');
        writeFileSync(exec, '#!/bin/sh\n', { mode: 0o755 });
        const path = join(dir.path, 'evidock.service');
        writeFileSync(path, unitText.replace(`ExecStart=${SHIPPED_EXEC} `, `ExecStart=${exec} `), {
          mode: 0o644,
        });
        return path;
      }

      it('systemd-analyze verify finds nothing to say about it', () => {
        const run = unprivileged(tool('systemd-analyze')!, ['verify', '--man=no', installedCopy()]);
        // Other units on this machine may draw remarks; only this one's count.
        const remarks = `${run.stdout}${run.stderr}`
          .split('\n')
          .filter((line) => line.includes('evidock'));
        expect(remarks).toEqual([]);
        expect(run.status).toBe(0);
      });

      it('systemd-analyze security rates its exposure low', () => {
        const run = unprivileged(tool('systemd-analyze')!, [
          'security',
          '--offline=true',
          '--no-pager',
          installedCopy(),
        ]);
        const score = /Overall exposure level for evidock\.service: ([\d.]+)/.exec(
          `${run.stdout}${run.stderr}`,
        );
        expect(score, `${run.stdout}${run.stderr}`).not.toBeNull();
        // 2.0 with systemd 252; above 3 a hardening line has gone.
        expect(Number(score?.[1])).toBeLessThanOrEqual(3);
      });
    },
  );
});

// ---------------------------------------------------------------------------------------------
// The rules against the recorder profiles

describe('70-evidock.rules', () => {
  const rules = parsedRules(read('70-evidock.rules'));
  const profiles = loadProfiles(resolveProfilesDir());

  it('gives the service group exactly one named USB device per rule, and nothing else', () => {
    expect(rules.length).toBeGreaterThan(0);
    expect(rules.flatMap((rule) => grantProblems(rule, 'evidock'))).toEqual([]);
    // The card reader differs per unit: it is never in the shipped file.
    expect(rules.filter((rule) => matched(rule, 'SUBSYSTEM') !== 'usb')).toEqual([]);
  });

  it('every driver in the profile schema is known to need a rule or not', () => {
    expect(Object.keys(OPENS_USB_DEVICE).sort()).toEqual(
      [...recorderProfileSchema.shape.driver.options].sort(),
    );
  });

  it('covers every USB id of every profile whose driver opens the USB device, and no other', () => {
    const needed = profiles
      .filter((p) => OPENS_USB_DEVICE[p.driver])
      .flatMap((p) =>
        p.match.usb.map((id) => ({
          profile: p.id,
          ids: `${hex4(id.vendorId)}:${hex4(id.productId)}`,
        })),
      );
    expect(needed.length).toBeGreaterThan(0);
    const covered = new Set(rules.map(ruleIds));
    expect(needed.filter((n) => !covered.has(n.ids))).toEqual([]);
    expect([...covered].filter((ids) => !needed.some((n) => n.ids === ids))).toEqual([]);
  });
});

describe('71-evidock-card-reader.rules.in', () => {
  it('becomes one rule giving the service that one reader hidraw nodes', () => {
    const template = read('71-evidock-card-reader.rules.in');
    const rules = parsedRules(
      template.replaceAll('@VENDOR@', '1a2b').replaceAll('@PRODUCT@', '003c'),
    );
    expect(rules).toHaveLength(1);
    expect(grantProblems(rules[0]!, 'evidock')).toEqual([]);
    expect(matched(rules[0]!, 'SUBSYSTEM')).toBe('hidraw');
    expect(ruleIds(rules[0]!)).toBe('1a2b:003c');
  });
});

// ---------------------------------------------------------------------------------------------
// install.sh, into a folder (no root needed, nothing on this machine touched)

/** Debian's /bin/sh: the script must run there, not only under bash. */
const posixShell = tool('dash') ?? tool('sh') ?? 'sh';

describe.skipIf(process.platform !== 'linux')('install.sh', () => {
  let root: { path: string; remove: () => void };
  let dest: string;
  beforeEach(() => {
    root = tempDir('evidock-install-');
    dest = join(root.path, 'dest');
    mkdirSync(join(dest, 'usr/local/bin'), { recursive: true });
    writeFileSync(join(dest, 'usr/local/bin/evidock'), '#!/usr/bin/env node\n', { mode: 0o755 });
  });
  afterEach(() => root.remove());

  const install = (...args: string[]): SpawnSyncReturns<string> =>
    spawnSync(posixShell, [installScript, ...args], { encoding: 'utf8' });
  const intoDest = (...args: string[]) =>
    install('--destdir', dest, '--evidock', '/usr/local/bin/evidock', ...args);
  const written = (): string[] =>
    (readdirSync(dest, { recursive: true }) as string[])
      .filter((p) => statSync(join(dest, p)).isFile())
      .sort();
  const unitFile = () => join(dest, 'etc/systemd/system/evidock.service');
  const readerFile = () => join(dest, 'etc/udev/rules.d/71-evidock-card-reader.rules');

  it('writes the unit, the recorder rules and the card-reader rule, and says what it did', () => {
    const run = intoDest('--card-reader', '0x1A2B:0x3c');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(written()).toEqual([
      'etc/systemd/system/evidock.service',
      'etc/udev/rules.d/70-evidock.rules',
      'etc/udev/rules.d/71-evidock-card-reader.rules',
      'usr/local/bin/evidock',
    ]);
    expect(run.stdout).toContain('No user was created and nothing was reloaded');
    expect(readFileSync(join(dest, 'etc/udev/rules.d/70-evidock.rules'), 'utf8')).toBe(
      read('70-evidock.rules'),
    );
    for (const file of [unitFile(), readerFile()]) {
      expect(statSync(file).mode & 0o777).toBe(0o644);
    }
    // Ids as udev compares them with sysfs: lower case, four digits.
    const reader = parsedRules(readFileSync(readerFile(), 'utf8'));
    expect(reader.map(ruleIds)).toEqual(['1a2b:003c']);
    expect(grantProblems(reader[0]!, 'evidock')).toEqual([]);
    expect(readFileSync(readerFile(), 'utf8')).not.toContain('@');
  });

  it('rewrites only ExecStart in the unit', () => {
    mkdirSync(join(dest, 'opt/evidock/bin'), { recursive: true });
    writeFileSync(join(dest, 'opt/evidock/bin/evidock.mjs'), '#!/usr/bin/env node\n', {
      mode: 0o755,
    });
    const run = install('--destdir', dest, '--evidock', '/opt/evidock/bin/evidock.mjs');
    expect(run.status).toBe(0);
    const installed = readFileSync(unitFile(), 'utf8');
    expect(installed).toBe(
      unitText.replace(`ExecStart=${SHIPPED_EXEC} `, 'ExecStart=/opt/evidock/bin/evidock.mjs '),
    );
    expect(installed).not.toBe(unitText);
  });

  it('warns when the ffmpeg or ffprobe npm installed with evidock cannot be run by the service', () => {
    const packageDir = join(dest, 'opt/evidock');
    const binary = (name: string) =>
      join(packageDir, `node_modules/@${name}-installer/linux-x64/${name}`);
    mkdirSync(join(packageDir, 'bin'), { recursive: true });
    writeFileSync(join(packageDir, 'bin/evidock.mjs'), '#!/usr/bin/env node\n', { mode: 0o755 });
    for (const name of ['ffmpeg', 'ffprobe']) {
      mkdirSync(join(binary(name), '..'), { recursive: true });
      writeFileSync(binary(name), '');
    }
    // As @ffprobe-installer's postinstall leaves it when root installs: chmod u+x.
    chmodSync(binary('ffprobe'), 0o744);
    chmodSync(binary('ffmpeg'), 0o755);
    const run = install('--destdir', dest, '--evidock', '/opt/evidock/bin/evidock.mjs');
    expect(run.status).toBe(0);
    const warnings = run.stdout.split('\n').filter((line) => line.startsWith('Warning: '));
    expect(warnings).toEqual([
      'Warning: the service cannot run /opt/evidock/node_modules/@ffprobe-installer/linux-x64/ffprobe (others may not execute it).',
    ]);
    chmodSync(binary('ffprobe'), 0o755);
    expect(
      install('--destdir', dest, '--evidock', '/opt/evidock/bin/evidock.mjs').stdout,
    ).not.toContain('Warning: ');
  });

  it('run again, changes nothing; --no-card-reader removes the reader rule only', () => {
    expect(intoDest('--card-reader', '1a2b:003c').status).toBe(0);
    const before = written().map((p) => [p, statSync(join(dest, p)).mtimeMs]);
    const again = intoDest();
    expect(again.status).toBe(0);
    expect(again.stdout.match(/^unchanged: /gm)).toHaveLength(2);
    expect(again.stdout).not.toMatch(/^installed: /m);
    expect(written().map((p) => [p, statSync(join(dest, p)).mtimeMs])).toEqual(before);

    const removed = intoDest('--no-card-reader');
    expect(removed.status).toBe(0);
    expect(removed.stdout).toContain('removed: ');
    expect(existsSync(readerFile())).toBe(false);
    expect(existsSync(unitFile())).toBe(true);
  });

  it.each([
    ['a five-digit id', ['--card-reader', '0x12345:0x0001']],
    ['a non-hex id', ['--card-reader', 'zz:0001']],
    ['no colon', ['--card-reader', '12340001']],
    ['vendor 0', ['--card-reader', '0:0001']],
    ['a reader and no reader', ['--card-reader', '1a2b:003c', '--no-card-reader']],
    ['an unknown option', ['--enable']],
  ])('refuses %s and writes nothing', (_what, args) => {
    const run = intoDest(...args);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^install\.sh: /);
    expect(written()).toEqual(['usr/local/bin/evidock']);
  });

  it('refuses an evidock the service could not run, and writes nothing', () => {
    copyFileSync(tool('true') ?? '/bin/true', join(dest, 'usr/local/bin/desktop'));
    chmodSync(join(dest, 'usr/local/bin/desktop'), 0o755);
    mkdirSync(join(dest, 'home/li/bin'), { recursive: true });
    writeFileSync(join(dest, 'home/li/bin/evidock'), '#!/usr/bin/env node\n', { mode: 0o755 });
    writeFileSync(join(dest, 'usr/local/bin/plain'), '#!/usr/bin/env node\n', { mode: 0o644 });
    const refusals: Array<[string, RegExp]> = [
      ['/usr/local/bin/desktop', /not the command-line evidock/],
      ['/home/li/bin/evidock', /home folder/],
      ['/usr/local/bin/plain', /not an executable file/],
      ['/usr/local/bin/missing', /not an executable file/],
      ['usr/local/bin/evidock', /absolute path/],
      ['/usr/local/bin/ev idock', /only letters, digits/],
    ];
    for (const [path, why] of refusals) {
      const run = install('--destdir', dest, '--evidock', path);
      expect(run.status, path).toBe(1);
      expect(run.stderr, path).toMatch(why);
    }
    expect(install('--destdir', dest).stderr).toMatch(/needs --evidock/);
    expect(written().filter((p) => p.startsWith('etc/'))).toEqual([]);
  });

  it.skipIf(asRoot && setpriv === undefined)(
    `refuses to install on this machine unless run as root${asRoot && setpriv === undefined ? ' — skipped: root without setpriv (Debian: util-linux) cannot run it as another user' : ''}`,
    () => {
      // As root, run as nobody; nobody must be able to read the script: a copy anyone can read.
      const copy = join(root.path, 'linux');
      mkdirSync(copy);
      chmodSync(root.path, 0o755);
      chmodSync(copy, 0o755);
      for (const name of readdirSync(linuxDir))
        copyFileSync(join(linuxDir, name), join(copy, name));
      const run = unprivileged(posixShell, [
        join(copy, 'install.sh'),
        '--evidock',
        '/usr/local/bin/evidock',
      ]);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/run it as root/);
    },
  );

  it('--list-hid lists what is attached and changes nothing', () => {
    const run = install('--list-hid');
    expect(run.status).toBe(0);
    for (const line of run.stdout.trim().split('\n')) {
      expect(line).toMatch(
        /^(\/dev\/hidraw\d+ {2}0x[0-9a-f]{4}:0x[0-9a-f]{4} {2}.*|No USB HID device is attached\.)$/,
      );
    }
  });

  it('is plain POSIX sh', () => {
    const run = spawnSync(posixShell, ['-n', installScript], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(readFileSync(installScript, 'utf8').split('\n')[0]).toBe('#!/bin/sh');
    expect(statSync(installScript).mode & 0o111).not.toBe(0);
  });

  it.skipIf(tool('shellcheck') === undefined)(
    `shellcheck finds nothing${tool('shellcheck') === undefined ? ' — skipped: shellcheck is not installed (Debian: shellcheck)' : ''}`,
    () => {
      const run = spawnSync(tool('shellcheck')!, ['--shell=sh', installScript], {
        encoding: 'utf8',
      });
      expect(run.stdout).toBe('');
      expect(run.status).toBe(0);
    },
  );
});
