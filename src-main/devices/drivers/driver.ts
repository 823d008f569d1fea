import type { RecorderProfile } from '../profile';

/**
 * What the station can ask of a docked recorder beyond its files. Every step but open/close is
 * optional: a plain mass-storage recorder has no id to give and no clock to read, and the
 * station then falls back (serial from the profile's other sources, clock offset estimated).
 */
export interface RecorderDriver {
  readonly kind: RecorderProfile['driver'];
  open(): Promise<void>;
  /** The recorder's own serial / device id. */
  deviceId?(): Promise<string>;
  /** The recorder's clock, read as a wall-clock time in the unit's zone. */
  readClock?(): Promise<Date>;
  setClock?(date: Date): Promise<void>;
  /** Makes the recorder expose its storage (it may re-enumerate as a volume afterwards). */
  prepareStorage?(): Promise<void>;
  close(): Promise<void>;
}
