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
  /** When the registration was bound to its device's facts; null until its next docking. */
  boundAt: z.string().nullable(),
});
export type Recorder = z.infer<typeof recorderSchema>;

/**
 * What a docking can tell of the device behind a recorder's volume, beyond what it says it is:
 * the USB device's ids and serial (where it hangs off USB), the file system's UUID, the capacity
 * in bytes. A registration is bound to them at its first docking, so that a volume that merely
 * carries a registered serial (a label, a marker file) is not taken for the recorder
 * (D-WHO-RECORDS, D-CUSTODIAN). Null: not known.
 */
export const RECORDER_FACTS = [
  'usbVendorId',
  'usbProductId',
  'usbSerial',
  'fsUuid',
  'capacity',
] as const;
export type RecorderFact = (typeof RECORDER_FACTS)[number];

export const recorderFactsSchema = z.object({
  usbVendorId: z.number().int().nullable(),
  usbProductId: z.number().int().nullable(),
  usbSerial: z.string().nullable(),
  fsUuid: z.string().nullable(),
  capacity: z.number().int().positive().nullable(),
});
export type RecorderFacts = z.infer<typeof recorderFactsSchema>;

/**
 * A volume naming a registered recorder whose facts differ from its binding: held, nothing on it
 * read, nothing cleared, until a custodian confirms (then it is ingested and the binding takes its
 * facts: a replaced memory card, say) or refuses it.
 */
export const lookalikeSchema = z.object({
  id: z.number().int(),
  recorderSerial: z.string(),
  /** Whose recorder it claims to be. */
  officerBadge: z.string().nullable(),
  officerName: z.string().nullable(),
  seenAt: z.string(),
  device: z.string(),
  mountpoint: z.string(),
  seen: recorderFactsSchema,
  bound: recorderFactsSchema,
  differs: z.array(z.enum(RECORDER_FACTS)),
  decision: z.enum(['confirmed', 'refused']).nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  reason: z.string().nullable(),
  /** The docking it was ingested as, once confirmed and ingested. */
  dockingId: z.number().int().nullable(),
  /** Whether the volume is docked now. */
  docked: z.boolean(),
});
export type Lookalike = z.infer<typeof lookalikeSchema>;

const lookalikeDecisionSchema = z
  .object({
    id: z.number().int().positive(),
    reason: z.string().trim().min(2, 'say why').max(500),
  })
  .strict();

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
  /** Look-alikes held for a custodian's decision, newest first. */
  'recorders.lookalikes': method(
    'recorders.read',
    empty,
    z.object({ lookalikes: z.array(lookalikeSchema) }),
    false,
  ),
  /**
   * A custodian confirms a held look-alike is the recorder (a replaced card, say): the binding
   * takes its facts and, if it is docked, it is ingested. Audited with the reason.
   */
  'recorders.confirmLookalike': method(
    'recorders.manage',
    lookalikeDecisionSchema,
    z.object({ lookalike: lookalikeSchema }),
    true,
  ),
  /** A custodian refuses a held look-alike: it is never read. Audited with the reason. */
  'recorders.refuseLookalike': method(
    'recorders.manage',
    lookalikeDecisionSchema,
    z.object({ lookalike: lookalikeSchema }),
    true,
  ),
} as const;
