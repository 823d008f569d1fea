import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { AuditAction, AuditEntry, ChainProblem, ChainVerification } from '../contract';
import { canonicalJson } from './canonical';

/** The previous-hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** The actor recorded for what the program does on its own (start, stop, migrations). */
export const STATION_ACTOR = 'station';

export interface AuditRecord {
  actor: string;
  action: AuditAction;
  subject: string;
  details?: Record<string, unknown>;
}

export interface AuditQuery {
  beforeSeq?: number | undefined;
  limit: number;
  action?: string | undefined;
  actor?: string | undefined;
}

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details: string;
  prev_hash: string;
  hash: string;
}

/** SHA-256 over the canonical encoding of every field but the hash itself. */
export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  const { seq, at, actor, action, subject, details, prevHash } = entry;
  return createHash('sha256')
    .update(canonicalJson({ seq, at, actor, action, subject, details, prevHash }), 'utf8')
    .digest('hex');
}

/**
 * The append-only, hash-chained audit log (rules D-NO-TAMPER, D-SUPERVISION).
 *
 * Appends run inside the caller's transaction when there is one, so a change and its audit
 * entry commit together or not at all. Listeners hear of an entry only once it is committed.
 */
export class AuditLog {
  private readonly listeners = new Set<(entry: AuditEntry) => void>();
  private uncommitted: AuditEntry[] = [];

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date = () => new Date(),
  ) {}

  onAppended(listener: (entry: AuditEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs `work` in one IMMEDIATE transaction (the write lock is taken up front, so two processes
   * appending at once serialise instead of forking the chain), then publishes its entries.
   * Inside a transaction that is already open, `work` joins it.
   */
  transaction<T>(work: () => T): T {
    if (this.db.inTransaction) return work();
    // Entries appended in a caller's own transaction: that transaction has ended by now.
    this.publishCommitted();
    let result: T;
    try {
      result = this.db.transaction(work).immediate();
    } catch (error) {
      this.uncommitted = [];
      throw error;
    }
    this.publishCommitted();
    return result;
  }

  /** Announces queued entries that are really in the log; rolled-back ones are dropped. */
  private publishCommitted(): void {
    if (this.uncommitted.length === 0) return;
    const queued = this.uncommitted;
    this.uncommitted = [];
    const stored = this.db.prepare<[number, string], { one: number }>(
      'SELECT 1 AS one FROM audit_log WHERE seq = ? AND hash = ?',
    );
    for (const entry of queued) {
      if (!stored.get(entry.seq, entry.hash)) continue;
      for (const listener of this.listeners) listener(entry);
    }
  }

  append(record: AuditRecord): AuditEntry {
    return this.transaction(() => {
      const head = this.db
        .prepare<[], { seq: number; hash: string }>(
          'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
        )
        .get();
      const issued = this.highestIssuedSeq();
      const unsigned = {
        seq: Math.max(head?.seq ?? 0, issued) + 1,
        at: this.now().toISOString(),
        actor: record.actor,
        action: record.action,
        subject: record.subject,
        details: record.details ?? {},
        prevHash: head?.hash ?? GENESIS_HASH,
      };
      const entry: AuditEntry = { ...unsigned, hash: entryHash(unsigned) };
      this.db
        .prepare(
          `INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash)
           VALUES (@seq, @at, @actor, @action, @subject, @details, @prevHash, @hash)`,
        )
        .run({ ...entry, details: canonicalJson(entry.details) });
      this.uncommitted.push(entry);
      return entry;
    });
  }

  list(query: AuditQuery): { entries: AuditEntry[]; total: number } {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (query.action) {
      where.push('action = @action');
      params.action = query.action;
    }
    if (query.actor) {
      where.push('actor = @actor');
      params.actor = query.actor;
    }
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (
      this.db.prepare(`SELECT count(*) AS n FROM audit_log ${filter}`).get(params) as { n: number }
    ).n;
    const page = [...where];
    if (query.beforeSeq !== undefined) {
      page.push('seq < @beforeSeq');
      params.beforeSeq = query.beforeSeq;
    }
    const rows = this.db
      .prepare<Record<string, unknown>, AuditRow>(
        `SELECT * FROM audit_log ${page.length ? `WHERE ${page.join(' AND ')}` : ''}
         ORDER BY seq DESC LIMIT @limit`,
      )
      .all({ ...params, limit: query.limit });
    return { entries: rows.map(fromRow), total };
  }

  /** The history of one subject (`case:…`, `clip:…`), newest first. */
  listBySubject(subject: string, limit = 200): AuditEntry[] {
    return this.db
      .prepare<[string, number], AuditRow>(
        'SELECT * FROM audit_log WHERE subject = ? ORDER BY seq DESC LIMIT ?',
      )
      .all(subject, limit)
      .map(fromRow);
  }

  /**
   * Walks the whole chain. Names the first entry that was altered, removed, or is out of place;
   * removing the newest entries shows as a gap against the highest sequence number ever issued.
   */
  verify(): ChainVerification {
    const checkedAt = this.now().toISOString();
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let entries = 0;
    const broken = (
      seq: number,
      problemCode: ChainProblem,
      problem: string,
    ): ChainVerification => ({
      ok: false,
      entries,
      headSeq: expectedSeq - 1,
      firstBadSeq: seq,
      problemCode,
      problem,
      checkedAt,
    });

    const rows = this.db
      .prepare<[], AuditRow>('SELECT * FROM audit_log ORDER BY seq')
      .iterate() as IterableIterator<AuditRow>;
    for (const row of rows) {
      entries += 1;
      if (row.seq !== expectedSeq) {
        return broken(
          expectedSeq,
          'missing',
          `entry #${expectedSeq} is missing (next found: #${row.seq})`,
        );
      }
      let entry: AuditEntry;
      try {
        entry = fromRow(row);
      } catch {
        return broken(row.seq, 'unreadable', `entry #${row.seq} has unreadable details`);
      }
      if (entry.prevHash !== prevHash) {
        return broken(
          row.seq,
          'unlinked',
          `entry #${row.seq} does not link to entry #${row.seq - 1}`,
        );
      }
      if (entryHash(entry) !== entry.hash) {
        return broken(
          row.seq,
          'altered',
          `entry #${row.seq} was altered: its hash does not match its content`,
        );
      }
      prevHash = entry.hash;
      expectedSeq += 1;
    }
    const issued = this.highestIssuedSeq();
    if (issued >= expectedSeq) {
      return broken(
        expectedSeq,
        'truncated',
        `entries #${expectedSeq}–#${issued} are missing from the end of the log`,
      );
    }
    return {
      ok: true,
      entries,
      headSeq: expectedSeq - 1,
      firstBadSeq: null,
      problemCode: null,
      problem: null,
      checkedAt,
    };
  }

  private highestIssuedSeq(): number {
    const row = this.db
      .prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'")
      .get();
    return row?.seq ?? 0;
  }
}

function fromRow(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    details: JSON.parse(row.details) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
