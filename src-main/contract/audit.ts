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
  'missing',
  'unlinked',
  'altered',
  'unreadable',
  'truncated',
] as const;
export type ChainProblem = (typeof CHAIN_PROBLEMS)[number];

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
  'docking.started',
  'docking.finished',
  'clip.archived',
  'clip.sighted',
  'clip.recovered',
  'archive.quarantined',
  'recorder.file.deleted',
  'integrity.checked',
  'integrity.problem',
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
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

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
});
export type ChainVerification = z.infer<typeof chainVerificationSchema>;

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
} as const;
