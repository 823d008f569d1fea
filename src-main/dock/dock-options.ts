import type { Catalogue } from '../catalogue/catalogue';
import type { IdentifiedBy, PublishEvent } from '../contract';
import type { AuditLog } from '../custody/audit-log';
import type {
  DeviceWatcherEvents,
  DeviceWatcherOptions,
  DevicesLog,
  DockedVolume,
  DriverContext,
  RecorderProfile,
} from '../devices';
import type { IngestEngine } from '../ingest';

/** What the dock is made of, and the orders it takes. */
export interface DockServiceOptions {
  catalogue: Catalogue;
  audit: AuditLog;
  /** Tells the screens what is plugged in and how each docking goes. */
  publish: PublishEvent;
  engine: IngestEngine;
  profiles: readonly RecorderProfile[];
  now: () => Date;
  /**
   * Where docked devices are reported: a DeviceWatcher made with these options, or one given
   * (anything that reports like it); `false` ingests only what it is told (the CLI).
   */
  watcher: DeviceWatcherOptions | DeviceSource | false;
  log: DevicesLog;
  /** The unit's zone (IANA) for recorder clocks; the station's own when absent. */
  timeZone?: string;
  /** Replaces libusb for amba-bulk recorders (a scripted recorder in tests). */
  openTransport?: DriverContext['openTransport'];
}

/** What reports docked devices: the DeviceWatcher's events, start and stop. */
export interface DeviceSource {
  on<K extends keyof DeviceWatcherEvents>(
    event: K,
    listener: (...args: DeviceWatcherEvents[K]) => void,
  ): unknown;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface IngestOrder {
  mountpoint: string;
  /** The serial when the volume does not carry one (CLI `--recorder`, a custodian's entry). */
  serial?: string | null;
  actor?: string;
  officerBadge?: string | null;
  identifiedBy?: IdentifiedBy | null;
  volume?: DockedVolume;
}
