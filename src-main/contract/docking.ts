import { z } from 'zod';
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
  clockOffsetMs: z.number().int().nullable(),
  clockOffsetSource: clockOffsetSourceSchema.nullable(),
  clockSetAt: z.string().nullable(),
  lateCustodyClips: z.number().int(),
  findings: z.array(findingSchema),
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
  })
  .strict();
