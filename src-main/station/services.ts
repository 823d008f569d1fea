import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { AuthService, DEFAULT_AUTH_POLICY, type AuthPolicy } from '../auth/auth-service';
import { UserAdmin } from '../auth/user-admin';
import { ClipRepository } from '../catalogue/clips';
import { CATALOGUE_FILE, closeCatalogue, openCatalogue } from '../catalogue/open';
import { RecorderRepository } from '../catalogue/recorders';
import { SettingsRepository } from '../catalogue/settings';
import { UserRepository } from '../catalogue/users';
import { AuditLog, STATION_ACTOR } from '../custody/audit-log';
import { loadProfiles, resolveProfilesDir, type RecorderProfile } from '../devices';
import type { DockService } from './dock/dock-service';
import type { OfficerAtDock } from './dock/officer-at-dock';
import { Dispatcher } from './dispatcher';
import { EventHub } from './event-hub';
import { createHandlers } from './handlers';
import { STATION_VERSION } from './version';

export interface StationOptions {
  dataDir: string;
  authPolicy?: Partial<AuthPolicy>;
  now?: () => Date;
  /** Where internal errors are reported (never to the client). */
  logError?: (message: string, error: unknown) => void;
  /** The recorder profiles folder; the shipped `resources/recorders` by default. */
  profilesDir?: string;
}

/** The dock, once started (`startDock`): commands that only read or manage data run without it. */
export interface DockRuntime {
  service: DockService;
  officer: OfficerAtDock;
}

export interface StationServices {
  dataDir: string;
  version: string;
  now: () => Date;
  db: Database.Database;
  audit: AuditLog;
  users: UserRepository;
  recorders: RecorderRepository;
  clips: ClipRepository;
  settings: SettingsRepository;
  profiles: readonly RecorderProfile[];
  auth: AuthService;
  userAdmin: UserAdmin;
  hub: EventHub;
  dispatcher: Dispatcher;
  dock: DockRuntime | null;
}

/** The composition root: opens the catalogue and wires every service once. */
export function openStation(options: StationOptions): StationServices {
  const now = options.now ?? (() => new Date());
  // Profiles first: a broken profile stops the station before the catalogue is touched.
  const profiles = loadProfiles(options.profilesDir ?? resolveProfilesDir());
  const { db, migration } = openCatalogue(join(options.dataDir, CATALOGUE_FILE));
  const audit = new AuditLog(db, now);
  if (migration.applied.length > 0) {
    audit.append({
      actor: STATION_ACTOR,
      action: 'catalogue.migrated',
      subject: 'catalogue',
      details: { from: migration.from, to: migration.to, applied: migration.applied },
    });
  }
  const users = new UserRepository(db);
  const auth = new AuthService(
    users,
    audit,
    { ...DEFAULT_AUTH_POLICY, ...options.authPolicy },
    now,
  );
  const userAdmin = new UserAdmin(users, audit, auth, now);
  const hub = new EventHub();
  audit.onAppended((entry) => hub.publish('audit.appended', { entry }));
  const services: StationServices = {
    dataDir: options.dataDir,
    version: STATION_VERSION,
    now,
    db,
    audit,
    users,
    recorders: new RecorderRepository(db),
    clips: new ClipRepository(db),
    settings: new SettingsRepository(db),
    profiles,
    auth,
    userAdmin,
    hub,
    dispatcher: undefined as unknown as Dispatcher,
    dock: null,
  };
  const logError = options.logError ?? ((message, error) => console.error(message, error));
  services.dispatcher = new Dispatcher(auth, createHandlers(services), (error, method) =>
    logError(`evidock: internal error in ${method}:`, error),
  );
  return services;
}

export function closeStation(services: StationServices): void {
  closeCatalogue(services.db);
}
