import { z } from 'zod';
import { badgeSchema, pinSchema } from './accounts';
import { clockOffsetSourceSchema } from './media';
import { empty, method } from './method-spec';
import { lookalikeSchema } from './recorders';

/** The dock: what is plugged in, the dockings, their findings, and the officer at the dock. */

/**
 * How the officer of a docking is known: the recorder's assignment; confirmed at the dock (badge +
 * PIN, card) or by the command line's logged-in officer; or re-attributed by a custodian.
 */
export const IDENTIFIED_BY = ['assigned', 'badge-pin', 'card', 'cli', 'reattributed'] as const;
export type IdentifiedBy = (typeof IDENTIFIED_BY)[number];

/**
 * D-WHO-RECORDS: a docking whose officer is settled. Nobody confirms it again at the dock; only a
 * custodian re-attributes it.
 */
export function isOfficerConfirmed(docking: { identifiedBy: IdentifiedBy | null }): boolean {
  return docking.identifiedBy !== null && docking.identifiedBy !== 'assigned';
}

/**
 * Every finding code the station reports on a docking: what the walk refused, what could not be
 * proven, the rules checked (D-24H, D-CONTINUOUS), how the docking ended. One list, so the UI
 * explains each one and a new code cannot reach the screen unexplained.
 */
export const FINDING_CODES = [
  // The volume, as walked
  'invalid-utf8-name',
  'unsafe-name',
  'symlink',
  'special-file',
  'folder-loop',
  'too-deep',
  'too-many-files',
  'unreadable-folder',
  'media-folder-missing',
  'empty-file',
  'not-media',
  // Copying and proving
  'changed-during-copy',
  'read-error',
  'verify-mismatch',
  'copy-failed',
  'duplicate',
  'resumed',
  'renamed-in-archive',
  'media-facts-failed',
  'thumbnail-failed',
  // Rules checked at docking
  'late-custody',
  'sequence-gap',
  'sequence-reset',
  'timeline-gap',
  'timeline-overlap',
  'future-time',
  // The docking as a whole
  'volume-gone',
  'archive-full',
  'ingest-failed',
  // Clearing the recorder, setting its clock, the officer at the dock
  'clear-skipped',
  'clear-failed',
  'clock-set-failed',
  'officer-not-assigned',
  'docking-reattributed',
  'recorder-facts-changed',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

/** Something the station noticed: never silent (rules D-24H, D-CONTINUOUS, bad input). */
export const findingSchema = z.object({
  code: z.string(),
  message: z.string(),
  path: z.string().nullable(),
  clipId: z.number().int().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type Finding = z.infer<typeof findingSchema>;

export const DOCKING_PHASES = [
  'identifying',
  'planning',
  'copying',
  'verifying',
  'clearing',
  'complete',
  'interrupted',
  'failed',
] as const;
export const dockingPhaseSchema = z.enum(DOCKING_PHASES);
export type DockingPhase = z.infer<typeof dockingPhaseSchema>;

export const progressSchema = z.object({
  bytes: z.number().nonnegative(),
  total: z.number().nonnegative(),
  /** Bytes per second over the recent past. */
  rate: z.number().nonnegative(),
  /** Seconds left at the current rate, null while unknown. */
  eta: z.number().nonnegative().nullable(),
});
export type Progress = z.infer<typeof progressSchema>;

export const dockingSchema = z.object({
  id: z.number().int(),
  recorderSerial: z.string(),
  profileId: z.string(),
  officerBadge: z.string().nullable(),
  officerName: z.string().nullable(),
  identifiedBy: z.enum(IDENTIFIED_BY).nullable(),
  mountpoint: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  phase: dockingPhaseSchema,
  clipsPlanned: z.number().int(),
  clipsDone: z.number().int(),
  progress: progressSchema,
  /** The clips being copied or read back right now, each with its own figures. */
  clipsInFlight: z.array(
    progressSchema.extend({
      originalPath: z.string(),
      phase: z.enum(['copying', 'verifying', 'archiving']),
    }),
  ),
  clockOffsetMs: z.number().int().nullable(),
  clockOffsetSource: clockOffsetSourceSchema.nullable(),
  clockSetAt: z.string().nullable(),
  /** When the officer was confirmed at the dock (badge + PIN, card); null while only assigned. */
  identifiedAt: z.string().nullable(),
  lateCustodyClips: z.number().int(),
  /** The first findings, in the order found (a volume of 20,000 bad names is not sent whole). */
  findings: z.array(findingSchema),
  findingsTotal: z.number().int(),
  /** Clips of this docking with a thumbnail so far (they are made after the copies). */
  thumbnails: z.number().int(),
  /** True once every clip is proven (and, by policy, cleared): the officer may pull the recorder. */
  safeToUndock: z.boolean(),
  error: z.string().nullable(),
});
export type Docking = z.infer<typeof dockingSchema>;

/** A volume that is plugged in now, whatever it is. */
export const dockedVolumeSchema = z.object({
  device: z.string(),
  mountpoint: z.string(),
  label: z.string().nullable(),
  usb: z
    .object({
      vendorId: z.number().int(),
      productId: z.number().int(),
      serial: z.string().nullable(),
      manufacturer: z.string().nullable(),
      product: z.string().nullable(),
    })
    .nullable(),
  /** `recorder`: registered and being ingested; `unregistered`: looks like a recorder, a custodian
   * must register it first (D-NO-LEAK); `ignored`: not a recorder, never read; `busy`: another
   * officer's recorder, shown only as a bay in use: every fact but its device is withheld, its
   * docking id too, and its docking is not sent (D-NO-LEAK); `unclaimed`, to officers: a pool
   * recorder (issued to nobody) whose docking no officer has confirmed yet: the officer at the
   * dock who recorded on it confirms it as theirs (D-WHO-RECORDS), so it carries its docking id,
   * serial and model, and nothing of its footage. */
  state: z.enum(['recorder', 'unregistered', 'ignored', 'busy', 'unclaimed', 'held', 'refused']),
  profileId: z.string().nullable(),
  serial: z.string().nullable(),
  dockingId: z.number().int().nullable(),
  /** Why the station could not go further with it (no serial readable, a driver that failed). */
  problem: z.string().nullable(),
  /**
   * `held`: it names a registered recorder, but the device's facts differ from the ones the
   * registration is bound to: nothing on it is read until a custodian confirms it; `refused`: a
   * custodian refused it, it is never read (D-WHO-RECORDS). The look-alike, for these two, to
   * custodians and supervisors only, and never with the facts the recorder is bound to (`bound`
   * is all null here: it is on the custodians' `recorders.lookalikes` only); to everyone else such
   * a volume is a held bay with nothing that names it (D-NO-LEAK).
   */
  lookalike: lookalikeSchema.nullable(),
});
export type DockedVolume = z.infer<typeof dockedVolumeSchema>;

/**
 * The officer at the dock confirms a docking as theirs. They are the session's user: a badge, if
 * sent, must be theirs (D-WHO-RECORDS).
 */
export const identifyOfficerSchema = z
  .object({
    dockingId: z.number().int().positive(),
    badge: badgeSchema.optional(),
    pin: pinSchema,
  })
  .strict();

/** A custodian moves a docking to the officer who recorded it, and says why. */
export const reattributeDockingSchema = z
  .object({
    dockingId: z.number().int().positive(),
    /** The officer who recorded (D-WHO-RECORDS). */
    badge: badgeSchema,
    reason: z.string().trim().min(2, 'say why').max(500),
  })
  .strict();

export const DOCK_METHODS = {
  'dock.status': method(
    'session',
    empty,
    z.object({ volumes: z.array(dockedVolumeSchema), dockings: z.array(dockingSchema) }),
    false,
  ),
  /**
   * The officer at the dock confirms, with their PIN, that a docking nobody confirmed yet is
   * theirs; its clips become theirs. Officers only, as themselves (D-WHO-RECORDS); refusals are
   * audited under the session that tried.
   */
  'dock.identify': method(
    'session',
    identifyOfficerSchema,
    z.object({ docking: dockingSchema }),
    true,
  ),
  /**
   * A custodian re-attributes a finished docking, and its clips, to the officer who recorded it,
   * with a reason: audited under the custodian, recorded as a finding (D-WHO-RECORDS, D-CUSTODIAN).
   */
  'dock.reattribute': method(
    'recorders.manage',
    reattributeDockingSchema,
    z.object({ docking: dockingSchema }),
    true,
  ),
  /**
   * The officer is done at the dock. Refused while clips of theirs are unlabelled, unless they
   * defer with a reason (counted in reports).
   */
  'dock.finish': method(
    'clips.label',
    z
      .object({
        dockingId: z.number().int().positive(),
        deferReason: z.string().trim().min(2, 'say why').max(500).optional(),
      })
      .strict(),
    z.object({ unlabelled: z.number().int(), deferred: z.boolean() }),
    true,
  ),
} as const;
