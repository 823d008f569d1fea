// Runs inside the USB test VM (see dock-usb-vm.ts): the devices layer against real USB devices
// that QEMU hot-plugs. Everything it sees is printed as one `EVD {json}` line on the console.
import { writeFileSync } from 'node:fs';
import { HIDAsync } from 'node-hid';
import { usb } from 'usb';
import { CardReader } from '../../src-main/devices/card-reader';
import { DeviceWatcher } from '../../src-main/devices/device-watcher';
import { TransportTimeoutError } from '../../src-main/devices/drivers/bulk-transport';
import { openUsbBulkTransport } from '../../src-main/devices/drivers/usb-bulk-transport';
import { identifyRecorder } from '../../src-main/devices/identify';
import type { DevicesLog } from '../../src-main/devices/log';
import { matchProfile, matchUsbProfile } from '../../src-main/devices/match';
import { recorderProfileSchema } from '../../src-main/devices/profile';
import { loadProfiles } from '../../src-main/devices/profiles';
import { UsbMonitor } from '../../src-main/devices/usb-monitor';

const t0 = Date.now();
const print = (ev: string, data: unknown) =>
  console.log(`EVD ${JSON.stringify({ t: Date.now() - t0, ev, data })}`);
const log =
  (prefix: string): DevicesLog =>
  (level, message, details) =>
    print(`${prefix}log`, { level, message, details });

/** QEMU's usb-storage ids: a profile matching them shows USB ids beating marker files. */
const qemuRecorder = recorderProfileSchema.parse({
  id: 'qemu-usb-recorder',
  name: { 'zh-CN': '测试记录仪', en: 'Test recorder (QEMU USB)' },
  deviceKind: 'body-camera',
  driver: 'mass-storage',
  match: { usb: [{ vendorId: '0x46f4', productId: '0x0001' }] },
  mediaFolders: ['DCIM'],
  mediaKinds: { video: ['mp4'] },
  serialFrom: [{ source: 'usb-serial' }],
});
const profiles = [...loadProfiles(process.env['EVIDOCK_PROFILES']!), qemuRecorder];

const watcher = new DeviceWatcher({ mountRoots: ['/media'], pollIntervalMs: 1000, log: log('') });
watcher.on('usb-attached', (info) =>
  print('usb-attached', { ...info, profile: matchUsbProfile(info, profiles)?.id }),
);
watcher.on('usb-detached', (info) => print('usb-detached', info));
watcher.on('volume-detached', (volume) => print('volume-detached', volume));
watcher.on('volume-attached', (volume) => {
  print('volume-attached', volume);
  void (async () => {
    const match = await matchProfile(volume, profiles);
    print('match', match && { profile: match.profile.id, by: match.by });
    if (match) print('identify', await identifyRecorder(volume, match.profile));
  })();
});

// A device with serial BULK01 is driven over its bulk endpoints with the real transport.
watcher.on('usb-attached', (info) => {
  if (info.serial !== 'BULK01' || info.port === undefined) return;
  void bulkExchange(info.vendorId, info.productId, info.port).catch((error) =>
    print('bulk-error', String(error)),
  );
});

async function bulkExchange(vendorId: number, productId: number, port: string): Promise<void> {
  const target = { vendorId, productId, port };
  // QEMU's usb-storage: IN 0x81, OUT 0x02.
  const endpoints = { outEndpoint: 0x02, inEndpoint: 0x81 };
  try {
    await openUsbBulkTransport(target, endpoints);
    print('bulk-refusal', null);
  } catch (error) {
    print('bulk-refusal', String(error));
  }
  // Taken from usb-storage by hand, as a vendor-specific recorder interface would be free.
  writeFileSync('/sys/bus/usb/drivers/usb-storage/unbind', `${port}:1.0`);
  const transport = await openUsbBulkTransport(target, endpoints);
  // Bulk-only transport: a TEST UNIT READY command block wrapper, answered by a 13-byte status.
  const cbw = Buffer.alloc(31);
  cbw.write('USBC', 0, 'latin1');
  cbw.writeUInt32LE(0x45564431, 4);
  await transport.write(cbw);
  const csw = Buffer.from(await transport.read(64, 1000));
  print('bulk-csw', {
    signature: csw.subarray(0, 4).toString('latin1'),
    tag: csw.readUInt32LE(4),
    length: csw.length,
  });
  try {
    await transport.read(64, 300);
    print('bulk-second-read', 'data');
  } catch (error) {
    print('bulk-second-read', {
      timeout: error instanceof TransportTimeoutError,
      error: String(error),
    });
  }
  await transport.close();
  await transport.close();
  print('bulk-closed', true);
}

// The string-descriptor path macOS and Windows take (Linux reads sysfs): forced here.
const viaLibusb = await UsbMonitor.start((change, info) => print(`libusb-${change}`, info), {
  platform: 'darwin',
  log: log('libusb-'),
});

// QEMU's usb-kbd stands in for a keyboard-wedge card reader.
const reader = new CardReader({
  vendorId: 0x0627,
  productId: 0x0001,
  retryMs: 500,
  log: log('card-'),
  open: async (vendorId, productId) => {
    const handle = await HIDAsync.open(vendorId, productId);
    // node-hid starts one read loop per 'data' listener: tap emit rather than listen twice.
    const emit = handle.emit.bind(handle);
    handle.emit = ((event: string, ...args: unknown[]) => {
      if (event === 'data') print('hid-report', (args[0] as Buffer).toString('hex'));
      return emit(event, ...args);
    }) as typeof handle.emit;
    return handle;
  },
});
reader.on('card', (card) => print('card', card));
reader.on('status', (connected) => print('card-status', connected));

await watcher.start();
reader.start();
print('started', {
  volumes: watcher.volumes(),
  libusb: viaLibusb !== undefined,
  devices: usb.getDeviceList().length,
});
