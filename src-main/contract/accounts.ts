import { z } from 'zod';
import { empty, method } from './method-spec';
import { ROLES } from './roles';

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

export const sessionInfoSchema = z.object({
  token: z.string(),
  user: userSchema,
  /** The UI locks and the station ends the session after this long without activity. */
  idleTimeoutSeconds: z.number().int().positive(),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

/** A short numeric PIN for confirming oneself at the dock (with one's badge). */
export const pinSchema = z.string().regex(/^\d{4,8}$/, 'PIN: 4–8 digits');

/** An IC card number as the dock's reader types it. */
export const cardNumberSchema = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z]{4,32}$/, 'card number: 4–32 letters or digits');

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
    z.object({ user: userSchema }),
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
