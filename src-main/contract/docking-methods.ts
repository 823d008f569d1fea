import { z } from 'zod';
import {
  cardNumberSchema,
  clipSchema,
  dockedVolumeSchema,
  dockingSchema,
  identifyOfficerSchema,
  pinSchema,
  policyChangeSchema,
  profileSummarySchema,
  recorderSchema,
  registerRecorderSchema,
  serialSchema,
  unitPolicyViewSchema,
} from './docking';
import { empty, method } from './method-spec';
import { badgeSchema, passwordSchema, userSchema } from './types';

/** Docking and ingest: recorders, what is plugged in, dockings and their clips. */
export const DOCKING_METHODS = {
  'recorders.profiles': method(
    'session',
    empty,
    z.object({ profiles: z.array(profileSummarySchema) }),
    false,
  ),
  'recorders.list': method(
    'recorders.read',
    empty,
    z.object({ recorders: z.array(recorderSchema) }),
    false,
  ),
  'recorders.register': method(
    'recorders.manage',
    registerRecorderSchema,
    z.object({ recorder: recorderSchema }),
    true,
  ),
  'recorders.retire': method(
    'recorders.manage',
    z.object({ serial: serialSchema }).strict(),
    z.object({ recorder: recorderSchema }),
    true,
  ),
  'dock.status': method(
    'session',
    empty,
    z.object({ volumes: z.array(dockedVolumeSchema), dockings: z.array(dockingSchema) }),
    false,
  ),
  /** The officer at the dock confirms who they are (badge + PIN); the docking's clips are theirs. */
  'dock.identify': method(
    'session',
    identifyOfficerSchema,
    z.object({ docking: dockingSchema }),
    true,
  ),
  'clips.list': method(
    'clips.read',
    z
      .object({
        recorderSerial: serialSchema.optional(),
        dockingId: z.number().int().positive().optional(),
        since: z.string().datetime({ offset: true }).optional(),
        limit: z.number().int().min(1).max(1000).default(200),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    z.object({ clips: z.array(clipSchema), total: z.number().int() }),
    false,
  ),
  'clips.thumbnail': method(
    'clips.read',
    z.object({ id: z.number().int().positive() }).strict(),
    z.object({ mime: z.literal('image/jpeg'), base64: z.string() }).nullable(),
    false,
  ),
  'policy.get': method('policy.read', empty, z.object({ policy: unitPolicyViewSchema }), false),
  'policy.set': method(
    'policy.manage',
    policyChangeSchema,
    z.object({ policy: unitPolicyViewSchema }),
    true,
  ),
  /** One's own dock PIN, set with one's password. */
  'auth.setPin': method(
    'session',
    z.object({ currentPassword: passwordSchema, pin: pinSchema }).strict(),
    z.object({}),
    true,
  ),
  'users.setCard': method(
    'users.manage',
    z.object({ badge: badgeSchema, cardNumber: cardNumberSchema.nullable() }).strict(),
    z.object({ user: userSchema }),
    true,
  ),
} as const;
