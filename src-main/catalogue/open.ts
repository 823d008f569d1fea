import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { assertSchemaSupported, migrate, type MigrationOutcome } from './migrate';

export const CATALOGUE_FILE = 'catalogue.sqlite';

export interface OpenedCatalogue {
  db: Database.Database;
  migration: MigrationOutcome;
}

/**
 * Opens (creating if needed) and migrates a catalogue. `:memory:` gives a private in-memory one.
 * Under Electron the station loads an Electron-ABI build of better-sqlite3 named by
 * EVIDOCK_SQLITE_BINDING; plain Node uses the one in node_modules.
 */
export function openCatalogue(file: string): OpenedCatalogue {
  // Evidence and password hashes: readable by the station's own account only.
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const nativeBinding = process.env.EVIDOCK_SQLITE_BINDING;
  const creating = file !== ':memory:' && !existsSync(file);
  const db = new Database(file, nativeBinding ? { nativeBinding } : {});
  // The folder may pre-exist with wider permissions; the file holds password hashes. SQLite
  // gives its -wal and -shm files the main file's permissions.
  if (creating && process.platform !== 'win32') chmodSync(file, 0o600);
  try {
    db.pragma('busy_timeout = 5000');
    // Refuse a newer schema before any pragma could touch the file.
    assertSchemaSupported(db);
    applyPragmas(db, file !== ':memory:');
    const migration = migrate(db);
    return { db, migration };
  } catch (error) {
    db.close();
    throw error;
  }
}

function applyPragmas(db: Database.Database, onDisk: boolean): void {
  if (onDisk) db.pragma('journal_mode = WAL');
  // FULL: a committed custody record survives a power cut, not only a crash of the program.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // 64 MiB of pages (the default is 2 MiB): the clips browser and the report over a million clips
  // keep their indexes in memory instead of re-reading them from the OS for every page.
  db.pragma('cache_size = -65536');
}

/** Folds the WAL into the main file so a stopped station leaves one self-contained file. */
export function closeCatalogue(db: Database.Database): void {
  if (!db.open) return;
  if (db.name !== ':memory:') db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
