import type { MediaFacts, MediaKind } from '../../contract';
import type { MediaFactsContext } from './facts';

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
