// Real USB hot-plug, in a VM (opt-in, see dock-usb-vm.ts): a USB disk docked and pulled, matched
// by its USB ids and identified by its USB serial; a USB keyboard standing in for the dock's card
// reader; the bulk transport over real endpoints.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp';
import {
  fatImage,
  startUsbVm,
  usbVmUnavailable,
  type UsbVm,
  type VmEvent,
} from '../support/dock-usb-vm';

const unavailable = usbVmUnavailable();
const QEMU_STORAGE = { vendorId: 0x46f4, productId: 0x0001 };

describe.skipIf(unavailable !== undefined)(
  `USB hot-plug in a VM${unavailable ? ` — skipped: ${unavailable}` : ''}`,
  () => {
    let vm: UsbVm;
    let images: { path: string; remove: () => void } | undefined;
    const is =
      (ev: string, test: (data: Record<string, unknown>) => boolean = () => true) =>
      (e: VmEvent) =>
        e.ev === ev && test(e.data as Record<string, unknown>);

    beforeAll(async () => {
      images = tempDir('evidock-usbvm-images-');
      await fatImage(join(images!.path, 'camera.img'), 'CAMUSB', {
        'DCIM/100MEDIA/VID_0001.MP4': 'clip',
      });
      // No file system: nothing in the guest mounts it, the bulk test has it to itself.
      writeFileSync(join(images!.path, 'blank.img'), Buffer.alloc(8 << 20));
      vm = await startUsbVm();
    }, 240_000);

    afterAll(async () => {
      await vm?.stop();
      images?.remove();
    });

    it('a USB recorder: usb-attached with its strings, volume-attached with isUSB and its USB device, matched by USB ids, serial from USB; pulled: both detached', async () => {
      await vm.hmp(
        `drive_add 0 if=none,id=cam,file=${join(images!.path, 'camera.img')},format=raw`,
      );
      await vm.hmp('device_add usb-storage,bus=xhci.0,drive=cam,id=camdev,serial=EVD0042USB');

      const usb = await vm.waitFor(
        is('usb-attached', (d) => d.serial === 'EVD0042USB'),
        'usb-attached',
      );
      expect(usb.data).toMatchObject({
        ...QEMU_STORAGE,
        serial: 'EVD0042USB',
        manufacturer: 'QEMU',
        product: 'QEMU USB HARDDRIVE',
        profile: 'qemu-usb-recorder',
      });
      const port = (usb.data as { port: string }).port;
      // The same strings through libusb's string descriptors (the macOS / Windows path).
      expect(
        (
          await vm.waitFor(
            is('libusb-attach', (d) => d.port === port),
            'libusb-attach',
          )
        ).data,
      ).toEqual({
        ...QEMU_STORAGE,
        port,
        serial: 'EVD0042USB',
        manufacturer: 'QEMU',
        product: 'QEMU USB HARDDRIVE',
      });

      const volume = await vm.waitFor(
        is('volume-attached', (d) => d.label === 'CAMUSB'),
        'volume-attached',
      );
      expect(volume.data).toMatchObject({
        mountpoint: '/media/CAMUSB',
        isUSB: true,
        usb: { ...QEMU_STORAGE, serial: 'EVD0042USB', port },
      });
      expect((await vm.waitFor(is('match'), 'match')).data).toEqual({
        profile: 'qemu-usb-recorder',
        by: 'usb',
      });
      expect((await vm.waitFor(is('identify'), 'identify')).data).toMatchObject({
        serial: 'EVD0042USB',
        source: 'usb-serial',
      });

      await vm.hmp('device_del camdev');
      await vm.waitFor(
        is('usb-detached', (d) => d.port === port),
        'usb-detached',
      );
      await vm.waitFor(
        is('volume-detached', (d) => d.label === 'CAMUSB'),
        'volume-detached',
      );
    });

    it('a USB keyboard as the card reader: found when plugged, the card typed at it decoded, lost when pulled', async () => {
      await vm.hmp('device_add usb-kbd,bus=xhci.0,id=kbd');
      await vm.waitFor(
        is('card-status', (d) => (d as unknown) === true),
        'card reader connected',
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      for (const key of ['0', '0', '1', '2', '3', '4', '5', '6', '7', '8', 'ret']) {
        await vm.hmp(`sendkey ${key}`);
      }
      expect((await vm.waitFor(is('card'), 'card')).data).toBe('0012345678');
      const reports = vm.events.filter((e) => e.ev === 'hid-report').map((e) => e.data);
      expect(reports.slice(0, 4)).toEqual([
        '0000270000000000',
        '0000000000000000',
        '0000270000000000',
        '0000000000000000',
      ]);
      await vm.hmp('device_del kbd');
      await vm.waitFor(
        is('card-status', (d) => (d as unknown) === false),
        'card reader lost',
      );
    });

    it('the bulk transport over real endpoints: refuses a kernel-held mass-storage interface, then writes and reads', async () => {
      await vm.hmp(
        `drive_add 0 if=none,id=blank,file=${join(images!.path, 'blank.img')},format=raw`,
      );
      await vm.hmp('device_add usb-storage,bus=xhci.0,drive=blank,id=bulkdev,serial=BULK01');
      const refusal = await vm.waitFor(is('bulk-refusal'), 'bulk refusal');
      expect(refusal.data).toMatch(/held by a kernel driver that is not ours to detach/);
      expect((await vm.waitFor(is('bulk-csw'), 'bulk CSW')).data).toEqual({
        signature: 'USBS',
        tag: 0x45564431,
        length: 13,
      });
      // Nothing more to read: QEMU's disk stalls the endpoint (a recorder would time out).
      expect((await vm.waitFor(is('bulk-second-read'), 'second read')).data).toMatchObject({
        timeout: false,
        error: expect.stringMatching(/STALL/),
      });
      await vm.waitFor(is('bulk-closed'), 'bulk closed');
      expect(vm.events.filter((e) => e.ev === 'bulk-error')).toEqual([]);
    });
  },
);
