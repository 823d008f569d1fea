import { execFile, spawn, type ChildProcess } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Real USB, in a VM (TESTING.md): QEMU (TCG) boots a stock Debian kernel with a busybox
 * initramfs that mounts this machine's root read-only over 9p and runs the devices layer from
 * this checkout under the same Node binary. The test hot-plugs USB devices with the QEMU monitor
 * (`device_add usb-storage,…`, `usb-kbd`, `device_del`) and reads what the guest saw from its
 * console, one `EVD {json}` line per event (see dock-usb-vm-guest.ts).
 *
 * Opt-in and slow (~1 min): EVIDOCK_USB_VM=1, root, qemu-system-x86 and busybox-static, udev,
 * and a kernel: EVIDOCK_VM_KERNEL (a vmlinuz) and EVIDOCK_VM_MODULES (its lib/modules/<version>
 * with modules.dep), or an installed linux-image-amd64. A kernel package can be unpacked without
 * installing it: `apt-get download linux-image-<ver>-amd64 && dpkg-deb -x *.deb root &&
 * busybox depmod -b root <ver>`.
 */

const run = promisify(execFile);
const repo = join(import.meta.dirname, '../..');

export interface VmEvent {
  t: number;
  ev: string;
  data: unknown;
}

export interface UsbVm {
  readonly events: VmEvent[];
  /** Everything the guest console printed (for failure messages). */
  console(): string;
  hmp(command: string): Promise<void>;
  waitFor(
    predicate: (event: VmEvent) => boolean,
    what: string,
    timeoutMs?: number,
  ): Promise<VmEvent>;
  stop(): Promise<void>;
}

interface Kernel {
  vmlinuz: string;
  modules: string;
}

function findKernel(): Kernel | undefined {
  const vmlinuz = process.env['EVIDOCK_VM_KERNEL'];
  const modules = process.env['EVIDOCK_VM_MODULES'];
  if (vmlinuz && modules) return { vmlinuz, modules };
  if (!existsSync('/boot')) return undefined;
  for (const name of readdirSync('/boot').filter((n) => n.startsWith('vmlinuz-'))) {
    const version = name.slice('vmlinuz-'.length);
    const dir = `/lib/modules/${version}`;
    if (existsSync(join(dir, 'modules.dep'))) return { vmlinuz: join('/boot', name), modules: dir };
  }
  return undefined;
}

function onPath(tool: string): boolean {
  const dirs = (process.env['PATH'] ?? '').split(':').concat(['/usr/sbin', '/sbin']);
  return dirs.some((dir) => existsSync(join(dir, tool)));
}

/** Why the USB VM cannot run here, or undefined when it can. */
export function usbVmUnavailable(): string | undefined {
  if (process.env['EVIDOCK_USB_VM'] !== '1') return 'opt-in: set EVIDOCK_USB_VM=1 (slow, ~1 min)';
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return 'needs Linux and root';
  if (!onPath('qemu-system-x86_64')) return 'needs qemu-system-x86 (Debian)';
  if (!existsSync('/bin/busybox')) return 'needs busybox-static (Debian)';
  if (!existsSync('/lib/systemd/systemd-udevd')) return 'needs udev (Debian)';
  const kernel = findKernel();
  if (kernel === undefined) return 'needs a kernel: EVIDOCK_VM_KERNEL and EVIDOCK_VM_MODULES';
  if (!existsSync(kernel.vmlinuz) || !existsSync(join(kernel.modules, 'modules.dep'))) {
    return `kernel or modules.dep missing (${kernel.vmlinuz}, ${kernel.modules})`;
  }
  return undefined;
}

/** The modules (and everything they depend on) the initramfs needs to reach the 9p root. */
function moduleClosure(modulesDir: string, wanted: string[]): string[] {
  const deps = new Map<string, string[]>();
  for (const line of readFileSync(join(modulesDir, 'modules.dep'), 'utf8').split('\n')) {
    const [module, rest] = line.split(':');
    if (module) deps.set(module, (rest ?? '').trim().split(/\s+/).filter(Boolean));
  }
  const found = new Set<string>();
  const visit = (path: string) => {
    if (found.has(path)) return;
    found.add(path);
    for (const dep of deps.get(path) ?? []) visit(dep);
  };
  for (const name of wanted) {
    const path = [...deps.keys()].find((p) => basename(p).replace(/\.ko(\.\w+)?$/, '') === name);
    if (path === undefined) throw new Error(`module ${name} is not in ${modulesDir}`);
    visit(path);
  }
  return [...found];
}

const GUEST_MODULES = [
  'xhci_pci',
  'usb_storage',
  'sd_mod',
  'usbhid',
  'hid_generic',
  'vfat',
  'nls_cp437',
  'nls_ascii',
  'nls_utf8',
];

export async function startUsbVm(): Promise<UsbVm> {
  const kernel = findKernel()!;
  const version = basename(kernel.modules);
  const work = await mkdtemp(join(tmpdir(), 'evidock-usbvm-'));

  // The guest program, bundled; npm packages resolve from this checkout's node_modules.
  const app = join(work, 'app');
  mkdirSync(app);
  symlinkSync(join(repo, 'node_modules'), join(app, 'node_modules'));
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(repo, 'test/support/dock-usb-vm-guest.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: join(app, 'guest.mjs'),
    logLevel: 'warning',
  });

  const initrd = join(work, 'initrd');
  for (const dir of ['bin', 'proc', 'sys', 'dev', 'newroot', `lib/modules/${version}`]) {
    mkdirSync(join(initrd, dir), { recursive: true });
  }
  copyFileSync('/bin/busybox', join(initrd, 'bin/busybox'));
  for (const file of ['modules.dep', 'modules.alias', 'modules.symbols', 'modules.builtin']) {
    if (existsSync(join(kernel.modules, file))) {
      copyFileSync(join(kernel.modules, file), join(initrd, 'lib/modules', version, file));
    }
  }
  for (const module of moduleClosure(kernel.modules, ['virtio_pci', '9pnet_virtio', '9p'])) {
    mkdirSync(dirname(join(initrd, 'lib/modules', version, module)), { recursive: true });
    copyFileSync(join(kernel.modules, module), join(initrd, 'lib/modules', version, module));
  }
  writeFileSync(
    join(initrd, 'init'),
    `#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
for m in virtio_pci 9pnet_virtio 9p; do modprobe $m; done
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144 hostroot /newroot
mount --bind /newroot${kernel.modules} /lib/modules/${version}
for m in ${GUEST_MODULES.join(' ')}; do modprobe $m || echo "GUEST no module $m"; done
umount /lib/modules/${version}
mount -t tmpfs run /newroot/run; mount -t tmpfs media /newroot/media
mount --move /dev /newroot/dev; mount --move /proc /newroot/proc; mount --move /sys /newroot/sys
exec switch_root /newroot /bin/sh ${work}/guest.sh
`,
    { mode: 0o755 },
  );
  // udisks' part, by hand: mount each labelled USB disk under /media, unmount it when it goes.
  writeFileSync(
    join(work, 'guest.sh'),
    `#!/bin/sh
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
/lib/systemd/systemd-udevd --daemon >/dev/null 2>&1 && udevadm trigger && udevadm settle
( while true; do
    for d in /dev/sd[a-z]; do
      [ -b "$d" ] || continue
      grep -q "^$d " /proc/mounts && continue
      L=$(blkid -o value -s LABEL "$d"); [ -n "$L" ] || continue
      mkdir -p "/media/$L" && mount "$d" "/media/$L" && echo "GUEST mounted $d"
    done
    awk '$2 ~ /^\\/media\\// {print $1" "$2}' /proc/mounts | while read dev mp; do
      [ -b "$dev" ] || { umount -l "$mp"; rmdir "$mp"; }
    done
    sleep 0.2
  done ) &
cd ${app} && EVIDOCK_PROFILES=${join(repo, 'resources/recorders')} ${process.execPath} guest.mjs
echo "GUEST exited $?"
`,
    { mode: 0o755 },
  );
  await run('sh', [
    '-c',
    `cd '${initrd}' && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1 > ../initrd.gz`,
  ]);

  const monitor = join(work, 'monitor.sock');
  const qemu: ChildProcess = spawn(
    'qemu-system-x86_64',
    [
      ...['-m', '1536', '-smp', '2', '-nographic', '-no-reboot'],
      ...['-kernel', kernel.vmlinuz, '-initrd', join(work, 'initrd.gz')],
      ...['-append', 'console=ttyS0 panic=-1 loglevel=3'],
      ...['-fsdev', 'local,id=host,path=/,security_model=none,readonly=on'],
      ...['-device', 'virtio-9p-pci,fsdev=host,mount_tag=hostroot'],
      ...['-device', 'qemu-xhci,id=xhci'],
      ...['-monitor', `unix:${monitor},server,nowait`],
      ...['-serial', 'stdio'],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const events: VmEvent[] = [];
  let output = '';
  let pending = '';
  const onData = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    output += text;
    pending += text;
    const lines = pending.split(/\r?\n/);
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const at = line.indexOf('EVD {');
      if (at >= 0) events.push(JSON.parse(line.slice(at + 4)) as VmEvent);
    }
  };
  qemu.stdout!.on('data', onData);
  qemu.stderr!.on('data', onData);

  const vm: UsbVm = {
    events,
    console: () => output,
    hmp: (command) =>
      new Promise((resolve, reject) => {
        const socket = connect(monitor);
        socket.on('error', reject);
        socket.on('connect', () => {
          socket.write(`${command}\n`);
          setTimeout(() => {
            socket.end();
            resolve();
          }, 300);
        });
      }),
    waitFor: async (predicate, what, timeoutMs = 30_000) => {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const hit = events.find(predicate);
        if (hit) return hit;
        if (Date.now() > end || qemu.exitCode !== null) {
          throw new Error(`USB VM: no ${what} within ${timeoutMs} ms\n${output.slice(-4000)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    stop: async () => {
      if (qemu.exitCode === null) {
        const exited = new Promise((resolve) => qemu.once('exit', resolve));
        qemu.kill('SIGKILL');
        await exited;
      }
      await rm(work, { recursive: true, force: true });
    },
  };
  try {
    // TCG boots in 10–40 s on a shared machine.
    await vm.waitFor((e) => e.ev === 'started', 'guest start', 180_000);
  } catch (error) {
    await vm.stop();
    throw error;
  }
  return vm;
}

/** A FAT disk image with the given label and files, for `drive_add`. */
export async function fatImage(
  path: string,
  label: string,
  files: Record<string, string>,
): Promise<void> {
  await run('truncate', ['-s', '64M', path]);
  await run('mkfs.vfat', ['-n', label, path]);
  const env = { ...process.env, MTOOLS_SKIP_CHECK: '1' };
  const dirs = new Set<string>();
  for (const file of Object.keys(files)) {
    const parts = file.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i += 1) dirs.add(parts.slice(0, i).join('/'));
  }
  for (const dir of [...dirs].sort()) await run('mmd', ['-i', path, `::/${dir}`], { env });
  for (const [file, content] of Object.entries(files)) {
    const local = `${path}.${basename(file)}`;
    writeFileSync(local, content);
    await run('mcopy', ['-i', path, local, `::/${file}`], { env });
    await rm(local);
  }
}
