import { z } from 'zod';
import { empty, method } from './method-spec';

/** The hash-chained audit log (D-NO-TAMPER, D-SUPERVISION): its entries and its check. */

export const auditEntrySchema = z.object({
  seq: z.number().int().positive(),
  at: z.string(),
  /** Badge of the acting user, or `station` for the program itself. */
  actor: z.string(),
  action: z.string(),
  subject: z.string(),
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** Why a chain check failed, as a stable code the UI translates. */
export const CHAIN_PROBLEMS = [
  // The chain against itself: each entry's hash and link.
  'missing',
  'unlinked',
  'altered',
  'unreadable',
  'truncated',
  // The chain against its signed checkpoints (catalogue and audit-checkpoints.log).
  /** A checkpoint seals an entry past the end of the chain: the newest entries were cut. */
  'tail-missing',
  /** The entry a checkpoint seals has another hash now: the chain before it was re-hashed. */
  'rewritten',
  /** A checkpoint names keys that are not the station's. */
  'foreign-key',
  /** A checkpoint names the station's keys but its signature does not verify: edited after signing. */
  'bad-signature',
  /** The checkpoints change keys part-way through the history. */
  'key-changed',
  /** The checkpoint log lacks checkpoints (a gap in its numbers, or ones the catalogue has). */
  'log-lines-lost',
  /** A line of the checkpoint log differs from the catalogue's checkpoint of that number. */
  'log-differs',
  'log-unreadable',
  /** Checkpoints were removed from the catalogue (the log or the chain shows they existed). */
  'table-cut',
  // The station's keys (<data-dir>/keys) themselves.
  'keys-missing',
  'keys-damaged',
  /** The keys in keys/ are not the ones the chain recorded when they were made. */
  'keys-replaced',
] as const;
export type ChainProblem = (typeof CHAIN_PROBLEMS)[number];

/** Why a checkpoint was sealed; `disc`: before a disc's custody record is written, to cover it. */
export const CHECKPOINT_REASONS = ['keys-created', 'entries', 'hourly', 'stop', 'disc'] as const;
export type CheckpointReason = (typeof CHECKPOINT_REASONS)[number];

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** Fingerprints of the station's public keys: digests of each key's SubjectPublicKeyInfo (DER). */
export const keyFingerprintsSchema = z.object({
  sm2: z.object({ sha256: sha256Hex, sm3: sha256Hex }),
  ed25519: z.object({ sha256: sha256Hex }),
});
export type KeyFingerprints = z.infer<typeof keyFingerprintsSchema>;

/** A fingerprint as people read it aloud and compare it: upper-case hex in groups of four. */
export function fingerprintGroups(hex: string): string {
  return (hex.toUpperCase().match(/.{1,4}/g) ?? []).join(' ');
}

/** A signed checkpoint of the chain: entry `headSeq`, whose hash was `headHash`, at `at`. */
export const checkpointSummarySchema = z.object({
  seq: z.number().int().positive(),
  headSeq: z.number().int().nonnegative(),
  headHash: z.string(),
  at: z.string(),
  /** One of CHECKPOINT_REASONS for a checkpoint the station signed; as stored otherwise. */
  reason: z.string(),
});
export type CheckpointSummary = z.infer<typeof checkpointSummarySchema>;

/** One kind of damage found, at an entry and/or a checkpoint, in English words for logs. */
export const chainFindingSchema = z.object({
  code: z.enum(CHAIN_PROBLEMS),
  entrySeq: z.number().int().positive().nullable(),
  checkpointSeq: z.number().int().positive().nullable(),
  message: z.string(),
});
export type ChainFinding = z.infer<typeof chainFindingSchema>;

/**
 * What a custodian or supervisor compares with a copy kept elsewhere (a printed report, a disc,
 * central storage): the fingerprints of the keys the station signs with and its last checkpoint.
 */
export const auditSealSchema = z.object({
  keys: keyFingerprintsSchema.nullable(),
  lastCheckpoint: checkpointSummarySchema.nullable(),
});
export type AuditSeal = z.infer<typeof auditSealSchema>;

/**
 * Every action the audit log records. Stored entries keep their action ids forever: add new
 * ones, never rename. The UI translates each (i18n `auditActions`).
 */
export const AUDIT_ACTIONS = [
  'catalogue.migrated',
  'station.started',
  'station.stopped',
  'setup.admin.created',
  'auth.login',
  'auth.login.failed',
  'auth.login.refused',
  'auth.locked',
  'auth.logout',
  'auth.password.changed',
  'auth.password.change.failed',
  'user.added',
  'user.disabled',
  'user.enabled',
  'user.password.reset',
  'settings.changed',
  'recorder.registered',
  'recorder.retired',
  'recorder.clock.set',
  'recorder.unregistered.docked',
  'volume.ignored',
  'docking.officer.identified',
  'docking.officer.refused',
  'docking.reattributed',
  'recorder.bound',
  'recorder.lookalike.held',
  'recorder.lookalike.confirmed',
  'recorder.lookalike.refused',
  'user.pin.set',
  'user.card.set',
  /** An admin's password reset cleared the dock PIN too. */
  'user.pin.cleared',
  /** Separation of duties: a custodian or supervisor role asked for, confirmed, rejected. */
  'user.role.requested',
  'user.role.confirmed',
  'user.role.rejected',
  /** A role changed at once (to officer or admin, or a station's first custodian). */
  'user.role.changed',
  /** A session's user typed too many wrong dock PINs: their PIN checks pause. */
  'auth.pin.checks.paused',
  'docking.started',
  'docking.finished',
  'clip.archived',
  'clip.sighted',
  'clip.recovered',
  'archive.quarantined',
  'recorder.file.deleted',
  'integrity.checked',
  'integrity.problem',
  /** The station's sweep began: on its schedule (`station`) or at a custodian's request. */
  'integrity.sweep.started',
  /** D-NO-TAMPER: a sweep found problems, or could not finish (an alarm for custodians). */
  'integrity.sweep.failed',
  'clip.labelled',
  'clip.custody.excepted',
  'clip.played',
  'docking.officer.done',
  'docking.labels.deferred',
  'case.created',
  'case.closed',
  'case.approved',
  'case.archived',
  'case.act.changed',
  'report.generated',
  'report.exported',
  'station.keys.created',
  /** Central-storage targets (D-24H): added, tested, changed, stopped by a failure, removed. */
  'forward.target.added',
  'forward.target.tested',
  'forward.target.changed',
  'forward.target.stopped',
  'forward.target.removed',
  /** Multipart uploads of the station's own prefix that nothing will finish: aborted. */
  'forward.uploads.aborted',
  /** D-NO-TAMPER: the copies on a target proven again (how many, how many read back whole). */
  'forward.remote.checked',
  /** D-NO-TAMPER: a clip proven on a target (size, hashes, ETag), held back, or found missing or different there. */
  'clip.forwarded',
  'clip.forward.failed',
  'clip.remote.problem',
  /** D-LONGTERM: a disc set planned; a disc burned and proven (or failed, or cut off); re-checked; handed over. */
  'disc.set.planned',
  'disc.set.staged',
  'disc.burned',
  'disc.burn.failed',
  'disc.burn.interrupted',
  'disc.checked',
  'disc.handed.over',
  'disc.label.printed',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * Entries the chain holds from before the station's keys were made: part of the chain, but no
 * checkpoint sealed them as they were written, so whoever wrote the data dir then could have
 * written anything (a station upgraded from a version without keys; or history rewritten, its
 * keys deleted and new ones made after it). Not a failure, since a station cannot tell the two
 * apart: a notice that is always shown.
 */
export const chainBeforeKeysSchema = z.object({
  fromSeq: z.number().int().positive(),
  toSeq: z.number().int().positive(),
  /** The entry that records the keys being made; null when the chain records none. */
  keysSeq: z.number().int().positive().nullable(),
  /** The same in English words, for logs and the CLI. */
  message: z.string(),
});
export type ChainBeforeKeys = z.infer<typeof chainBeforeKeysSchema>;

export const chainVerificationSchema = z.object({
  ok: z.boolean(),
  /** Entries examined. */
  entries: z.number().int().nonnegative(),
  /** Sequence number of the last entry found, 0 for an empty log. */
  headSeq: z.number().int().nonnegative(),
  /** The first sequence number whose entry is altered, missing or out of place. */
  firstBadSeq: z.number().int().positive().nullable(),
  problemCode: z.enum(CHAIN_PROBLEMS).nullable(),
  /** The same problem in English words, for logs and the CLI. */
  problem: z.string().nullable(),
  checkedAt: z.string(),
  /** Every kind of damage found, each named (the first is problemCode); empty when ok. */
  findings: z.array(chainFindingSchema),
  /** Findings left out of the list to keep it readable (the same kinds, further on). */
  findingsOmitted: z.number().int().nonnegative(),
  checkpoints: z.object({
    count: z.number().int().nonnegative(),
    last: checkpointSummarySchema.nullable(),
  }),
  /** The keys found in the station's keys folder, or null when they cannot be read. */
  keys: keyFingerprintsSchema.nullable(),
  /** Entries written before the station had its keys, whether the chain is intact or not. */
  beforeKeys: chainBeforeKeysSchema.nullable(),
});
export type ChainVerification = z.infer<typeof chainVerificationSchema>;

/** The station's signing keys as custodians and supervisors check them (audit.keys). */
export const stationKeysSchema = auditSealSchema.extend({
  /** The public keys as PEM (SubjectPublicKeyInfo), to check a checkpoint line by hand. */
  publicKeys: z.object({ sm2: z.string(), ed25519: z.string() }).nullable(),
  /** Why the keys cannot be used, when they cannot. */
  problem: chainFindingSchema.nullable(),
});
export type StationKeysView = z.infer<typeof stationKeysSchema>;

export const AUDIT_METHODS = {
  'audit.list': method(
    'audit.read',
    z
      .object({
        /** Page backwards from this sequence number (exclusive); newest first when absent. */
        beforeSeq: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(500).default(50),
        action: z.string().max(64).optional(),
        actor: z.string().max(64).optional(),
      })
      .strict(),
    z.object({ entries: z.array(auditEntrySchema), total: z.number().int().nonnegative() }),
    false,
  ),
  'audit.verify': method('audit.verify', empty, chainVerificationSchema, false),
  /** The keys the checkpoints are signed with, and the last checkpoint (custodians, supervisors). */
  'audit.keys': method('audit.verify', empty, stationKeysSchema, false),
} as const;
