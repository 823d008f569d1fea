import { STATION_ACTOR } from '../custody/audit-log';
import { errorDetails } from './logger';
import {
  closeStation,
  openStation,
  stopStationDock,
  type Station,
  type StationOptions,
} from './services';

/**
 * A running station: opened, its start audited, and stopped exactly once, however many signals
 * arrive. better-sqlite3 is synchronous, so a signal is handled between transactions, never
 * inside one: stopping can't leave half-written rows, and the WAL is checkpointed on close.
 */
export interface RunningStation {
  services: Station;
  stop(reason: string): Promise<void>;
}

export function startStation(
  options: StationOptions,
  mode: 'browser' | 'desktop',
  beforeClose: () => Promise<void> = async () => {},
): RunningStation {
  const services = openStation(options);
  services.audit.record({
    actor: STATION_ACTOR,
    action: 'station.started',
    subject: 'station',
    details: { version: services.version, mode, pid: process.pid },
  });
  services.integrity.start();
  // D-24H: archived clips go on to central storage by themselves; a new one wakes the loop.
  services.forwarding.start();
  const stopWaking = services.audit.onAppended((entry) => {
    if (entry.action === 'clip.archived') services.forwarding.wake();
  });
  // D-NO-TAMPER: the chain's head is signed every hour there was activity (and by closeStation
  // at the stop).
  const stopHourlyCheckpoints = services.checkpoints.everyHour();
  let stopping: Promise<void> | undefined;
  return {
    services,
    stop(reason: string): Promise<void> {
      stopping ??= (async () => {
        await beforeClose();
        // A sweep under way ends between two reads and records nothing; none starts after.
        await services.integrity.stop();
        // An upload under way stops where it is: its multipart upload resumes at the next start.
        stopWaking();
        await services.forwarding.stop();
        // Dockings under way end interrupted, their partial copies kept to resume.
        await stopStationDock(services);
        services.audit.record({
          actor: STATION_ACTOR,
          action: 'station.stopped',
          subject: 'station',
          details: { reason },
        });
        stopHourlyCheckpoints();
        closeStation(services);
      })();
      return stopping;
    },
  };
}

/**
 * Stops the station on SIGINT/SIGTERM, then exits 0. `on`, not `once`: an impatient second
 * Ctrl+C must not kill the process before the catalogue is checkpointed; the stop is idempotent.
 */
export function stopOnSignals(
  station: RunningStation,
  exit: (code: number) => void = process.exit,
): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      station.stop(signal).then(
        () => exit(0),
        (error: unknown) => {
          station.services.log('error', 'the station did not stop cleanly', errorDetails(error));
          exit(1);
        },
      );
    });
  }
}
