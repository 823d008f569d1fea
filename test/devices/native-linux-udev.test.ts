// The udev rules as udev itself applies them. `udevadm test` runs the rules install.sh writes
// against USB devices made up for the purpose: a recorder, a look-alike with another product id,
// the dock's card reader and a keyboard. It runs in a mount namespace of its own, with tmpfs over
// /sys (the made-up devices), /dev (their nodes), /run and every rules folder, and a copy of
// /etc/group that has the service's group, so nothing on this machine changes. Root only.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp';

const installScript = join(import.meta.dirname, '../../native/linux/install.sh');

function tool(name: string): string | undefined {
  return ['/usr/sbin', '/usr/bin', '/sbin', '/bin']
    .map((dir) => join(dir, name))
    .find((path) => existsSync(path));
}

function unavailable(): string | undefined {
  if (process.platform !== 'linux') return 'needs Linux';
  if (process.getuid?.() !== 0) return 'needs root (a mount namespace with tmpfs over /sys)';
  const missing = ['udevadm', 'unshare', 'mount', 'mknod'].filter((t) => tool(t) === undefined);
  if (missing.length > 0)
    return `needs ${missing.join(', ')} (Debian: udev, util-linux, coreutils)`;
  return undefined;
}

const why = unavailable();

/** A group id this machine does not use, so the result cannot come from anything but the copy. */
function freeGid(): number {
  const used = new Set(
    readFileSync('/etc/group', 'utf8')
      .split('\n')
      .map((line) => Number(line.split(':')[2])),
  );
  let gid = 64_242;
  while (used.has(gid)) gid += 1;
  return gid;
}

// Runs inside `unshare --mount --propagation private`: every mount below stays in it. Nothing
// writes outside a tmpfs mounted here; the checks after each mount stop the script before udevadm
// if one did not happen.
const NAMESPACE_SCRIPT = String.raw`
set -eu
rules=$1 gid=$2 work=$3
mount -t tmpfs evidock-sys /sys
[ -z "$(ls -A /sys)" ] || { echo "NOT-ISOLATED /sys"; exit 90; }
mount -t tmpfs evidock-dev /dev
mount -t tmpfs evidock-run /run
[ -z "$(ls -A /run)" ] || { echo "NOT-ISOLATED /run"; exit 90; }
for dir in /etc/udev/rules.d /usr/lib/udev/rules.d /lib/udev/rules.d /usr/local/lib/udev/rules.d; do
  if [ -d "$dir" ]; then mount -t tmpfs evidock-rules "$dir"; fi
done
mkdir -p /run/udev/rules.d
cp "$rules"/*.rules /run/udev/rules.d/
grep -v '^evidock:' /etc/group > "$work/group" || true
echo "evidock:x:$gid:" >> "$work/group"
mount --bind "$work/group" /etc/group

mknod -m 0666 /dev/null c 1 3
mkdir -p /sys/bus/usb /sys/bus/hid /sys/class/hidraw
hub=/sys/devices/pci0000:00/0000:00:14.0/usb1
mkdir -p "$hub"
: > /sys/devices/pci0000:00/uevent
: > /sys/devices/pci0000:00/0000:00:14.0/uevent
: > "$hub/uevent"

# usb_device NAME VENDOR PRODUCT MINOR: a USB device and its node /dev/bus/usb/001/MINOR+1
usb_device() {
  dir=$hub/$1
  mkdir -p "$dir"
  ln -s /sys/bus/usb "$dir/subsystem"
  node=$(printf 'bus/usb/001/%03d' $(($4 + 1)))
  printf 'MAJOR=189\nMINOR=%s\nDEVNAME=%s\nDEVTYPE=usb_device\n' "$4" "$node" > "$dir/uevent"
  echo "$2" > "$dir/idVendor"
  echo "$3" > "$dir/idProduct"
  mkdir -p /dev/bus/usb/001
  mknod -m 0600 "/dev/$node" c 189 "$4"
}

# hid_device NAME VENDOR PRODUCT MINOR: a USB HID device with one interface and /dev/hidrawMINOR
hid_device() {
  usb_device "$1" "$2" "$3" "$(($4 + 10))"
  iface=$hub/$1/$1:1.0
  mkdir -p "$iface"
  ln -s /sys/bus/usb "$iface/subsystem"
  printf 'DEVTYPE=usb_interface\n' > "$iface/uevent"
  hid=$iface/0003:$2:$3.000$(($4 + 1))
  mkdir -p "$hid/hidraw/hidraw$4"
  ln -s /sys/bus/hid "$hid/subsystem"
  printf 'HID_ID=0003:0000%s:0000%s\n' "$2" "$3" > "$hid/uevent"
  ln -s /sys/class/hidraw "$hid/hidraw/hidraw$4/subsystem"
  printf 'MAJOR=240\nMINOR=%s\nDEVNAME=hidraw%s\n' "$4" "$4" > "$hid/hidraw/hidraw$4/uevent"
  mknod -m 0600 "/dev/hidraw$4" c 240 "$4"
}

usb_device 1-1 4255 0001 1
usb_device 1-2 4255 0002 2
hid_device 1-3 1a2b 003c 0
hid_device 1-4 046d c52b 1

# The made-up devices are on a tmpfs, not sysfs: udev checks that unless told not to.
export SYSTEMD_DEVICE_VERIFY_SYSFS=0
for dev in 1-1 1-2 1-3/1-3:1.0/0003:1a2b:003c.0001/hidraw/hidraw0 \
    1-4/1-4:1.0/0003:046d:c52b.0002/hidraw/hidraw1; do
  udevadm test --action=add "$hub/$dev" > "$work/udevadm.out" 2>&1 ||
    { echo "UDEVADM-FAILED $dev"; cat "$work/udevadm.out"; exit 91; }
  # udev's own word on the rules files: anything it says about a line, outside applying it.
  grep '^/run/udev/rules.d/' "$work/udevadm.out" | sed 's/^/DIAGNOSTIC /' || true
done
for node in /dev/bus/usb/001/002 /dev/bus/usb/001/003 /dev/hidraw0 /dev/hidraw1; do
  echo "NODE $node $(stat -c '%u %g %a' "$node")"
done
`;

describe.skipIf(why !== undefined)(
  `udev applies the installed rules${why ? ` — skipped: ${why}` : ''}`,
  () => {
    let dir: { path: string; remove: () => void };
    let gid: number;
    let output: string;
    let nodes: Map<string, { uid: number; gid: number; mode: string }>;

    beforeAll(() => {
      dir = tempDir('evidock-udev-');
      const dest = join(dir.path, 'dest');
      mkdirSync(join(dest, 'usr/local/bin'), { recursive: true });
      writeFileSync(join(dest, 'usr/local/bin/evidock'), '#!/usr/bin/env node\n', {
        mode: 0o755,
      });
      const install = spawnSync(
        'sh',
        [
          installScript,
          ...['--destdir', dest, '--evidock', '/usr/local/bin/evidock'],
          ...['--card-reader', '0x1A2B:0x003C'],
        ],
        { encoding: 'utf8' },
      );
      expect(install.stderr).toBe('');
      gid = freeGid();
      const run = spawnSync(
        tool('unshare')!,
        [
          '--mount',
          '--propagation',
          'private',
          'sh',
          '-c',
          NAMESPACE_SCRIPT,
          'namespace',
          join(dest, 'etc/udev/rules.d'),
          String(gid),
          dir.path,
        ],
        { encoding: 'utf8', timeout: 60_000 },
      );
      output = `${run.stdout}${run.stderr}`;
      expect(run.status, output).toBe(0);
      nodes = new Map(
        output
          .split('\n')
          .filter((line) => line.startsWith('NODE '))
          .map((line) => {
            const [, node = '', uid = '', group = '', mode = ''] = line.split(' ');
            return [node, { uid: Number(uid), gid: Number(group), mode }];
          }),
      );
    });

    afterAll(() => dir?.remove());

    it('udev reads both rules files without a word about any line', () => {
      const diagnostics = output.split('\n').filter((line) => line.startsWith('DIAGNOSTIC '));
      expect([...new Set(diagnostics)]).toEqual([]);
    });

    it('the recorder (4255:0001) is the group’s, read and write; its look-alike 4255:0002 is not', () => {
      expect(nodes.get('/dev/bus/usb/001/002')).toEqual({ uid: 0, gid, mode: '660' });
      expect(nodes.get('/dev/bus/usb/001/003')).toEqual({ uid: 0, gid: 0, mode: '600' });
    });

    it('the card reader’s hidraw node is the group’s; a keyboard’s stays root’s', () => {
      expect(nodes.get('/dev/hidraw0')).toEqual({ uid: 0, gid, mode: '660' });
      expect(nodes.get('/dev/hidraw1')).toEqual({ uid: 0, gid: 0, mode: '600' });
    });
  },
);
