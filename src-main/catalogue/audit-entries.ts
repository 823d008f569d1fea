import type { AuditEntry } from '../contract';
import type { Sql } from './sql';

/** Which audit entries a page shows: newest first, filtered by action and actor. */
export interface AuditQuery {
  beforeSeq?: number | undefined;
  limit: number;
  action?: string | undefined;
  actor?: string | undefined;
}

/** A row of audit_log as SQLite stores it. */
export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details: string;
  prev_hash: string;
  hash: string;
}

/** An entry as stored: `details` is the canonical JSON its hash was taken over. */
export interface StoredAuditEntry extends Omit<AuditEntry, 'details'> {
  details: string;
}

function fromRow(row: AuditRow): StoredAuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * The audit_log table. The hash chain itself (how an entry is hashed and how the chain is
 * checked) is custody's; this is only where the entries are kept. The table refuses updates and
 * deletes by trigger.
 */
export class AuditEntryReads {
  constructor(protected readonly sql: Sql) {}

  /** The newest entry, or undefined in an empty log. */
  head(): { seq: number; hash: string } | undefined {
    return this.sql
      .read<[], { seq: number; hash: string }>(
        'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
      )
      .get();
  }

  /** The highest sequence number ever issued, even for entries removed since. */
  highestIssuedSeq(): number {
    const row = this.sql
      .read<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'")
      .get();
    return row?.seq ?? 0;
  }

  list(query: AuditQuery): { entries: StoredAuditEntry[]; total: number } {
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
    const total = this.sql
      .read<Record<string, unknown>, { n: number }>(`SELECT count(*) AS n FROM audit_log ${filter}`)
      .get(params)!.n;
    const page = [...where];
    if (query.beforeSeq !== undefined) {
      page.push('seq < @beforeSeq');
      params.beforeSeq = query.beforeSeq;
    }
    const rows = this.sql
      .read<Record<string, unknown>, AuditRow>(
        `SELECT * FROM audit_log ${page.length ? `WHERE ${page.join(' AND ')}` : ''}
         ORDER BY seq DESC LIMIT @limit`,
      )
      .all({ ...params, limit: query.limit });
    return { entries: rows.map(fromRow), total };
  }

  /** The newest entry recording `action`, or undefined if none does. */
  newestOf(action: string): StoredAuditEntry | undefined {
    const row = this.sql
      .read<[string], AuditRow>(
        'SELECT * FROM audit_log WHERE action = ? ORDER BY seq DESC LIMIT 1',
      )
      .get(action);
    return row === undefined ? undefined : fromRow(row);
  }

  /** The history of one subject (`case:…`, `clip:…`), newest first. */
  listBySubject(subject: string, limit = 200): StoredAuditEntry[] {
    return this.sql
      .read<[string, number], AuditRow>(
        'SELECT * FROM audit_log WHERE subject = ? ORDER BY seq DESC LIMIT ?',
      )
      .all(subject, limit)
      .map(fromRow);
  }

  /** The entries numbered `fromSeq` through `throughSeq`, in order, as stored. */
  range(fromSeq: number, throughSeq: number): StoredAuditEntry[] {
    return this.sql
      .read<[number, number], AuditRow>(
        'SELECT * FROM audit_log WHERE seq >= ? AND seq <= ? ORDER BY seq',
      )
      .all(fromSeq, throughSeq)
      .map(fromRow);
  }

  /** Every entry in sequence order, one at a time (the chain check walks them all). */
  *inOrder(): Generator<StoredAuditEntry> {
    const rows = this.sql
      .read<[], AuditRow>('SELECT * FROM audit_log ORDER BY seq')
      .iterate() as IterableIterator<AuditRow>;
    for (const row of rows) yield fromRow(row);
  }
}

/** The audit_log table, appended to inside a catalogue transaction. */
export class AuditEntryRepository extends AuditEntryReads {
  /** Appends an entry whose hash the caller computed over exactly these fields. */
  insert(entry: StoredAuditEntry): void {
    this.sql
      .write(
        `INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash)
         VALUES (@seq, @at, @actor, @action, @subject, @details, @prevHash, @hash)`,
      )
      .run(entry);
  }
}
