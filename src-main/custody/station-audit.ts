import type { Catalogue } from '../catalogue/catalogue';
import { AuditLog, nextEntrySeq, STATION_ACTOR } from './audit-log';
import { AuditCheckpoints, KEYS_CREATED_ACTION } from './checkpoints';

export interface StationAuditOptions {
  dataDir: string;
  catalogue: Catalogue;
  now: () => Date;
  onError: (message: string, error: unknown) => void;
  /** Where something an operator must look into is said (keys made after history). */
  onWarning?: (message: string, details: Record<string, unknown>) => void;
  /**
   * False only to read and verify the audit log of a station whose keys cannot be used: it opens,
   * and signs nothing (an entry that needs a checkpoint is refused).
   */
  requireKeys: boolean;
}

/**
 * The station's audit log with its signed checkpoints (rule D-NO-TAMPER). Keys made at this start
 * are recorded in the chain with their fingerprints and sealed at once, so the history from
 * before them (a catalogue from an earlier version) is under a signature from the first start on.
 * Throws KEYS_UNUSABLE when the keys are required and cannot be used.
 */
export function openStationAudit(options: StationAuditOptions): {
  audit: AuditLog;
  checkpoints: AuditCheckpoints;
} {
  const { catalogue, now } = options;
  const checkpoints = AuditCheckpoints.open(options);
  if (options.requireKeys) checkpoints.requireKeys();
  const audit = new AuditLog(
    catalogue,
    now,
    (error) => options.onError('an audit listener failed', error),
    checkpoints,
  );
  audit.onAppended(() => checkpoints.noteAppended());
  if (checkpoints.keysCreated) {
    const entry = catalogue.write((tx) => {
      const keys = checkpoints.requireKeys();
      const next = nextEntrySeq(tx);
      const entry = audit.append(tx, {
        actor: STATION_ACTOR,
        action: KEYS_CREATED_ACTION,
        subject: 'station',
        // The public keys themselves, not only their fingerprints: the chain (sealed by the
        // checkpoints) says which keys are the station's, whatever keys/ holds later. Keys made
        // over entries already there say so: nothing sealed those as they were written (a
        // catalogue from a version without keys, or history rewritten and its keys deleted).
        details: {
          fingerprints: keys.fingerprints,
          publicKeys: keys.spki,
          ...(next > 1 ? { unsealedBefore: next } : {}),
        },
      });
      // The hundredth entry is sealed by its append already.
      if (tx.checkpoints.newest()?.headSeq !== entry.seq) {
        checkpoints.sealIn(tx, entry, 'keys-created');
      }
      return entry;
    });
    if (entry.seq > 1) {
      options.onWarning?.(
        `the station's signing keys were made just now, after ${entry.seq - 1} audit entries written before these keys existed: no checkpoint sealed those entries as they were written. Expected once, on the first start after an upgrade from a version without keys; otherwise the keys, the checkpoints and the checkpoint log may have been deleted to rewrite history (D-NO-TAMPER)`,
        { keysSeq: entry.seq, unsealedFrom: 1, unsealedTo: entry.seq - 1 },
      );
    }
  }
  return { audit, checkpoints };
}
