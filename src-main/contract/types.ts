import { z } from 'zod';
import { ROLES } from './roles';

/** Badge / enforcement-certificate number: what officers type at the dock. */
export const badgeSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9-]{2,32}$/, 'badge: 2–32 letters, digits or hyphens');

export const personNameSchema = z.string().trim().min(1, 'name is required').max(64);

/** Long enough to resist guessing at a shared workstation; lockout handles the rest. */
export const newPasswordSchema = z
  .string()
  .min(8, 'password: at least 8 characters')
  .max(256, 'password: at most 256 characters');

/** A password being checked is never length-validated beyond sanity, so old ones keep working. */
export const passwordSchema = z.string().min(1, 'password is required').max(256);

export const roleSchema = z.enum(ROLES);

export const userSchema = z.object({
  badge: z.string(),
  name: z.string(),
  role: roleSchema,
  disabled: z.boolean(),
  createdAt: z.string(),
  /** ISO time until which logins are refused after repeated failures, or null. */
  lockedUntil: z.string().nullable(),
  /** Whether the user has a PIN for confirming themselves at the dock (never the PIN). */
  pinSet: z.boolean(),
  /** The IC card the dock's reader knows them by, if one is registered. */
  cardNumber: z.string().nullable(),
});
export type User = z.infer<typeof userSchema>;

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

export const sessionInfoSchema = z.object({
  token: z.string(),
  user: userSchema,
  /** The UI locks and the station ends the session after this long without activity. */
  idleTimeoutSeconds: z.number().int().positive(),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;
