import { z } from 'zod';
import { OPTIONAL_LABEL_FIELDS } from './filing';

/** A unit's case-number format: a pattern and an example that shows it to a person. */
export const caseNumberFormatSchema = z
  .object({
    pattern: z.string().min(1).max(500),
    example: z.string().trim().min(1).max(64),
  })
  .strict();
/** D-ARCHIVE: days from a case's close to its archive-by date (30; 60 in some units). */
export const archiveDaysSchema = z.number().int().min(1).max(366);
/** D-LATE-START: hours an emergency case has to be approved (24; 48 in some units). */
export const lateApprovalHoursSchema = z.number().int().min(1).max(168);
/** D-RETAIN: years footage is kept. */
export const retentionYearsSchema = z.number().int().min(1).max(100);
import { badgeSchema } from './types';

/** A recorder serial as printed on the device or reported by it. */
export const serialSchema = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/,
    'serial: 2–64 letters, digits, dots, hyphens or underscores',
  );

export const mediaKindSchema = z.enum(['video', 'audio', 'photo']);
export const timeSourceSchema = z.enum(['container', 'file-name', 'file-time']);
export const clockOffsetSourceSchema = z.enum(['driver', 'estimate']);

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
  identifiedBy: z.enum(['assigned', 'badge-pin', 'card', 'cli']).nullable(),
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
   * must register it first (D-NO-LEAK); `ignored`: not a recorder, never read. */
  state: z.enum(['recorder', 'unregistered', 'ignored']),
  profileId: z.string().nullable(),
  serial: z.string().nullable(),
  dockingId: z.number().int().nullable(),
  /** Why the station could not go further with it (no serial readable, a driver that failed). */
  problem: z.string().nullable(),
});
export type DockedVolume = z.infer<typeof dockedVolumeSchema>;

export const clipSchema = z.object({
  id: z.number().int(),
  recorderSerial: z.string(),
  dockingId: z.number().int(),
  originalPath: z.string(),
  size: z.number().int(),
  kind: mediaKindSchema,
  sha256: z.string(),
  sm3: z.string().nullable(),
  status: z.literal('verified'),
  archivePath: z.string(),
  officerBadge: z.string().nullable(),
  sequence: z.number().int().nullable(),
  recordedStart: z.string().nullable(),
  recordedStartSource: timeSourceSchema.nullable(),
  recordedEnd: z.string().nullable(),
  recordedEndSource: timeSourceSchema.nullable(),
  durationMs: z.number().int().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  codec: z.string().nullable(),
  custodyAt: z.string(),
  /** D-24H: custody more than 24 h after the recording ended. */
  lateCustody: z.boolean(),
  clockOffsetMs: z.number().int().nullable(),
  clockOffsetSource: clockOffsetSourceSchema.nullable(),
  hasThumbnail: z.boolean(),
});
export type Clip = z.infer<typeof clipSchema>;

export const registerRecorderSchema = z
  .object({
    serial: serialSchema,
    profileId: z.string().min(1).max(64),
    officerBadge: badgeSchema.nullable(),
    /** The docked volume this serial is for, when the volume could not tell its own. */
    mountpoint: z.string().min(1).max(4096).optional(),
  })
  .strict();

/** A short numeric PIN for confirming oneself at the dock (with one's badge). */
export const pinSchema = z.string().regex(/^\d{4,8}$/, 'PIN: 4–8 digits');

/** An IC card number as the dock's reader types it. */
export const cardNumberSchema = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z]{4,32}$/, 'card number: 4–32 letters or digits');

export const identifyOfficerSchema = z
  .object({
    dockingId: z.number().int().positive(),
    badge: badgeSchema,
    pin: pinSchema,
  })
  .strict();

/** The unit policy as anyone who may read it sees it: the recorder password only as set or not. */
export const unitPolicyViewSchema = z.object({
  clearAfterIngest: z.boolean(),
  hashes: z.array(z.enum(['sha256', 'sm3'])),
  copyConcurrencyPerDisk: z.number().int(),
  continuityGapSeconds: z.number().int(),
  continuityOverlapSeconds: z.number().int(),
  ambaPasswordSet: z.boolean(),
  cardReader: z.object({ vendorId: z.number().int(), productId: z.number().int() }).nullable(),
  labelRequiredFields: z.array(z.enum(OPTIONAL_LABEL_FIELDS)),
  caseNumberFormat: caseNumberFormatSchema,
  archiveDays: z.number().int(),
  lateApprovalHours: z.number().int(),
  retentionDailyYears: z.number().int(),
  retentionCaseFileYears: z.number().int(),
});
export type UnitPolicyView = z.infer<typeof unitPolicyViewSchema>;

/** One change to the unit policy (rule D-CUSTODIAN: custodians run the archive). */
export const policyChangeSchema = z.discriminatedUnion('key', [
  z.object({ key: z.literal('clearAfterIngest'), value: z.boolean() }).strict(),
  z
    .object({
      key: z.literal('hashes'),
      value: z.union([
        z.tuple([z.literal('sha256')]),
        z.tuple([z.literal('sha256'), z.literal('sm3')]),
      ]),
    })
    .strict(),
  z
    .object({ key: z.literal('copyConcurrencyPerDisk'), value: z.number().int().min(1).max(16) })
    .strict(),
  z
    .object({ key: z.literal('continuityGapSeconds'), value: z.number().int().min(1).max(86_400) })
    .strict(),
  z
    .object({
      key: z.literal('continuityOverlapSeconds'),
      value: z.number().int().min(0).max(3_600),
    })
    .strict(),
  z
    .object({ key: z.literal('ambaPassword'), value: z.string().min(1).max(64).nullable() })
    .strict(),
  z
    .object({
      key: z.literal('cardReader'),
      value: z
        .object({
          vendorId: z.number().int().min(0).max(0xffff),
          productId: z.number().int().min(0).max(0xffff),
        })
        .strict()
        .nullable(),
    })
    .strict(),
  z
    .object({
      key: z.literal('labelRequiredFields'),
      value: z.array(z.enum(OPTIONAL_LABEL_FIELDS)).max(OPTIONAL_LABEL_FIELDS.length),
    })
    .strict(),
  z.object({ key: z.literal('caseNumberFormat'), value: caseNumberFormatSchema }).strict(),
  z.object({ key: z.literal('archiveDays'), value: archiveDaysSchema }).strict(),
  z.object({ key: z.literal('lateApprovalHours'), value: lateApprovalHoursSchema }).strict(),
  z.object({ key: z.literal('retentionDailyYears'), value: retentionYearsSchema }).strict(),
  z.object({ key: z.literal('retentionCaseFileYears'), value: retentionYearsSchema }).strict(),
]);
export type PolicyChange = z.infer<typeof policyChangeSchema>;
