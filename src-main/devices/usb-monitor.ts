import type { Device, usb as usbBindings } from 'usb';
import { join } from 'node:path';
import { usbInfoFromSysfs } from './linux-block';
import { errorText, type DevicesLog } from './log';
import { cleanDeviceText, type UsbInfo } from './volume';

export type UsbChange = 'attach' | 'detach';

type UsbBindings = typeof usbBindings;

/** USB class code of hubs: they are never recorders and their strings are never needed. */
const HUB_CLASS = 0x09;
/** Each string-descriptor read waits at most this long: a wedged device must not stall docking. */
const STRING_TIMEOUT_MS = 1000;

/**
 * USB hot-plug through the `usb` package (libusb). It only tells the watcher that something was
 * plugged or unplugged, and what: VID/PID, port, and the serial, manufacturer and product
 * strings. Where libusb cannot start (no USB bus, no permission, no native build) `start`
 * answers `undefined` after logging, and detection carries on with drivelist and the mount roots.
 */
export class UsbMonitor {
  private readonly known = new Map<Device, UsbInfo>();
  private readonly onAttach = (device: Device) => void this.attached(device);
  private readonly onDetach = (device: Device) => this.detached(device);
  private stopped = false;

  private constructor(
    private readonly usb: UsbBindings,
    private readonly onChange: (change: UsbChange, info: UsbInfo) => void,
    private readonly log: DevicesLog,
    private readonly sysRoot: string | undefined,
  ) {}

  static async start(
    onChange: (change: UsbChange, info: UsbInfo) => void,
    options: { log: DevicesLog; platform?: NodeJS.Platform; sysRoot?: string },
  ): Promise<UsbMonitor | undefined> {
    let usb: UsbBindings;
    try {
      usb = (await import('usb')).usb;
      if (usb.INIT_ERROR) throw new Error('libusb failed to initialise');
    } catch (error) {
      options.log('warn', 'USB hot-plug is off: the usb module could not start', {
        error: errorText(error),
      });
      return undefined;
    }
    const platform = options.platform ?? process.platform;
    const monitor = new UsbMonitor(
      usb,
      onChange,
      options.log,
      platform === 'linux' ? (options.sysRoot ?? '/sys') : undefined,
    );
    try {
      for (const device of usb.getDeviceList()) await monitor.describe(device);
      usb.on('attach', monitor.onAttach);
      usb.on('detach', monitor.onDetach);
    } catch (error) {
      monitor.stop();
      options.log('warn', 'USB hot-plug is off: listening for USB events failed', {
        error: errorText(error),
      });
      return undefined;
    }
    return monitor;
  }

  /** The USB devices attached now (hubs left out). */
  list(): UsbInfo[] {
    return [...this.known.values()];
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    // Removing the last attach/detach listener is what turns libusb's hot-plug thread off.
    this.usb.off('attach', this.onAttach);
    this.usb.off('detach', this.onDetach);
    this.known.clear();
  }

  private async attached(device: Device): Promise<void> {
    try {
      const info = await this.describe(device);
      if (info !== undefined && !this.stopped) this.onChange('attach', info);
    } catch (error) {
      this.log('warn', 'a USB device was attached but could not be described', {
        error: errorText(error),
      });
    }
  }

  private detached(device: Device): void {
    const info = this.known.get(device) ?? idsOf(device);
    this.known.delete(device);
    if (info !== undefined && !this.stopped) this.onChange('detach', info);
  }

  private async describe(device: Device): Promise<UsbInfo | undefined> {
    const info = idsOf(device);
    if (info === undefined) return undefined;
    const { serial, manufacturer, product } = await this.strings(device, info);
    if (serial !== undefined) info.serial = serial;
    if (manufacturer !== undefined) info.manufacturer = manufacturer;
    if (product !== undefined) info.product = product;
    this.known.set(device, info);
    return info;
  }

  /**
   * On Linux sysfs has the strings already and reading them opens nothing. Elsewhere the
   * device is opened just long enough to read its three string descriptors; each read may
   * fail on its own (no permission, no WinUSB driver, a device that never answers) and leaves
   * that string out.
   */
  private async strings(device: Device, info: UsbInfo): Promise<Partial<UsbInfo>> {
    if (this.sysRoot !== undefined && info.port !== undefined) {
      const fromSysfs = await usbInfoFromSysfs(
        join(this.sysRoot, 'bus', 'usb', 'devices', info.port),
      );
      if (fromSysfs !== undefined) {
        const { serial, manufacturer, product } = fromSysfs;
        return { serial, manufacturer, product };
      }
    }
    const d = device.deviceDescriptor;
    if (d.iSerialNumber === 0 && d.iManufacturer === 0 && d.iProduct === 0) return {};
    try {
      device.open();
    } catch (error) {
      this.log('debug', 'USB strings not read: the device could not be opened', {
        vendorId: info.vendorId,
        productId: info.productId,
        error: errorText(error),
      });
      return {};
    }
    try {
      device.timeout = STRING_TIMEOUT_MS;
      const serial = await readString(device, d.iSerialNumber);
      const manufacturer = await readString(device, d.iManufacturer);
      const product = await readString(device, d.iProduct);
      return { serial, manufacturer, product };
    } finally {
      try {
        device.close();
      } catch {
        // Already gone (unplugged mid-read): nothing is left to close.
      }
    }
  }
}

function idsOf(device: Device): UsbInfo | undefined {
  const d = device.deviceDescriptor;
  // Root hubs have no port chain and no use here.
  if (d.bDeviceClass === HUB_CLASS || device.portNumbers.length === 0) return undefined;
  return {
    vendorId: d.idVendor,
    productId: d.idProduct,
    port: `${device.busNumber}-${device.portNumbers.join('.')}`,
  };
}

/** Index 0 means "no string"; errors and empty strings both leave the field out. */
function readString(device: Device, index: number): Promise<string | undefined> {
  if (index === 0) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    try {
      device.getStringDescriptor(index, (error, value) =>
        resolve(error ? undefined : cleanDeviceText(value)),
      );
    } catch {
      // A string descriptor the device will not give: shown without it.
      resolve(undefined);
    }
  });
}
