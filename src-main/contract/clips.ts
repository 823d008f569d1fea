import { z } from 'zod';
import { findingSchema } from './dock';
import {
  clipSearchSchema,
  custodyExceptionSchema,
  filingSchema,
  LABEL_FIELDS,
  labelPatchSchema,
  labelTargetSchema,
} from './labels';
import { clockOffsetSourceSchema, mediaFactsSchema, mediaKindSchema } from './media';
import { deliverySchema, method } from './method-spec';
import { serialSchema } from './recorders';

/** Clips: proven copies in the archive, with their filing (D-LABEL, D-CONFIDENTIAL, D-NO-LEAK). */

/** A proven clip: its times, duration and frame are the facts it gave about itself. */
export const clipSchema = mediaFactsSchema.omit({ badge: true, serial: true }).extend({
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
  custodyAt: z.string(),
  /** D-24H: custody more than 24 h after the recording ended. */
  lateCustody: z.boolean(),
  clockOffsetMs: z.number().int().nullable(),
  clockOffsetSource: clockOffsetSourceSchema.nullable(),
  hasThumbnail: z.boolean(),
});
export type Clip = z.infer<typeof clipSchema>;

export const filedClipSchema = clipSchema.extend({ filing: filingSchema });
export type FiledClip = z.infer<typeof filedClipSchema>;

const clipId = z.number().int().positive();

export const CLIP_METHODS = {
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
  /** Where the UI fetches the clip's thumbnail from (a ticket, as for playback); null: none. */
  'clips.thumbnail': method(
    'clips.read',
    z.object({ id: z.number().int().positive() }).strict(),
    deliverySchema.nullable(),
    false,
  ),
  /** The clips browser (officers: their own clips only, D-NO-LEAK; D-CONFIDENTIAL applies). */
  'clips.search': method(
    'clips.read',
    clipSearchSchema,
    z.object({ total: z.number().int(), clips: z.array(filedClipSchema) }),
    false,
  ),
  'clips.get': method(
    'clips.read',
    z.object({ id: clipId }).strict(),
    z.object({ clip: filedClipSchema, findings: z.array(findingSchema) }),
    false,
  ),
  /** Labels clips in bulk; every change is audited with its before and after (D-LABEL). */
  'clips.label': method(
    'clips.label',
    z.object({ target: labelTargetSchema, set: labelPatchSchema }).strict(),
    z.object({
      updated: z.number().int(),
      labelled: z.number().int(),
      clips: z.array(
        z.object({
          id: z.number().int(),
          labelled: z.boolean(),
          missing: z.array(z.enum(LABEL_FIELDS)),
        }),
      ),
    }),
    true,
  ),
  /** D-24H: why custody came late, and when the officer was back at the unit. */
  'clips.custodyException': method(
    'clips.label',
    z
      .object({
        clipIds: z.array(clipId).min(1).max(5000),
        exception: custodyExceptionSchema,
      })
      .strict(),
    z.object({ clips: z.array(z.object({ id: z.number().int(), lateCustody: z.boolean() })) }),
    true,
  ),
  /** A short-lived address the UI plays the clip from, through the station (D-NO-LEAK). */
  'clips.play': method('clips.play', z.object({ id: clipId }).strict(), deliverySchema, true),
} as const;
