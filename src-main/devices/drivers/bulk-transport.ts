/**
 * A pair of bulk endpoints to a recorder. The real one is libusb (`openUsbBulkTransport`); tests
 * play a recorded script through the same interface.
 */
export interface BulkTransport {
  /** Sends all of `bytes` on the OUT endpoint. */
  write(bytes: Uint8Array): Promise<void>;
  /**
   * One transfer from the IN endpoint: what arrived (possibly less than `maxLength`). Rejects
   * with `TransportTimeoutError` when nothing arrived within `timeoutMs`.
   */
  read(maxLength: number, timeoutMs: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

export class TransportTimeoutError extends Error {
  constructor(message = 'the recorder did not answer in time') {
    super(message);
    this.name = 'TransportTimeoutError';
  }
}
