import type { Catalogue } from '../catalogue/catalogue';
import { AuditLog, STATION_ACTOR } from './audit-log';
import { AuditCheckpoints, KEYS_CREATED_ACTION } from './checkpoints';

export interface StationAuditOptions {
  dataDir: string;
  catalogue: Catalogue;
  now: () => Date;
  onError: (message: string, error: unknown) => void;
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
    catalogue.write((tx) => {
      const keys = checkpoints.requireKeys();
      const entry = audit.append(tx, {
        actor: STATION_ACTOR,
        action: KEYS_CREATED_ACTION,
        subject: 'station',
        // The public keys themselves, not only their fingerprints: the chain (sealed by the
        // checkpoints) says which keys are the station's, whatever keys/ holds later.
        details: { fingerprints: keys.fingerprints, publicKeys: keys.spki },
      });
      // The hundredth entry is sealed by its append already.
      if (tx.checkpoints.newest()?.headSeq !== entry.seq) {
        checkpoints.sealIn(tx, entry, 'keys-created');
      }
    });
  }
  return { audit, checkpoints };
}
