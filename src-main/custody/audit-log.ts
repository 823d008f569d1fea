import type { Catalogue, CatalogueWrite } from '../catalogue/catalogue';
import type { AuditQuery } from '../catalogue/audit-entries';
import type { LabelRecord } from '../catalogue/labels';
import type { AuditAction, AuditEntry, ChainVerification } from '../contract';
import { auditEntryFor, clipOfEntry, type Viewer } from '../domain';
import { entryHash, GENESIS_HASH, parsedEntry as parsed } from './audit-chain';
import { verifyAuditChain } from './audit-verify';
import { canonicalJson } from './canonical';
import { CHECKPOINT_EVERY, type AuditCheckpoints } from './checkpoints';

export { entryHash, GENESIS_HASH } from './audit-chain';

/** The actor recorded for what the program does on its own (start, stop, migrations). */
export const STATION_ACTOR = 'station';

export interface AuditRecord {
  actor: string;
  action: AuditAction;
  subject: string;
  details?: Record<string, unknown>;
}

/** The clips these entries are about. */
function clipsOf(entries: readonly AuditEntry[]): number[] {
  const ids = entries.map(clipOfEntry).filter((id): id is number => id !== null);
  return [...new Set(ids)];
}

/** The sequence number the next entry appended in `tx` takes: past every number ever issued. */
export function nextEntrySeq(tx: CatalogueWrite, head = tx.audit.head()): number {
  return Math.max(head?.seq ?? 0, tx.audit.highestIssuedSeq()) + 1;
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
    /**
     * The signed checkpoints that seal the chain (the station always has them; a log without,
     * in a test, is the bare hash chain).
     */
    private readonly checkpoints?: AuditCheckpoints,
  ) {}

  onAppended(listener: (entry: AuditEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Appends an entry in the caller's transaction. */
  append(tx: CatalogueWrite, record: AuditRecord): AuditEntry {
    const head = tx.audit.head();
    const unsigned = {
      seq: nextEntrySeq(tx, head),
      at: this.now().toISOString(),
      actor: record.actor,
      action: record.action,
      subject: record.subject,
      details: record.details ?? {},
      prevHash: head?.hash ?? GENESIS_HASH,
    };
    const entry: AuditEntry = { ...unsigned, hash: entryHash(unsigned) };
    tx.audit.insert({ ...entry, details: canonicalJson(entry.details) });
    // Every hundredth entry is sealed with it: no entry makes it into the chain past an
    // unsigned hundredth (keys that cannot sign refuse the entry instead).
    if (this.checkpoints !== undefined && entry.seq % CHECKPOINT_EVERY === 0) {
      this.checkpoints.sealIn(tx, entry, 'entries');
    }
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
      labels ??= this.catalogue.labels.forClips(clipsOf(page.entries));
      return labels.get(id)?.confidentiality ?? 'none';
    };
    return {
      total: page.total,
      entries: page.entries.map((entry) => auditEntryFor(viewer, entry, confidentiality)),
    };
  }

  /** One entry as `viewer` may read it (a pushed event): the same rule as `listFor`. */
  entryFor(viewer: Viewer, entry: AuditEntry): AuditEntry {
    return auditEntryFor(viewer, entry, (id) => this.catalogue.labels.confidentialityOf(id));
  }

  /** The history of one subject (`case:…`, `clip:…`), newest first. */
  listBySubject(subject: string, limit = 200): AuditEntry[] {
    return this.catalogue.audit.listBySubject(subject, limit).map(parsed);
  }

  /**
   * Walks the whole chain and holds it to every signed checkpoint (see verifyAuditChain): names
   * an altered, removed or out-of-place entry, a cut tail, a rewritten middle, and damage to the
   * checkpoints and keys themselves.
   */
  verify(): ChainVerification {
    return verifyAuditChain(
      this.catalogue,
      this.checkpoints?.sources ?? null,
      this.now().toISOString(),
    );
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
