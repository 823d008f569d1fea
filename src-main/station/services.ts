import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { AuthService, DEFAULT_AUTH_POLICY, type AuthPolicy } from '../auth/auth-service';
import { UserAdmin } from '../auth/user-admin';
import { CaseRepository } from '../catalogue/cases';
import { ClipRepository } from '../catalogue/clips';
import { DockingRepository } from '../catalogue/dockings';
import { LabelRepository } from '../catalogue/labels';
import { CATALOGUE_FILE, closeCatalogue, openCatalogue } from '../catalogue/open';
import { RecorderRepository } from '../catalogue/recorders';
import { SettingsRepository } from '../catalogue/settings';
import { UserRepository } from '../catalogue/users';
import { AuditLog, STATION_ACTOR } from '../custody/audit-log';
import { loadProfiles, resolveProfilesDir, type RecorderProfile } from '../devices';
import type { DockService } from './dock/dock-service';
import type { OfficerAtDock } from './dock/officer-at-dock';
import { Dispatcher } from './dispatcher';
import { CaseService } from './filing/case-service';
import { LabelService } from './filing/label-service';
import { Playback } from './filing/playback';
import type { FilingFacts } from './filing/filing-views';
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
  dockingRepo: DockingRepository;
  filing: FilingServices;
}

/** Labels, cases and playback (D-LABEL, D-AV-REQUIRED, D-NO-LEAK). */
export interface FilingServices {
  labelRepo: LabelRepository;
  caseRepo: CaseRepository;
  labels: LabelService;
  cases: CaseService;
  playback: Playback;
  /** What a label is measured against: D-LABEL's production method, the unit's fields. */
  facts: () => FilingFacts;
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
  const clips = new ClipRepository(db);
  const recorders = new RecorderRepository(db);
  const settings = new SettingsRepository(db);
  const dockingRepo = new DockingRepository(db);
  const labelRepo = new LabelRepository(db);
  const caseRepo = new CaseRepository(db);
  const filing: FilingServices = {
    labelRepo,
    caseRepo,
    labels: undefined as unknown as LabelService,
    cases: new CaseService({ cases: caseRepo, labels: labelRepo, users, settings, audit, now }),
    playback: new Playback(options.dataDir, auth, now),
    facts: () => {
      const kinds = new Map<string, string | null>();
      return {
        productionMethod: (serial) => {
          if (!kinds.has(serial)) {
            const profileId = recorders.get(serial)?.profileId;
            kinds.set(serial, profiles.find((p) => p.id === profileId)?.deviceKind ?? null);
          }
          return kinds.get(serial) ?? null;
        },
        requiredFields: settings.get('labelRequiredFields'),
      };
    },
  };
  audit.onAppended((entry) => hub.publish('audit.appended', { entry }));
  const services: StationServices = {
    dataDir: options.dataDir,
    version: STATION_VERSION,
    now,
    db,
    audit,
    users,
    recorders,
    clips,
    settings,
    profiles,
    auth,
    userAdmin,
    hub,
    dispatcher: undefined as unknown as Dispatcher,
    dock: null,
    dockingRepo,
    filing,
  };
  filing.labels = new LabelService({
    clips,
    labels: labelRepo,
    cases: caseRepo,
    dockings: dockingRepo,
    users,
    settings,
    audit,
    now,
    facts: filing.facts,
  });
  const logError = options.logError ?? ((message, error) => console.error(message, error));
  services.dispatcher = new Dispatcher(auth, createHandlers(services), (error, method) =>
    logError(`evidock: internal error in ${method}:`, error),
  );
  return services;
}

export function closeStation(services: StationServices): void {
  closeCatalogue(services.db);
}
