import { z } from 'zod';

/** What a clip is and where its recorded times came from (D-MEDIA, D-24H). */

/** D-MEDIA: photos, audio and video, whatever device made them. */
export const MEDIA_KINDS = ['video', 'audio', 'photo'] as const;
export const mediaKindSchema = z.enum(MEDIA_KINDS);
export type MediaKind = (typeof MEDIA_KINDS)[number];

/** Where a recorded time came from, best first. */
export const TIME_SOURCES = ['container', 'file-name', 'file-time'] as const;
export const timeSourceSchema = z.enum(TIME_SOURCES);
export type TimeSource = (typeof TIME_SOURCES)[number];

/** How a recorder's clock offset is known: told by its driver, or estimated from file times. */
export const CLOCK_OFFSET_SOURCES = ['driver', 'estimate'] as const;
export const clockOffsetSourceSchema = z.enum(CLOCK_OFFSET_SOURCES);
export type ClockOffsetSource = (typeof CLOCK_OFFSET_SOURCES)[number];

/** What a clip says about itself (container, file name, file times), each time with its source. */
export const mediaFactsSchema = z.object({
  /** ISO-8601 UTC, as the recorder's clock had it (not corrected by any clock offset). */
  recordedStart: z.string().nullable(),
  recordedStartSource: timeSourceSchema.nullable(),
  recordedEnd: z.string().nullable(),
  recordedEndSource: timeSourceSchema.nullable(),
  durationMs: z.number().int().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  codec: z.string().nullable(),
  sequence: z.number().int().nullable(),
  badge: z.string().nullable(),
  serial: z.string().nullable(),
});
export type MediaFacts = z.infer<typeof mediaFactsSchema>;
