import { join } from 'node:path';
import { AuthService, DEFAULT_AUTH_POLICY, type AuthPolicy } from '../auth/auth-service';
import { UserAdmin } from '../auth/user-admin';
import { Catalogue } from '../catalogue/catalogue';
import { CATALOGUE_FILE } from '../catalogue/open';
import type { Log } from '../contract';
import { ArchiveSpace } from '../custody/archive-space';
import { STATION_ACTOR } from '../custody/audit-log';
import { openStationAudit } from '../custody/station-audit';
import { Delivery } from '../custody/delivery';
import { DiscBurner, DiscRegister, DiscSets } from '../disc';
import { loadProfiles, resolveProfilesDir } from '../devices';
import {
  startDock,
  stopDock,
  RecorderRegistry,
  type DockRuntime,
  type DockStartOptions,
} from '../dock';
import {
  CaseService,
  ClipAccess,
  CustodyExceptions,
  filingFacts,
  FinishAtDock,
  LabelService,
  UnitPolicyService,
} from '../filing';
import {
  Forwarder,
  ForwardingLoop,
  ForwardTargets,
  KeyFileSecretBox,
  RemoteCheck,
  type ForwardingLoopOptions,
} from '../forward';
import { ComplianceReports } from '../reports';
import { keepDataDirPrivate } from './data-dir';
import { Dispatcher } from './dispatcher';
import { EventHub } from './event-hub';
import { eventViewFor } from './viewer-views';
import { errorDetails, openLogger } from './logger';
import { createHandlers } from './handlers';
import { IntegritySchedule, type IntegrityScheduleOptions } from './integrity-schedule';
import { DockSlot, type StationServices } from './station-services';
import { STATION_VERSION } from './version';

export { DockSlot, type StationServices } from './station-services';

export interface StationOptions {
  dataDir: string;
  authPolicy?: Partial<AuthPolicy>;
  now?: () => Date;
  /** Where the station says what it did and what failed (never to a client); its log file by default. */
  log?: Log;
  /** The recorder profiles folder; the shipped `resources/recorders` by default. */
  profilesDir?: string;
  /** Check every answer against the contract (EVIDOCK_CHECK_OUTPUTS=1 sets it; tests do). */
  checkOutputs?: boolean;
  /** The scheduled integrity sweep (D-NO-TAMPER): daily, 10 minutes after start when due. */
  integrity?: IntegrityScheduleOptions;
  /**
   * Open even when the station's signing keys cannot be used, only to read and verify the audit
   * log (nothing is signed, and an entry that needs a checkpoint is refused). Otherwise unusable
   * keys refuse the start with KEYS_UNUSABLE (D-NO-TAMPER).
   */
  auditOnly?: boolean;
  /** The running station's forwarding to central storage: how long it rests between passes. */
  forwarding?: ForwardingLoopOptions;
  /** The desktop shell's keychain-kept key for target keys; the key file in keys/ otherwise. */
  forwardKey?: Buffer;
}

/** A station: its services, and the one door every transport calls. */
export interface Station extends StationServices {
  readonly dispatcher: Dispatcher;
}

/**
 * The composition root: opens the catalogue, then builds every service once, in order
 * (catalogue → custody → accounts → filing, dock, reports → handlers → dispatcher).
 */
export function openStation(options: StationOptions): Station {
  const now = options.now ?? (() => new Date());
  // Before the log or the catalogue is opened in it: a folder that is someone else's, or open to
  // others, must not receive the station's evidence (D-NO-LEAK, D-CONFIDENTIAL).
  keepDataDirPrivate(options.dataDir);
  const logger = options.log === undefined ? openLogger({ dataDir: options.dataDir }) : null;
  const log = options.log ?? logger!.log;
  // Profiles first: a broken profile stops the station before the catalogue is touched.
  const profiles = loadProfiles(options.profilesDir ?? resolveProfilesDir());
  const { catalogue, migration } = Catalogue.open(join(options.dataDir, CATALOGUE_FILE));
  let custody: ReturnType<typeof openStationAudit>;
  try {
    custody = openStationAudit({
      dataDir: options.dataDir,
      catalogue,
      now,
      onError: (message, error) => log('error', message, errorDetails(error)),
      onWarning: (message, details) => log('warn', message, details),
      requireKeys: options.auditOnly !== true,
    });
  } catch (error) {
    catalogue.close();
    logger?.close();
    throw error;
  }
  const { audit, checkpoints } = custody;
  if (migration.applied.length > 0) {
    audit.record({
      actor: STATION_ACTOR,
      action: 'catalogue.migrated',
      subject: 'catalogue',
      details: { from: migration.from, to: migration.to, applied: migration.applied },
    });
  }
  // A stored policy value that no longer passes the checks (say, a case-number pattern that
  // could freeze the station) is set aside for its default: said where an operator looks.
  for (const { key, problem } of catalogue.settings.problems()) {
    log('warn', `the stored unit policy value ${key} is not used (the default is): ${problem}`, {
      key,
    });
  }
  const hub = new EventHub(eventViewFor({ audit, catalogue }));
  audit.onAppended((entry) => hub.publish('audit.appended', { entry }));

  const auth = new AuthService(
    catalogue,
    audit,
    { ...DEFAULT_AUTH_POLICY, ...options.authPolicy },
    now,
  );
  const userAdmin = new UserAdmin(catalogue, audit, auth, now);
  const facts = filingFacts(catalogue, profiles);
  const delivery = new Delivery(options.dataDir, (token) => auth.peek(token), now);
  const labels = new LabelService({ catalogue, audit, facts, now });
  const policy = new UnitPolicyService({ catalogue, audit, labels });
  const dock = new DockSlot();
  const secrets = KeyFileSecretBox.forDataDir(options.dataDir, options.forwardKey);
  const forwarder = new Forwarder({
    catalogue,
    audit,
    dataDir: options.dataDir,
    secrets,
    now,
    log,
  });
  const forwardTargets = new ForwardTargets({
    catalogue,
    audit,
    secrets,
    now,
    meter: forwarder.meter,
    dataDir: options.dataDir,
    withdrawn: (targetId) => forwarder.withdraw(targetId),
    // Keys of one station never meet another's in a bucket several stations share.
    defaultPrefix: () => {
      const key = checkpoints.seal().keys?.ed25519.sha256;
      return key === undefined ? 'evidock/' : `evidock/station-${key.slice(0, 16)}/`;
    },
  });
  const discSets = new DiscSets({ catalogue, audit, now });
  const discBurner = new DiscBurner({
    catalogue,
    audit,
    checkpoints,
    sets: discSets,
    dataDir: options.dataDir,
    now,
    // The same name its targets' prefixes carry: the station's Ed25519 key, abridged.
    stationId: () =>
      `station-${checkpoints.requireKeys().fingerprints.ed25519.sha256.slice(0, 16)}`,
    publish: (progress) => hub.publish('disc.progress', { progress }),
  });
  const services: StationServices = {
    dataDir: options.dataDir,
    log,
    closeLog: () => logger?.close(),
    version: STATION_VERSION,
    now,
    catalogue,
    audit,
    checkpoints,
    profiles,
    auth,
    userAdmin,
    hub,
    dock,
    recorders: new RecorderRegistry(catalogue, audit, profiles, now),
    clips: new ClipAccess({ catalogue, audit, delivery, facts, now }),
    labels,
    custodyExceptions: new CustodyExceptions({ catalogue, audit, now }, labels),
    finishAtDock: new FinishAtDock({ catalogue, audit, now }),
    cases: new CaseService({ catalogue, audit, now }),
    policy,
    delivery,
    reports: new ComplianceReports({ catalogue, audit, checkpoints, delivery, now }),
    forwarder,
    forwardTargets,
    remoteCheck: new RemoteCheck({ catalogue, audit, secrets, dataDir: options.dataDir }),
    // Started only by a running station (lifecycle); a command-line process forwards on request.
    forwarding: new ForwardingLoop(
      {
        forwarder,
        targets: forwardTargets,
        dataDir: options.dataDir,
        actor: STATION_ACTOR,
        log,
        publish: (name, payload) => hub.publish(name, payload),
        catalogue,
        now,
      },
      options.forwarding,
    ),
    // Armed only by a running station (lifecycle); a command-line process runs no schedule.
    integrity: new IntegritySchedule(
      {
        dataDir: options.dataDir,
        catalogue,
        audit,
        publish: (name, payload) => hub.publish(name, payload),
        log,
        now,
      },
      options.integrity,
    ),
    archiveSpace: new ArchiveSpace({ dataDir: options.dataDir, catalogue, now }),
    discSets,
    discBurner,
    discRegister: new DiscRegister({ catalogue, audit, delivery, sets: discSets, now }),
  };
  // What else a policy change moves: the dock's card reader, recorders waiting for a password.
  policy.onChanged(async (change) => {
    if (change.key === 'cardReader') await dock.runtime?.officer.configureReader(change.value);
    if (change.key === 'ambaPassword') dock.runtime?.service.retryUsbRecorders();
  });
  const dispatcher = new Dispatcher(auth, createHandlers(services), {
    onInternalError: (error, method) =>
      log('error', `internal error in ${method}`, errorDetails(error)),
    checkOutputs: options.checkOutputs ?? process.env.EVIDOCK_CHECK_OUTPUTS === '1',
  });
  return { ...services, dispatcher };
}

/**
 * Starts the dock in this process: the ingest engine (taking the data dir's ingest lock), the
 * device watcher (unless told not to), the officer identification. Answers the running dock.
 */
export async function startStationDock(
  station: StationServices,
  options: DockStartOptions,
): Promise<DockRuntime> {
  if (station.dock.runtime !== null) return station.dock.runtime;
  return (station.dock.runtime = await startDock(
    {
      catalogue: station.catalogue,
      audit: station.audit,
      auth: station.auth,
      log: station.log,
      publish: (name, payload) => station.hub.publish(name, payload),
      dataDir: station.dataDir,
      profiles: station.profiles,
      now: station.now,
    },
    options,
  ));
}

/** Ends running dockings (interrupted, partial copies kept to resume) and releases the lock. */
export async function stopStationDock(station: StationServices): Promise<void> {
  const runtime = station.dock.runtime;
  if (runtime === null) return;
  station.dock.runtime = null;
  await stopDock(runtime);
}

export function closeStation(station: StationServices): void {
  // D-NO-TAMPER: a process that appended entries seals the chain's head as it stops (a station
  // at its stop, a command-line command at its end); one that only read signs nothing.
  try {
    station.checkpoints.sealOnClose();
  } catch (error) {
    station.log('error', 'the closing audit checkpoint failed', errorDetails(error));
  }
  station.catalogue.close();
  station.closeLog();
}
