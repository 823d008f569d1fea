import type { TimeSource } from '../catalogue/clips';
import type { MediaKind, RecorderProfile } from '../devices/profile';

/** What a clip says about itself (container, file name, file times), each time with its source. */
export interface MediaFacts {
  recordedStart: string | null;
  recordedStartSource: TimeSource | null;
  recordedEnd: string | null;
  recordedEndSource: TimeSource | null;
  durationMs: number | null;
  width: number | null;
  height: number | null;
  codec: string | null;
  sequence: number | null;
  badge: string | null;
  serial: string | null;
}

export interface MediaFactsContext {
  profile: RecorderProfile;
  originalName: string;
  /** Modification time on the recorder, written by the recorder's clock. */
  mtime: Date;
  kind: MediaKind;
}

/** Reads the facts of a proven staging copy; must not throw for a clip it cannot parse. */
export type ReadMediaFacts = (file: string, context: MediaFactsContext) => Promise<MediaFacts>;

/** Writes a JPEG of an archived clip; false when there is none (audio, unreadable). */
export type MakeThumbnail = (
  archivedFile: string,
  outFile: string,
  kind: MediaKind,
) => Promise<boolean>;

/**
 * The floor: only the file's modification time, which recorders set when they close a file, so
 * it is the end of the recording (the start of a photo too).
 */
export const fileTimeFacts: ReadMediaFacts = async (_file, context) => {
  const valid = Number.isFinite(context.mtime.getTime());
  const end = valid ? context.mtime.toISOString() : null;
  const photo = context.kind === 'photo';
  return {
    recordedStart: photo ? end : null,
    recordedStartSource: photo && end !== null ? 'file-time' : null,
    recordedEnd: end,
    recordedEndSource: end === null ? null : 'file-time',
    durationMs: null,
    width: null,
    height: null,
    codec: null,
    sequence: null,
    badge: null,
    serial: null,
  };
};

export const noThumbnail: MakeThumbnail = async () => false;
