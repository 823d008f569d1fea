import { z } from 'zod';
import { empty, method } from './method-spec';
import { ROLES, type Role } from './roles';

/** Users, sessions and the credentials officers present at the dock. */

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

/** Why a dock PIN was cleared, so the person is told why they must set one again. */
export const PIN_CLEARED_REASONS = [
  /** PINs became six digits; a stored hash does not tell how long its PIN was. */
  'six-digit-pins',
  /** An admin reset the password: whoever knew the PIN must not keep it either. */
  'password-reset',
] as const;
export type PinClearedReason = (typeof PIN_CLEARED_REASONS)[number];

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
  /** Why the station cleared their PIN, until they set a new one; null otherwise. */
  pinCleared: z.enum(PIN_CLEARED_REASONS).nullable(),
  /**
   * The IC card the dock's reader knows them by, masked (`••••5678`): the number is a credential
   * at the dock, so no answer carries it whole.
   */
  cardMasked: z.string().nullable(),
});
export type User = z.infer<typeof userSchema>;

export const sessionInfoSchema = z.object({
  token: z.string(),
  user: userSchema,
  /** The UI locks and the station ends the session after this long without activity. */
  idleTimeoutSeconds: z.number().int().positive(),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

/**
 * The PIN for confirming oneself at the dock (with one's badge): six digits, as the national
 * recorder standard's device passwords. Guesses are limited by the sign-in lock.
 */
export const pinSchema = z.string().regex(/^\d{6}$/, 'PIN: 6 digits');

/** An IC card number as the dock's reader types it. */
export const cardNumberSchema = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z]{4,32}$/, 'card number: 4–32 letters or digits');

/**
 * Roles that take two people to grant (separation of duties, D-CUSTODIAN, D-SUPERVISION): the
 * ones that see footage. An admin asks; a custodian other than that admin and the person named
 * confirms.
 */
export const GRANTED_ROLES = ['custodian', 'supervisor'] as const;
export type GrantedRole = (typeof GRANTED_ROLES)[number];

export function isGrantedRole(role: Role): role is GrantedRole {
  return (GRANTED_ROLES as readonly Role[]).includes(role);
}

export const GRANT_STATUSES = [
  /** Asked for, not yet decided: the role is not held. */
  'pending',
  'confirmed',
  'rejected',
  /** A station's first custodian, whom nobody could confirm. */
  'bootstrap',
  /** Held before this rule came to the station. */
  'held-before',
] as const;
export type GrantStatus = (typeof GRANT_STATUSES)[number];

/** A request for a custodian or supervisor role: a new account, or a change of role. */
export const roleGrantSchema = z.object({
  id: z.number().int().positive(),
  badge: z.string(),
  name: z.string(),
  role: z.enum(GRANTED_ROLES),
  /** The role held when asked; null for a new account (which does not exist until confirmed). */
  previousRole: roleSchema.nullable(),
  status: z.enum(GRANT_STATUSES),
  requestedBy: z.string(),
  requestedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
});
export type RoleGrant = z.infer<typeof roleGrantSchema>;

const grantIdSchema = z.object({ id: z.number().int().positive() }).strict();

export const ACCOUNT_METHODS = {
  'station.info': method(
    'public',
    empty,
    z.object({
      product: z.literal('evidock'),
      version: z.string(),
      setupRequired: z.boolean(),
      idleTimeoutSeconds: z.number().int().positive(),
    }),
    false,
  ),
  'setup.createAdmin': method(
    'public',
    z.object({ badge: badgeSchema, name: personNameSchema, password: newPasswordSchema }).strict(),
    sessionInfoSchema,
    true,
  ),
  'auth.login': method(
    'public',
    z.object({ badge: badgeSchema, password: passwordSchema }).strict(),
    sessionInfoSchema,
    true,
  ),
  'auth.logout': method('session', empty, z.object({}), true),
  'auth.whoami': method(
    'session',
    empty,
    z.object({ user: userSchema, idleTimeoutSeconds: z.number().int().positive() }),
    false,
  ),
  'auth.changePassword': method(
    'session',
    z.object({ currentPassword: passwordSchema, newPassword: newPasswordSchema }).strict(),
    z.object({}),
    true,
  ),
  /** One's own dock PIN, set with one's password. */
  'auth.setPin': method(
    'session',
    z.object({ currentPassword: passwordSchema, pin: pinSchema }).strict(),
    z.object({}),
    true,
  ),
  'users.list': method('users.read', empty, z.object({ users: z.array(userSchema) }), false),
  /**
   * A custodian or supervisor account waits for a custodian's confirmation: `user` is null and
   * `grant` pending until then (a station's first custodian is added at once, `bootstrap`).
   */
  'users.add': method(
    'users.manage',
    z
      .object({
        badge: badgeSchema,
        name: personNameSchema,
        role: roleSchema,
        password: newPasswordSchema,
      })
      .strict(),
    z.object({ user: userSchema.nullable(), grant: roleGrantSchema.nullable() }),
    true,
  ),
  /** A change to custodian or supervisor waits for a custodian: `user` keeps the old role. */
  'users.setRole': method(
    'users.manage',
    z.object({ badge: badgeSchema, role: roleSchema }).strict(),
    z.object({ user: userSchema, grant: roleGrantSchema.nullable() }),
    true,
  ),
  /** The custodian and supervisor roles waiting for a custodian's confirmation. */
  'users.grants.list': method(
    'grants.read',
    empty,
    z.object({ grants: z.array(roleGrantSchema) }),
    false,
  ),
  'users.grants.confirm': method(
    'grants.decide',
    grantIdSchema,
    z.object({ user: userSchema, grant: roleGrantSchema }),
    true,
  ),
  'users.grants.reject': method(
    'grants.decide',
    grantIdSchema,
    z.object({ grant: roleGrantSchema }),
    true,
  ),
  'users.disable': method(
    'users.manage',
    z.object({ badge: badgeSchema }).strict(),
    z.object({ user: userSchema }),
    true,
  ),
  'users.enable': method(
    'users.manage',
    z.object({ badge: badgeSchema }).strict(),
    z.object({ user: userSchema }),
    true,
  ),
  'users.resetPassword': method(
    'users.manage',
    z.object({ badge: badgeSchema, newPassword: newPasswordSchema }).strict(),
    z.object({ user: userSchema }),
    true,
  ),
  'users.setCard': method(
    'users.manage',
    z.object({ badge: badgeSchema, cardNumber: cardNumberSchema.nullable() }).strict(),
    z.object({ user: userSchema }),
    true,
  ),
} as const;
