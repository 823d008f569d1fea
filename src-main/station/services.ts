import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { AuthService, DEFAULT_AUTH_POLICY, type AuthPolicy } from '../auth/auth-service';
import { UserAdmin } from '../auth/user-admin';
import { CATALOGUE_FILE, closeCatalogue, openCatalogue } from '../catalogue/open';
import { UserRepository } from '../catalogue/users';
import { AuditLog, STATION_ACTOR } from '../custody/audit-log';
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
}

export interface StationServices {
  dataDir: string;
  version: string;
  db: Database.Database;
  audit: AuditLog;
  users: UserRepository;
  auth: AuthService;
  userAdmin: UserAdmin;
  hub: EventHub;
  dispatcher: Dispatcher;
}

/** The composition root: opens the catalogue and wires every service once. */
export function openStation(options: StationOptions): StationServices {
  const now = options.now ?? (() => new Date());
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
  const services: Omit<StationServices, 'dispatcher'> = {
    dataDir: options.dataDir,
    version: STATION_VERSION,
    db,
    audit,
    users,
    auth,
    userAdmin,
    hub,
  };
  const logError = options.logError ?? ((message, error) => console.error(message, error));
  const dispatcher = new Dispatcher(auth, createHandlers(services), (error, method) =>
    logError(`evidock: internal error in ${method}:`, error),
  );
  return { ...services, dispatcher };
}

export function closeStation(services: StationServices): void {
  closeCatalogue(services.db);
}
