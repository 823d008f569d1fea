import type { AuthService } from '../auth/auth-service';
import type { Catalogue } from '../catalogue/catalogue';
import type { Log, PublishEvent } from '../contract';
import type { AuditLog } from '../custody/audit-log';
import {
  type CardReaderOptions,
  type DeviceWatcherOptions,
  type DevicesLog,
  type DriverContext,
  type RecorderProfile,
} from '../devices';
import { IngestEngine, type IngestEngineOptions } from '../ingest';
import type { DeviceSource } from './dock-options';
import { DockService } from './dock-service';
import { OfficerAtDock } from './officer-at-dock';

/** What the dock is built on. */
export interface DockDeps {
  catalogue: Catalogue;
  audit: AuditLog;
  auth: AuthService;
  publish: PublishEvent;
  dataDir: string;
  profiles: readonly RecorderProfile[];
  now: () => Date;
  log: Log;
}

export interface DockStartOptions {
  /** Watch for docked recorders (the station); `false` ingests only what it is told (CLI). */
  watcher: DeviceWatcherOptions | DeviceSource | false;
  /** Engine settings and test hooks (worker script, chunk size, media readers). */
  ingest?: Partial<Omit<IngestEngineOptions, 'catalogue' | 'audit' | 'dataDir' | 'now'>>;
  log?: DevicesLog;
  timeZone?: string;
  openTransport?: DriverContext['openTransport'];
  openReader?: CardReaderOptions['open'];
}

/** The dock, once started: commands that only read or manage data run without it. */
export interface DockRuntime {
  service: DockService;
  officer: OfficerAtDock;
}

/**
 * Opens the ingest engine (taking the data dir's ingest lock and settling what a crash left),
 * then the dock and the officer identification on top of it.
 */
export async function startDock(deps: DockDeps, options: DockStartOptions): Promise<DockRuntime> {
  const log = options.log ?? deps.log;
  const engine = await IngestEngine.open({
    log: deps.log,
    ...options.ingest,
    catalogue: deps.catalogue,
    audit: deps.audit,
    dataDir: deps.dataDir,
    now: deps.now,
  });
  let service: DockService;
  try {
    service = await DockService.start({
      catalogue: deps.catalogue,
      audit: deps.audit,
      publish: deps.publish,
      engine,
      profiles: deps.profiles,
      now: deps.now,
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
    catalogue: deps.catalogue,
    audit: deps.audit,
    auth: deps.auth,
    dock: service,
    now: deps.now,
    log,
    ...(options.openReader === undefined ? {} : { openReader: options.openReader }),
  });
  await officer.configureReader(deps.catalogue.settings.get('cardReader'));
  return { service, officer };
}

/** Ends running dockings (interrupted, partial copies kept to resume) and releases the lock. */
export async function stopDock(dock: DockRuntime): Promise<void> {
  await dock.officer.close();
  await dock.service.close();
}
