import type { Device, InEndpoint, Interface, OutEndpoint } from 'usb';
import { TransportTimeoutError, type BulkTransport } from './bulk-transport';

export interface UsbBulkTarget {
  vendorId: number;
  productId: number;
  /** `bus-port.port` as UsbInfo gives it; picks one recorder when several are plugged in. */
  port?: string;
}

export interface UsbBulkOptions {
  outEndpoint?: number;
  inEndpoint?: number;
  /** Time allowed for one OUT transfer. */
  writeTimeoutMs?: number;
}

/** USB class of vendor-specific interfaces: the only kind we take from a kernel driver. */
const VENDOR_SPECIFIC_CLASS = 0xff;

/**
 * The recorder's bulk endpoints (OUT 0x01, IN 0x81 by default) through libusb. Claims the
 * interface that has both. A kernel driver is detached only from a vendor-specific interface:
 * taking a mass-storage interface from the kernel would pull a mounted volume from under the
 * station.
 */
export async function openUsbBulkTransport(
  target: UsbBulkTarget,
  options: UsbBulkOptions = {},
): Promise<BulkTransport> {
  const outAddress = options.outEndpoint ?? 0x01;
  const inAddress = options.inEndpoint ?? 0x81;
  const { usb } = await import('usb');
  const device = usb
    .getDeviceList()
    .find(
      (d) =>
        d.deviceDescriptor.idVendor === target.vendorId &&
        d.deviceDescriptor.idProduct === target.productId &&
        (target.port === undefined || portOf(d) === target.port),
    );
  if (device === undefined) {
    throw new Error(
      `no USB device ${hex(target.vendorId)}:${hex(target.productId)}${target.port ? ` on port ${target.port}` : ''}`,
    );
  }
  device.open();
  let claimed: Interface | undefined;
  try {
    const found = (device.interfaces ?? []).find(
      (i) => i.endpoint(outAddress) !== undefined && i.endpoint(inAddress) !== undefined,
    );
    if (found === undefined) {
      throw new Error(
        `the device has no interface with endpoints ${hex(outAddress)}/${hex(inAddress)}`,
      );
    }
    if (process.platform === 'linux' && found.isKernelDriverActive()) {
      if (found.descriptor.bInterfaceClass !== VENDOR_SPECIFIC_CLASS) {
        throw new Error('the bulk interface is held by a kernel driver that is not ours to detach');
      }
      found.detachKernelDriver();
    }
    found.claim();
    claimed = found;
    const out = found.endpoint(outAddress) as OutEndpoint;
    const input = found.endpoint(inAddress) as InEndpoint;
    // Transfers fail with LIBUSB_TRANSFER_TIMED_OUT, synchronous calls with LIBUSB_ERROR_TIMEOUT.
    const timeouts = new Set([usb.LIBUSB_TRANSFER_TIMED_OUT, usb.LIBUSB_ERROR_TIMEOUT]);
    const isTimeout = (error: unknown) =>
      timeouts.has((error as { errno?: number } | null)?.errno ?? Number.NaN);
    return new UsbBulkTransport(device, found, out, input, {
      writeTimeoutMs: options.writeTimeoutMs ?? 2000,
      isTimeout,
    });
  } catch (error) {
    if (claimed === undefined) {
      try {
        device.close();
      } catch {
        // Closing a device that failed to open fully: nothing more to undo.
      }
    }
    throw error;
  }
}

class UsbBulkTransport implements BulkTransport {
  private closed = false;

  constructor(
    private readonly device: Device,
    private readonly iface: Interface,
    private readonly out: OutEndpoint,
    private readonly input: InEndpoint,
    private readonly settings: { writeTimeoutMs: number; isTimeout: (error: unknown) => boolean },
  ) {}

  async write(bytes: Uint8Array): Promise<void> {
    this.out.timeout = this.settings.writeTimeoutMs;
    try {
      await this.out.transferAsync(Buffer.from(bytes));
    } catch (error) {
      throw this.settings.isTimeout(error)
        ? new TransportTimeoutError('the recorder did not take the command')
        : error;
    }
  }

  async read(maxLength: number, timeoutMs: number): Promise<Uint8Array> {
    // A transfer shorter than the packet size can overflow; round up to whole packets.
    const packet = this.input.descriptor.wMaxPacketSize || 64;
    const length = Math.max(packet, Math.ceil(maxLength / packet) * packet);
    this.input.timeout = Math.max(1, Math.round(timeoutMs));
    try {
      return (await this.input.transferAsync(length)) ?? new Uint8Array(0);
    } catch (error) {
      if (this.settings.isTimeout(error)) throw new TransportTimeoutError();
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.iface.releaseAsync();
    } catch {
      // Released already, or the device left the bus (storage mode): the handle still closes.
    }
    try {
      this.device.close();
    } catch {
      // Gone from the bus.
    }
  }
}

function portOf(device: Device): string {
  return `${device.busNumber}-${device.portNumbers.join('.')}`;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(4, '0')}`;
}
