import { z } from 'zod';
import { MEDIA_KINDS, type MediaKind } from '../contract';

/**
 * A recorder profile: how to recognise a model of recorder and read it. Profiles are data
 * (resources/recorders/*.json), so a unit can add a model without a new release.
 */

const hex16 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{4}$/, 'a 16-bit id written as 0xNNNN')
  .transform((v) => Number.parseInt(v, 16));

/** A regular expression given as a string; checked to compile when the profile loads. */
const regexSource = z.string().refine((source) => {
  try {
    new RegExp(source, 'u');
    return true;
  } catch {
    // Refused by the schema with its message below.
    return false;
  }
}, 'not a valid regular expression');

/**
 * A path inside the recorder's volume, written with `/`. Never absolute and never climbing out
 * with `..`: a profile is data a unit may add, and nothing it names may reach outside the volume.
 */
export const volumePathSchema = z
  .string()
  .min(1)
  .refine(
    (path) => isSafeVolumePath(path),
    'a relative path inside the volume (no "..", no "/" at the start, no "\\")',
  );

export function isSafeVolumePath(path: string): boolean {
  if (path.length === 0 || path.length > 255) return false;
  if (path.startsWith('/') || path.includes('\\') || /^[A-Za-z]:/.test(path)) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(path)) return false;
  return path.split('/').every((part) => part !== '..' && part !== '');
}

/** Where the recorder's serial number can be read, tried in order. */
const serialSource = z.discriminatedUnion('source', [
  z.object({ source: z.literal('usb-serial') }).strict(),
  z.object({ source: z.literal('driver') }).strict(),
  /** The `serial` named group of the file-name pattern, from the first media file that has one. */
  z.object({ source: z.literal('file-name') }).strict(),
  z.object({ source: z.literal('volume-label'), pattern: regexSource }).strict(),
  z
    .object({ source: z.literal('marker-file'), path: z.string().min(1), pattern: regexSource })
    .strict(),
]);

const clockSync = z.discriminatedUnion('method', [
  z.object({ method: z.literal('none') }).strict(),
  /** The recorder reads a time file from its volume root at boot. */
  z
    .object({
      method: z.literal('time-file'),
      path: volumePathSchema,
      /** Tokens: YYYY MM DD HH mm ss, in the station's local time. */
      format: z.string().min(1),
    })
    .strict(),
  /** Set over the Ambarella bulk protocol (@Sdt / @Stm). */
  z.object({ method: z.literal('amba-bulk') }).strict(),
]);

export const recorderProfileSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'id: lower-case letters, digits, hyphens'),
    name: z.object({ 'zh-CN': z.string().min(1), en: z.string().min(1) }).strict(),
    /** What the recorder is, for the production-method label (rule D-LABEL). */
    deviceKind: z.enum(['body-camera', 'audio-recorder', 'camera', 'handheld-terminal']),
    driver: z.enum(['mass-storage', 'amba-bulk']),
    match: z
      .object({
        usb: z.array(z.object({ vendorId: hex16, productId: hex16 }).strict()).default([]),
        volumeLabel: regexSource.optional(),
        /** Paths (relative to the volume root) that must all exist. */
        markerFiles: z.array(volumePathSchema).default([]),
      })
      .strict()
      .refine(
        (m) => m.usb.length > 0 || m.volumeLabel !== undefined || m.markerFiles.length > 0,
        'a profile must match on USB ids, a volume label or marker files',
      ),
    /** Folders (relative to the volume root) that hold media; searched recursively. */
    mediaFolders: z.array(volumePathSchema).min(1),
    mediaKinds: z
      .object({
        video: z.array(z.string()).default([]),
        audio: z.array(z.string()).default([]),
        photo: z.array(z.string()).default([]),
      })
      .strict(),
    fileName: z
      .object({
        /** Matched against the base name; named groups: serial, badge, start, sequence. */
        pattern: regexSource,
        /** Tokens of the `start` group: YYYY MM DD HH mm ss (recorder local time). */
        startFormat: z.string().default('YYYYMMDDHHmmss'),
      })
      .strict()
      .optional(),
    serialFrom: z.array(serialSource).default([]),
    clockSync: clockSync.default({ method: 'none' }),
  })
  .strict();

export type RecorderProfile = z.output<typeof recorderProfileSchema>;
export type RecorderProfileInput = z.input<typeof recorderProfileSchema>;

/** Extension → media kind for a profile (lower-case, without the dot). */
export function mediaKindOf(profile: RecorderProfile, fileName: string): MediaKind | undefined {
  const dot = fileName.lastIndexOf('.');
  if (dot < 0) return undefined;
  const extension = fileName.slice(dot + 1).toLowerCase();
  return MEDIA_KINDS.find((kind) =>
    profile.mediaKinds[kind].some((e) => e.toLowerCase() === extension),
  );
}
