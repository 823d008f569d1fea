import { z } from 'zod';
import { badgeSchema } from './accounts';
import { empty, method } from './method-spec';

/** Registered recorders (D-CUSTODIAN, D-NO-LEAK) and the recorder models the station knows. */

/** A recorder serial as printed on the device or reported by it. */
export const serialSchema = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/,
    'serial: 2–64 letters, digits, dots, hyphens or underscores',
  );

export const profileSummarySchema = z.object({
  id: z.string(),
  name: z.object({ 'zh-CN': z.string(), en: z.string() }),
  deviceKind: z.string(),
  driver: z.string(),
});
export type ProfileSummary = z.infer<typeof profileSummarySchema>;

export const recorderSchema = z.object({
  serial: z.string(),
  profileId: z.string(),
  officerBadge: z.string().nullable(),
  officerName: z.string().nullable(),
  registeredBy: z.string(),
  registeredAt: z.string(),
  retiredAt: z.string().nullable(),
});
export type Recorder = z.infer<typeof recorderSchema>;

export const registerRecorderSchema = z
  .object({
    serial: serialSchema,
    profileId: z.string().min(1).max(64),
    officerBadge: badgeSchema.nullable(),
    /** The docked volume this serial is for, when the volume could not tell its own. */
    mountpoint: z.string().min(1).max(4096).optional(),
  })
  .strict();

export const RECORDER_METHODS = {
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
} as const;
