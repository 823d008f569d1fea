import { resolve } from 'node:path';
import type { MediaKind } from '../../contract';
import { fileUrl, mediaToolPath, runMediaTool } from './tools';

/** What ffprobe says about a clip's streams. */
export interface ProbeFacts {
  durationMs: number | null;
  width: number | null;
  height: number | null;
  codec: string | null;
}

/** ffprobe reads headers (seeking to a trailing moov); 20 s is slow storage, not a big file. */
const PROBE_TIMEOUT_MS = 20_000;
/** Its JSON for a clip is a few kilobytes; more means something is wrong with the file. */
const PROBE_MAX_OUTPUT = 1024 * 1024;

/** Duration, resolution and codec of the clip's main stream; null when ffprobe cannot tell. */
export async function probeMedia(file: string, kind: MediaKind): Promise<ProbeFacts | null> {
  const ffprobe = mediaToolPath('ffprobe');
  if (ffprobe === null) return null;
  const run = await runMediaTool(
    ffprobe,
    [
      '-v',
      'error',
      '-hide_banner',
      // A clip is a file; it may not make ffprobe open anything else (playlists, references).
      '-protocol_whitelist',
      'file',
      '-print_format',
      'json',
      '-show_format',
      '-show_streams',
      '-i',
      fileUrl(resolve(file)),
    ],
    { timeoutMs: PROBE_TIMEOUT_MS, maxStdoutBytes: PROBE_MAX_OUTPUT },
  );
  if (!run.ok) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(run.stdout.toString('utf8'));
  } catch {
    // ffprobe said something that is not JSON: no facts from it, the container's stand.
    return null;
  }
  return probeFacts(parsed, kind);
}

type Json = Record<string, unknown>;

function probeFacts(output: unknown, kind: MediaKind): ProbeFacts | null {
  if (!isObject(output)) return null;
  const streams = Array.isArray(output.streams) ? output.streams.filter(isObject) : [];
  const format = isObject(output.format) ? output.format : {};
  const isCoverArt = (s: Json) => isObject(s.disposition) && s.disposition.attached_pic === 1;
  const video = streams.find((s) => s.codec_type === 'video' && !isCoverArt(s));
  const audio = streams.find((s) => s.codec_type === 'audio');
  const picture = kind === 'audio' ? undefined : video;
  const main = kind === 'audio' ? audio : (video ?? (kind === 'video' ? audio : undefined));
  if (main === undefined && kind === 'photo') return null;
  return {
    // A photo has no duration; image demuxers report one frame's worth.
    durationMs:
      kind === 'photo' ? null : (seconds(format.duration) ?? seconds(main?.duration) ?? null),
    width: positiveInteger(picture?.width),
    height: positiveInteger(picture?.height),
    codec: typeof main?.codec_name === 'string' ? main.codec_name : null,
  };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function seconds(value: unknown): number | null {
  const n = typeof value === 'string' ? Number.parseFloat(value) : NaN;
  return Number.isFinite(n) && n > 0 ? Math.round(n * 1000) : null;
}

function positiveInteger(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;
}
