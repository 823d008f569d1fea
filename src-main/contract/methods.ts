import { z } from 'zod';
import {
  auditEntrySchema,
  badgeSchema,
  chainVerificationSchema,
  newPasswordSchema,
  passwordSchema,
  personNameSchema,
  roleSchema,
  sessionInfoSchema,
  userSchema,
} from './types';

import { DOCKING_METHODS } from './docking-methods';
import { FILING_METHODS } from './filing-methods';
import { empty, method } from './method-spec';

const FOUNDATION_METHODS = {
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

/** Every RPC method the station serves. Nothing else is callable. */
export const METHODS = { ...FOUNDATION_METHODS, ...DOCKING_METHODS, ...FILING_METHODS } as const;

export type MethodName = keyof typeof METHODS;
export type MethodInput<M extends MethodName> = z.input<(typeof METHODS)[M]['input']>;
export type MethodParams<M extends MethodName> = z.output<(typeof METHODS)[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<(typeof METHODS)[M]['output']>;

export const METHOD_NAMES = Object.keys(METHODS) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(METHODS, name);
}
