import type Database from 'better-sqlite3';
import { RpcError } from '../contract';
import { MIGRATIONS, type Migration } from './migrations';

export interface MigrationOutcome {
  from: number;
  to: number;
  applied: string[];
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the catalogue to the newest schema: all pending migrations in one transaction, so a
 * crash leaves either the old schema or the new one. A catalogue written by a newer evidock is
 * refused untouched: an older program must not guess at tables it does not know.
 */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
): MigrationOutcome {
  const { from, latest } = assertSchemaSupported(db, migrations);
  const pending = migrations.filter((m) => m.version > from);
  if (pending.length === 0) return { from, to: from, applied: [] };

  db.transaction(() => {
    for (const migration of pending) db.exec(migration.sql);
    // user_version cannot be bound as a parameter; the value is an integer we produced.
    db.pragma(`user_version = ${latest}`);
  }).immediate();
  return { from, to: latest, applied: pending.map((m) => m.name) };
}

export function assertSchemaSupported(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
): { from: number; latest: number } {
  checkSequence(migrations);
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
  const from = schemaVersion(db);
  if (from > latest) {
    throw new RpcError(
      'SCHEMA_TOO_NEW',
      `The catalogue has schema version ${from}, newer than this evidock understands (${latest}). ` +
        'Use the evidock version that wrote it, or a newer one; nothing was changed.',
      { found: from, supported: latest },
    );
  }
  return { from, latest };
}

function checkSequence(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`migration ${m.name} has version ${m.version}, expected ${i + 1}`);
    }
  });
}
