// Audit histories for the checkpoint tests (rule D-NO-TAMPER): a station that did ordinary work
// through its own code, and the insider's raw connection to its catalogue afterwards.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { AuditAction } from '../../src-main/contract';
import { entryHash } from '../../src-main/custody/audit-log';
import { startStation } from '../../src-main/station/lifecycle';

const ACTIONS: readonly AuditAction[] = ['auth.login', 'clip.played', 'auth.logout'];

/** A station that ran, recorded `count` entries of ordinary work through its own code, stopped. */
export async function stationWithHistory(dataDir: string, count: number): Promise<void> {
  const station = startStation({ dataDir, log: () => {} }, 'browser');
  for (let i = 0; i < count; i += 1) {
    station.services.audit.record({
      actor: `P${100 + (i % 7)}`,
      action: ACTIONS[i % ACTIONS.length]!,
      subject: `clip:${i}`,
      details: { n: i },
    });
  }
  await station.stop('end of shift');
}

/** The insider's connection to the catalogue in `dataDir`: every append-only trigger dropped first. */
export function insider<T>(dataDir: string, work: (db: Database.Database) => T): T {
  const db = new Database(join(dataDir, 'catalogue.sqlite'));
  try {
    for (const { name } of db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'trigger'")
      .all()) {
      db.exec(`DROP TRIGGER "${name}"`);
    }
    return work(db);
  } finally {
    db.close();
  }
}

/** The hash a raw audit_log row has once numbered `seq` and linked after `prevHash`. */
export function rehashedRow(
  row: Record<string, string | number>,
  seq: number,
  prevHash: string,
): string {
  return entryHash({
    seq,
    at: row['at'] as string,
    actor: row['actor'] as string,
    action: row['action'] as string,
    subject: row['subject'] as string,
    details: JSON.parse(row['details'] as string) as Record<string, unknown>,
    prevHash,
  });
}
