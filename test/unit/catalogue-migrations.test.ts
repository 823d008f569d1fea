// The catalogue's schema: migrations, the refusal of a newer schema, and the pragmas an evidence
// store needs. Real SQLite throughout; temp files where the on-disk behaviour is the point.
import Database from 'better-sqlite3';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../src-main/catalogue/migrate';
import { MIGRATIONS, type Migration } from '../../src-main/catalogue/migrations';
import { CATALOGUE_FILE, closeCatalogue, openCatalogue } from '../../src-main/catalogue/open';
import { RpcError } from '../../src-main/contract';
import { asRpcError, thrownBy } from '../support/core-station';
import { tempDir } from '../support/temp';

const LATEST = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Every schema object (tables, indexes, triggers) with its SQL: the shape of the catalogue. */
function schemaOf(db: Database.Database): { type: string; name: string; sql: string | null }[] {
  return db
    .prepare<[], { type: string; name: string; sql: string | null }>(
      'SELECT type, name, sql FROM sqlite_master ORDER BY type, name',
    )
    .all();
}

function tableNames(db: Database.Database): string[] {
  return schemaOf(db)
    .filter((o) => o.type === 'table')
    .map((o) => o.name);
}

/** A catalogue as a newer evidock would leave it: a schema version this program does not know. */
function newerCatalogue(db: Database.Database): void {
  db.exec('CREATE TABLE from_the_future (id INTEGER PRIMARY KEY, note TEXT)');
  db.prepare('INSERT INTO from_the_future (note) VALUES (?)').run('written by evidock 9');
  db.pragma(`user_version = ${LATEST + 1}`);
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function scratchDir(): string {
  const dir = tempDir('evidock-catalogue-');
  cleanups.push(dir.remove);
  return dir.path;
}

describe('migrations', () => {
  it('a fresh catalogue is brought to the newest schema and user_version records it', () => {
    const db = new Database(':memory:');
    const outcome = migrate(db);

    expect(outcome).toEqual({
      from: 0,
      to: LATEST,
      applied: MIGRATIONS.map((m) => m.name),
    });
    expect(schemaVersion(db)).toBe(LATEST);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST);
    expect(tableNames(db)).toEqual(expect.arrayContaining(['users', 'audit_log']));
    const triggers = schemaOf(db)
      .filter((o) => o.type === 'trigger')
      .map((o) => o.name);
    expect(triggers).toEqual(
      expect.arrayContaining(['audit_log_refuses_update', 'audit_log_refuses_delete']),
    );
    db.close();
  });

  it('running the migrations again on an up-to-date catalogue applies nothing and changes nothing', () => {
    const db = new Database(':memory:');
    migrate(db);
    const before = schemaOf(db);

    expect(migrate(db)).toEqual({ from: LATEST, to: LATEST, applied: [] });
    expect(schemaVersion(db)).toBe(LATEST);
    expect(schemaOf(db)).toEqual(before);
    db.close();
  });

  it('openCatalogue on an up-to-date catalogue file reports nothing applied', () => {
    const file = join(scratchDir(), CATALOGUE_FILE);
    const first = openCatalogue(file);
    expect(first.migration.applied).toEqual(MIGRATIONS.map((m) => m.name));
    closeCatalogue(first.db);

    const second = openCatalogue(file);
    expect(second.migration).toEqual({ from: LATEST, to: LATEST, applied: [] });
    closeCatalogue(second.db);
  });

  it('a catalogue written by a newer evidock is refused with SCHEMA_TOO_NEW and left exactly as it was', () => {
    const db = new Database(':memory:');
    newerCatalogue(db);
    const before = schemaOf(db);

    const error = asRpcError(thrownBy(() => migrate(db)));
    expect(error.code).toBe('SCHEMA_TOO_NEW');
    expect(error.details).toEqual({ found: LATEST + 1, supported: LATEST });
    expect(error.message).toMatch(/nothing was changed/);

    expect(schemaVersion(db)).toBe(LATEST + 1);
    expect(schemaOf(db)).toEqual(before);
    expect(tableNames(db)).not.toContain('users');
    expect(db.prepare('SELECT note FROM from_the_future').pluck().all()).toEqual([
      'written by evidock 9',
    ]);
    db.close();
  });

  it('openCatalogue refuses a newer catalogue file without touching a byte of it or switching it to WAL', () => {
    const file = join(scratchDir(), CATALOGUE_FILE);
    const seed = new Database(file);
    expect(seed.pragma('journal_mode', { simple: true })).toBe('delete');
    newerCatalogue(seed);
    seed.close();
    const bytes = readFileSync(file);

    const error = thrownBy(() => openCatalogue(file));
    expect(error).toBeInstanceOf(RpcError);
    expect(asRpcError(error).code).toBe('SCHEMA_TOO_NEW');

    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(existsSync(`${file}-wal`)).toBe(false);
    const check = new Database(file, { readonly: true });
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(schemaVersion(check)).toBe(LATEST + 1);
    expect(tableNames(check)).toEqual(['from_the_future']);
    check.close();
  });

  it('pending migrations apply in one transaction: a failing one leaves the schema and user_version as before', () => {
    const broken: Migration[] = [
      ...MIGRATIONS,
      {
        version: LATEST + 1,
        name: 'probe-good-part',
        sql: 'CREATE TABLE probe_good_part (id INTEGER PRIMARY KEY);',
      },
      {
        version: LATEST + 2,
        name: 'next-broken',
        sql: 'CREATE TABLE probe_broken_part (id INTEGER PRIMARY KEY); THIS IS NOT SQL;',
      },
    ];

    // From an empty file: nothing at all may remain.
    const fresh = new Database(':memory:');
    expect(() => migrate(fresh, broken)).toThrow();
    expect(schemaVersion(fresh)).toBe(0);
    expect(schemaOf(fresh)).toEqual([]);
    fresh.close();

    // From the released schema: it stays exactly that, without the half-applied tables.
    const current = new Database(':memory:');
    migrate(current);
    const before = schemaOf(current);
    expect(() => migrate(current, broken)).toThrow();
    expect(schemaVersion(current)).toBe(LATEST);
    expect(schemaOf(current)).toEqual(before);
    expect(tableNames(current)).not.toContain('probe_good_part');
    expect(tableNames(current)).not.toContain('probe_broken_part');
    current.close();
  });

  it('a migration list with a gap in its versions is rejected before anything is applied', () => {
    const gapped: Migration[] = [
      ...MIGRATIONS,
      { version: LATEST + 2, name: 'skips-a-version', sql: 'CREATE TABLE skipped (x);' },
    ];
    const db = new Database(':memory:');

    expect(() => migrate(db, gapped)).toThrow(/skips-a-version has version \d+, expected \d+/);
    expect(schemaVersion(db)).toBe(0);
    expect(schemaOf(db)).toEqual([]);
    db.close();
  });

  it('a migration list that does not start at version 1 is rejected', () => {
    const db = new Database(':memory:');
    expect(() =>
      migrate(db, [{ version: 2, name: 'no-first', sql: 'CREATE TABLE t (x);' }]),
    ).toThrow(/expected 1/);
    expect(schemaOf(db)).toEqual([]);
    db.close();
  });
});

describe('an on-disk catalogue', () => {
  it('is opened in WAL mode with foreign keys on, a 5 s busy timeout and synchronous FULL', () => {
    const file = join(scratchDir(), CATALOGUE_FILE);
    const { db } = openCatalogue(file);

    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    closeCatalogue(db);
  });

  it('an in-memory catalogue still enforces foreign keys and synchronous FULL', () => {
    const { db } = openCatalogue(':memory:');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(schemaVersion(db)).toBe(LATEST);
    db.close();
  });

  it('D-NO-LEAK: the folder it creates for the catalogue is private to the station account (0700)', () => {
    const file = join(scratchDir(), 'station-data', 'evidock', CATALOGUE_FILE);
    const { db } = openCatalogue(file);

    expect(statSync(dirname(file)).isDirectory()).toBe(true);
    if (process.platform !== 'win32') {
      expect(statSync(dirname(file)).mode & 0o777).toBe(0o700);
    }
    closeCatalogue(db);
  });

  it('closing folds the WAL back so a stopped station leaves one self-contained file', () => {
    const file = join(scratchDir(), CATALOGUE_FILE);
    const { db } = openCatalogue(file);
    db.prepare(
      `INSERT INTO users (badge, name, role, password_hash, created_at, updated_at)
       VALUES ('A100', 'Li Wei', 'officer', 'scrypt$x', '2025-01-01', '2025-01-01')`,
    ).run();
    closeCatalogue(db);

    const walSize = existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0;
    expect(walSize).toBe(0);
    const reopened = new Database(file, { readonly: true });
    expect(reopened.prepare('SELECT name FROM users').pluck().all()).toEqual(['Li Wei']);
    reopened.close();
  });
});
