import type { RecorderProfile } from '../profile';
import type { UsbInfo } from '../volume';
import { AmbaBulkDriver } from './amba-bulk';
import type { BulkTransport } from './bulk-transport';
import type { RecorderDriver } from './driver';
import { MassStorageDriver } from './mass-storage';
import { openUsbBulkTransport, type UsbBulkTarget } from './usb-bulk-transport';

export interface DriverContext {
  /** The recorder's volume (mass-storage). */
  mountpoint?: string;
  /** The recorder's USB device (amba-bulk, before storage mode). */
  usb?: UsbInfo;
  /** Unit configuration; required for amba-bulk, never defaulted. */
  ambaPassword?: string;
  /** The unit's zone (IANA) for setting recorder clocks; the station's own when absent. */
  timeZone?: string;
  /** Replaces libusb (tests, or a transport the station already holds). */
  openTransport?: (target: UsbBulkTarget) => Promise<BulkTransport>;
}

/** The driver a profile names, for one docked recorder. */
export function createDriver(profile: RecorderProfile, context: DriverContext): RecorderDriver {
  const zone = context.timeZone === undefined ? {} : { timeZone: context.timeZone };
  switch (profile.driver) {
    case 'mass-storage': {
      if (context.mountpoint === undefined) {
        throw new Error(`profile ${profile.id}: a mass-storage recorder needs its mountpoint`);
      }
      return new MassStorageDriver(context.mountpoint, profile, zone);
    }
    case 'amba-bulk': {
      const usb = context.usb;
      if (usb === undefined) {
        throw new Error(`profile ${profile.id}: an amba-bulk recorder needs its USB device`);
      }
      const target: UsbBulkTarget = { vendorId: usb.vendorId, productId: usb.productId };
      if (usb.port !== undefined) target.port = usb.port;
      const open = context.openTransport ?? openUsbBulkTransport;
      return new AmbaBulkDriver({
        ...zone,
        password: context.ambaPassword,
        openTransport: () => open(target),
      });
    }
  }
}
