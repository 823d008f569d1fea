import { AmbaSession, checkAmbaPassword, type AmbaSessionOptions } from './amba-protocol';
import type { BulkTransport } from './bulk-transport';
import type { RecorderDriver } from './driver';

export interface AmbaBulkOptions extends AmbaSessionOptions {
  /** Opens the recorder's bulk endpoints (libusb: `openUsbBulkTransport`). */
  openTransport: () => Promise<BulkTransport>;
  /** From unit configuration. There is no default, and a missing one fails at construction. */
  password: string | undefined;
  /** The recorder's wall-clock zone (IANA); the station's own zone when absent. */
  timeZone?: string;
}

/**
 * Ambarella-based recorders (USB 4255:0001) before they expose storage: `open` checks the
 * recorder answers the protocol, `deviceId` reads its serial, `setClock` sets its clock and
 * `prepareStorage` switches it to storage mode, after which it leaves the bus and comes back as
 * a volume. There is no clock-reading command in the protocol we know, so no `readClock`.
 */
export class AmbaBulkDriver implements RecorderDriver {
  readonly kind = 'amba-bulk' as const;
  private readonly password: string;
  private transport: BulkTransport | undefined;
  private session: AmbaSession | undefined;
  /** The firmware version `open` read. */
  version: string | undefined;

  constructor(private readonly options: AmbaBulkOptions) {
    this.password = checkAmbaPassword(options.password);
  }

  async open(): Promise<void> {
    if (this.session !== undefined) return;
    this.transport = await this.options.openTransport();
    this.session = new AmbaSession(this.transport, this.options);
    try {
      this.version = await this.session.version();
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  async deviceId(): Promise<string> {
    return this.opened().deviceId(this.password);
  }

  async setClock(date: Date): Promise<void> {
    await this.opened().setClock(date, this.options.timeZone);
  }

  async prepareStorage(): Promise<void> {
    await this.opened().storageMode(this.password);
  }

  async close(): Promise<void> {
    const transport = this.transport;
    this.transport = undefined;
    this.session = undefined;
    // After storage mode the device has re-enumerated; closing what is gone is not an error.
    await transport?.close().catch(() => undefined);
  }

  private opened(): AmbaSession {
    if (this.session === undefined) throw new Error('AmbaBulkDriver: open() first');
    return this.session;
  }
}
