import { EventEmitter } from 'node:events';
import { KeyboardWedgeDecoder, type KeyboardWedgeOptions } from './hid-keyboard';
import { defaultDevicesLog, errorText, type DevicesLog } from './log';

/** The part of node-hid's HIDAsync the reader uses. */
export interface HidHandle {
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  removeAllListeners(): unknown;
  close(): Promise<void> | void;
}

export interface CardReaderOptions extends KeyboardWedgeOptions {
  /** From unit configuration: which reader the dock has. */
  vendorId: number;
  productId: number;
  /** While the reader is absent (or after it is unplugged), try again this often. */
  retryMs?: number;
  log?: DevicesLog;
  /** Opens the reader; node-hid by default. */
  open?: (vendorId: number, productId: number) => Promise<HidHandle>;
}

export interface CardReaderEvents {
  /** A card was presented: its number as the reader types it. */
  card: [cardNumber: string];
  /** The reader was found, or lost. */
  status: [connected: boolean];
}

/**
 * The dock's IC-card reader, for officer identification. The reader may be missing, unplugged
 * and plugged back: that is logged once and retried, never an error. On Linux the reader also
 * types into whatever window has focus, since hidraw does not take it from the input system;
 * the station must not rely on that text.
 */
export class CardReader extends EventEmitter<CardReaderEvents> {
  private readonly decoder: KeyboardWedgeDecoder;
  private readonly retryMs: number;
  private readonly log: DevicesLog;
  private readonly openHid: (vendorId: number, productId: number) => Promise<HidHandle>;
  private handle: HidHandle | undefined;
  private retry: NodeJS.Timeout | undefined;
  private running = false;
  private reportedAbsent = false;

  constructor(private readonly options: CardReaderOptions) {
    super();
    this.decoder = new KeyboardWedgeDecoder(options);
    this.retryMs = options.retryMs ?? 3000;
    this.log = options.log ?? defaultDevicesLog;
    this.openHid = options.open ?? openWithNodeHid;
  }

  get connected(): boolean {
    return this.handle !== undefined;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.retry !== undefined) clearTimeout(this.retry);
    this.retry = undefined;
    await this.drop();
  }

  private async connect(): Promise<void> {
    this.retry = undefined;
    if (!this.running || this.handle !== undefined) return;
    let handle: HidHandle;
    try {
      handle = await this.openHid(this.options.vendorId, this.options.productId);
    } catch (error) {
      if (!this.reportedAbsent) {
        this.reportedAbsent = true;
        this.log('info', 'card reader not found; will keep looking', {
          vendorId: this.options.vendorId,
          productId: this.options.productId,
          error: errorText(error),
        });
      }
      this.scheduleRetry();
      return;
    }
    if (!this.running) {
      // Stopped while it was opening: the device is let go, and nothing was read from it.
      await Promise.resolve(handle.close()).catch(() => undefined);
      return;
    }
    this.handle = handle;
    this.reportedAbsent = false;
    handle.on('data', (data) => {
      const card = this.decoder.push(data);
      if (card !== undefined) this.emit('card', card);
    });
    handle.on('error', (error) => {
      this.log('info', 'card reader lost', { error: errorText(error) });
      void this.drop().then(() => this.scheduleRetry());
    });
    this.log('info', 'card reader connected', {
      vendorId: this.options.vendorId,
      productId: this.options.productId,
    });
    this.emit('status', true);
  }

  private scheduleRetry(): void {
    if (!this.running || this.retry !== undefined) return;
    this.retry = setTimeout(() => void this.connect(), this.retryMs);
  }

  private async drop(): Promise<void> {
    const handle = this.handle;
    if (handle === undefined) return;
    this.handle = undefined;
    // Closing first, as node-hid's own close does: it marks the device closing so the read loop
    // stops quietly, and removing the data listener beforehand would restart nothing useful.
    await Promise.resolve(handle.close()).catch(() => undefined);
    handle.removeAllListeners();
    // A late error from the closed device must find a listener, or it would be thrown.
    handle.on('error', () => undefined);
    this.emit('status', false);
  }
}

async function openWithNodeHid(vendorId: number, productId: number): Promise<HidHandle> {
  const { HIDAsync } = await import('node-hid');
  return HIDAsync.open(vendorId, productId);
}
