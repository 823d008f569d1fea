import type { MediaFacts, MediaKind, TimeSource } from '../../contract';
import type { RecorderProfile } from '../../devices/profile';
import { readExifCaptureMs } from './exif';
import { fileNameFacts } from './file-name';
import { readContainerFacts } from './iso-bmff';
import { CHINA_STANDARD_TIME_OFFSET_MINUTES, plausible } from './local-time';
import { probeMedia } from './probe';

export interface MediaFactsContext {
  profile: RecorderProfile;
  /** The name on the recorder (a path inside its volume is fine: only the base name is matched). */
  originalName: string;
  /** The file's modification time on the recorder, written by the recorder's clock. */
  mtime: Date;
  kind: MediaKind;
  /** The recorder's local zone for times written without one; default China Standard Time. */
  timeZoneOffsetMinutes?: number;
}

interface Stamp {
  ms: number;
  source: TimeSource;
}

/**
 * The facts of one clip. Times come from the container (MP4/MOV `mvhd`; EXIF for photos), else
 * from the profile's file-name pattern, else from the file's mtime, and each says which. Never
 * throws: a clip whose facts cannot be read is still evidence and is ingested with nulls.
 */
export async function readMediaFacts(
  file: string,
  context: MediaFactsContext,
): Promise<MediaFacts> {
  const offset = context.timeZoneOffsetMinutes ?? CHINA_STANDARD_TIME_OFFSET_MINUTES;
  const named = fileNameFacts(context.profile, context.originalName, offset);
  const mtimeMs = plausible(context.mtime.getTime());
  const [container, probe] = await Promise.all([
    context.kind === 'photo'
      ? readExifCaptureMs(file, offset).then((ms) => ({ creationMs: ms, durationMs: null }))
      : readContainerFacts(file),
    // ffprobe is a second opinion on duration and frame size: the container's facts stand alone.
    probeMedia(file, context.kind).catch(() => null),
  ]);
  const durationMs = context.kind === 'photo' ? null : (probe?.durationMs ?? container.durationMs);

  const start: Stamp | null =
    container.creationMs !== null
      ? { ms: container.creationMs, source: 'container' }
      : named.startMs !== null
        ? { ms: named.startMs, source: 'file-name' }
        : null;

  let recordedStart: Stamp | null;
  let recordedEnd: Stamp | null;
  if (context.kind === 'photo') {
    // A photo is an instant: it starts and ends when it was taken.
    const taken = start ?? (mtimeMs === null ? null : { ms: mtimeMs, source: 'file-time' });
    recordedStart = taken;
    recordedEnd = taken;
  } else if (start !== null) {
    recordedStart = start;
    recordedEnd =
      durationMs !== null
        ? { ms: start.ms + durationMs, source: start.source }
        : // The recorder closes the file when it stops recording, so mtime is the end.
          mtimeMs !== null && mtimeMs >= start.ms
          ? { ms: mtimeMs, source: 'file-time' }
          : null;
  } else {
    recordedEnd = mtimeMs === null ? null : { ms: mtimeMs, source: 'file-time' };
    recordedStart =
      recordedEnd !== null && durationMs !== null
        ? { ms: recordedEnd.ms - durationMs, source: 'file-time' }
        : null;
  }

  return {
    recordedStart: iso(recordedStart),
    recordedStartSource: recordedStart?.source ?? null,
    recordedEnd: iso(recordedEnd),
    recordedEndSource: recordedEnd?.source ?? null,
    durationMs,
    width: probe?.width ?? null,
    height: probe?.height ?? null,
    codec: probe?.codec ?? null,
    sequence: named.sequence,
    badge: named.badge,
    serial: named.serial,
  };
}

function iso(stamp: Stamp | null): string | null {
  return stamp === null ? null : new Date(stamp.ms).toISOString();
}
