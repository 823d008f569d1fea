import type { DeviceWatcherOptions, DevicesLog, DriverContext } from '../../devices';
import type { CardReaderOptions } from '../../devices';
import { defaultDevicesLog } from '../../devices';
import { IngestEngine, type IngestEngineOptions } from '../../ingest';
import type { DockRuntime, StationServices } from '../services';
import { DockService, type DeviceSource } from './dock-service';
import { OfficerAtDock } from './officer-at-dock';

export interface DockStartOptions {
  /** Watch for docked recorders (the station); `false` ingests only what it is told (CLI). */
  watcher: DeviceWatcherOptions | DeviceSource | false;
  /** Engine settings and test hooks (worker script, chunk size, media readers). */
  ingest?: Partial<Omit<IngestEngineOptions, 'db' | 'audit' | 'dataDir' | 'now'>>;
  log?: DevicesLog;
  timeZone?: string;
  openTransport?: DriverContext['openTransport'];
  openReader?: CardReaderOptions['open'];
}

/**
 * Opens the ingest engine (taking the data dir's ingest lock and settling what a crash left),
 * then the dock and the officer identification on top of it.
 */
export async function startDock(
  services: StationServices,
  options: DockStartOptions,
): Promise<DockRuntime> {
  if (services.dock) return services.dock;
  const log = options.log ?? defaultDevicesLog;
  const engine = await IngestEngine.open({
    ...options.ingest,
    db: services.db,
    audit: services.audit,
    dataDir: services.dataDir,
    now: services.now,
  });
  let service: DockService;
  try {
    service = await DockService.start({
      db: services.db,
      audit: services.audit,
      hub: services.hub,
      engine,
      users: services.users,
      profiles: services.profiles,
      now: services.now,
      watcher: options.watcher,
      log,
      ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
      ...(options.openTransport === undefined ? {} : { openTransport: options.openTransport }),
    });
  } catch (error) {
    await engine.close();
    throw error;
  }
  const officer = new OfficerAtDock({
    db: services.db,
    audit: services.audit,
    auth: services.auth,
    users: services.users,
    dock: service,
    now: services.now,
    log,
    ...(options.openReader === undefined ? {} : { openReader: options.openReader }),
  });
  await officer.configureReader(services.settings.get('cardReader'));
  services.dock = { service, officer };
  return services.dock;
}

/** Ends running dockings (interrupted, partial copies kept to resume) and releases the lock. */
export async function stopDock(services: StationServices): Promise<void> {
  const dock = services.dock;
  if (!dock) return;
  services.dock = null;
  await dock.officer.close();
  await dock.service.close();
}
