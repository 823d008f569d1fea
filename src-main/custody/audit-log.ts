import { createHash } from 'node:crypto';
import type { Catalogue, CatalogueWrite } from '../catalogue/catalogue';
import type { AuditQuery, StoredAuditEntry } from '../catalogue/audit-entries';
import type { LabelRecord } from '../catalogue/labels';
import type { AuditAction, AuditEntry, ChainProblem, ChainVerification } from '../contract';
import { auditEntryFor, clipOfEntry, type Viewer } from '../domain';
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

/** SHA-256 over the canonical encoding of every field but the hash itself. */
export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  const { seq, at, actor, action, subject, details, prevHash } = entry;
  return createHash('sha256')
    .update(canonicalJson({ seq, at, actor, action, subject, details, prevHash }), 'utf8')
    .digest('hex');
}

/** The clips whose labelling these entries record. */
function labelledClips(entries: readonly AuditEntry[]): number[] {
  const ids = entries
    .filter((e) => e.action === 'clip.labelled')
    .map(clipOfEntry)
    .filter((id): id is number => id !== null);
  return [...new Set(ids)];
}

function parsed(stored: StoredAuditEntry): AuditEntry {
  return { ...stored, details: JSON.parse(stored.details) as Record<string, unknown> };
}

/**
 * The append-only, hash-chained audit log (rules D-NO-TAMPER, D-SUPERVISION).
 *
 * An entry is appended in the transaction of the change it records, so the two commit together
 * or not at all. Listeners hear of an entry only once it is committed.
 */
export class AuditLog {
  private readonly listeners = new Set<(entry: AuditEntry) => void>();

  constructor(
    private readonly catalogue: Catalogue,
    private readonly now: () => Date = () => new Date(),
    /** Where a listener's failure is reported: it must not undo or hide a committed entry. */
    private readonly onListenerError: (error: unknown) => void = () => {},
  ) {}

  onAppended(listener: (entry: AuditEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Appends an entry in the caller's transaction. */
  append(tx: CatalogueWrite, record: AuditRecord): AuditEntry {
    const head = tx.audit.head();
    const issued = tx.audit.highestIssuedSeq();
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
    tx.audit.insert({ ...entry, details: canonicalJson(entry.details) });
    tx.afterCommit(() => this.announce(entry));
    return entry;
  }

  /** Appends an entry in a transaction of its own (or the one open now). */
  record(record: AuditRecord): AuditEntry {
    return this.catalogue.write((tx) => this.append(tx, record));
  }

  list(query: AuditQuery): { entries: AuditEntry[]; total: number } {
    const page = this.catalogue.audit.list(query);
    return { entries: page.entries.map(parsed), total: page.total };
  }

  /** A page of the log as `viewer` may read it (see `auditEntryFor`). */
  listFor(viewer: Viewer, query: AuditQuery): { entries: AuditEntry[]; total: number } {
    const page = this.list(query);
    // Asked of the catalogue only once auditEntryFor needs a clip's confidentiality, which it
    // alone decides: for most viewers and pages it never does.
    let labels: Map<number, LabelRecord> | undefined;
    const confidentiality = (id: number) => {
      labels ??= this.catalogue.labels.forClips(labelledClips(page.entries));
      return labels.get(id)?.confidentiality ?? 'none';
    };
    return {
      total: page.total,
      entries: page.entries.map((entry) => auditEntryFor(viewer, entry, confidentiality)),
    };
  }

  /** One entry as `viewer` may read it (a pushed event). */
  entryFor(viewer: Viewer, entry: AuditEntry): AuditEntry {
    return auditEntryFor(viewer, entry, (id) => this.catalogue.labels.confidentialityOf(id));
  }

  /** The history of one subject (`case:…`, `clip:…`), newest first. */
  listBySubject(subject: string, limit = 200): AuditEntry[] {
    return this.catalogue.audit.listBySubject(subject, limit).map(parsed);
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

    for (const stored of this.catalogue.audit.inOrder()) {
      entries += 1;
      if (stored.seq !== expectedSeq) {
        return broken(
          expectedSeq,
          'missing',
          `entry #${expectedSeq} is missing (next found: #${stored.seq})`,
        );
      }
      let entry: AuditEntry;
      try {
        entry = parsed(stored);
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
        return broken(stored.seq, 'unreadable', `entry #${stored.seq} has unreadable details`);
      }
      if (entry.prevHash !== prevHash) {
        return broken(
          stored.seq,
          'unlinked',
          `entry #${stored.seq} does not link to entry #${stored.seq - 1}`,
        );
      }
      if (entryHash(entry) !== entry.hash) {
        return broken(
          stored.seq,
          'altered',
          `entry #${stored.seq} was altered: its hash does not match its content`,
        );
      }
      prevHash = entry.hash;
      expectedSeq += 1;
    }
    const issued = this.catalogue.audit.highestIssuedSeq();
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

  private announce(entry: AuditEntry): void {
    for (const listener of this.listeners) {
      try {
        listener(entry);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}
