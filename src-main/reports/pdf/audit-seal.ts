// D-NO-TAMPER on paper: every page of the report carries the fingerprints of the keys the station
// signs its audit checkpoints with, and its last checkpoint. A printed report is a copy of them
// that no one at the station can edit afterwards: a supervisor compares it with the audit screen,
// with `evidock audit verify` and with the checkpoint log kept elsewhere.
import { fingerprintGroups, type AuditSeal } from '../../contract';
import { formatTimestamp, type ReportStrings } from '../report-strings';

/** The seal as label and value pairs: a CSV row each, a footer line each on every PDF page. */
export function sealFields(seal: AuditSeal, s: ReportStrings): [string, string][] {
  const keys: [string, string][] =
    seal.keys === null
      ? [[s.auditSeal, s.keysUnavailable]]
      : [
          [s.sm2Fingerprint, fingerprintGroups(seal.keys.sm2.sha256)],
          [s.ed25519Fingerprint, fingerprintGroups(seal.keys.ed25519.sha256)],
        ];
  const last = seal.lastCheckpoint;
  return [
    ...keys,
    [
      s.lastCheckpoint,
      last === null
        ? s.noCheckpoint
        : `${s.checkpointSealed(last.seq, last.headSeq, formatTimestamp(last.at))}${s.listSeparator}${s.entryHash} ${last.headHash}`,
    ],
  ];
}
