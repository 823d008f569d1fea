import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { MediaKind } from '../../contract';
import { fileUrl, mediaToolPath, runMediaTool } from './tools';

/** Wide enough for the Dock screen's clip list, small enough to keep thousands. */
const THUMBNAIL_WIDTH = 320;
const THUMBNAIL_TIMEOUT_MS = 30_000;
/** A 320 px JPEG is tens of kilobytes; anything bigger than this is not our thumbnail. */
const MAX_THUMBNAIL_BYTES = 4 * 1024 * 1024;

/**
 * A JPEG about 320 px wide of a video frame about 1 s in (the first frame of a shorter clip, since
 * the first frame of a recording is often black) or of a photo. Written to a temporary file and
 * renamed, so a reader never sees half a thumbnail. False for audio and whenever ffmpeg cannot make
 * one: a thumbnail is a convenience, never a reason for an ingest to fail.
 */
export async function makeThumbnail(
  archivedFile: string,
  outFile: string,
  kind: MediaKind,
): Promise<boolean> {
  if (kind === 'audio') return false;
  const ffmpeg = mediaToolPath('ffmpeg');
  if (ffmpeg === null) return false;
  const target = resolve(outFile);
  const temp = join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.partial`,
  );
  try {
    await mkdir(dirname(target), { recursive: true });
    const seeks = kind === 'video' ? [['-ss', '1'], []] : [[]];
    for (const seek of seeks) {
      const run = await runMediaTool(
        ffmpeg,
        [
          '-hide_banner',
          '-nostdin',
          '-loglevel',
          'error',
          '-y',
          '-protocol_whitelist',
          'file',
          ...seek,
          '-i',
          fileUrl(resolve(archivedFile)),
          '-map',
          '0:v:0',
          '-frames:v',
          '1',
          '-vf',
          `scale=${THUMBNAIL_WIDTH}:-2`,
          '-q:v',
          '5',
          // One thread: thumbnails are made while other recorders are copied.
          '-threads',
          '1',
          '-f',
          'mjpeg',
          fileUrl(temp),
        ],
        { timeoutMs: THUMBNAIL_TIMEOUT_MS, maxStdoutBytes: 64 * 1024 },
      );
      // Seeking past the end of a short clip "succeeds" with an empty file: try the first frame.
      if (run.ok && (await isCompleteJpeg(temp))) {
        await rename(temp, target);
        return true;
      }
    }
    return false;
  } catch {
    // No thumbnail: the UI shows the clip's kind instead; the clip itself is untouched.
    return false;
  } finally {
    // A temporary left behind in the thumbnails folder is overwritten at the next attempt.
    await rm(temp, { force: true }).catch(() => undefined);
  }
}

/** Starts with SOI, ends with EOI, and is on disk (fsynced) before it is renamed into place. */
async function isCompleteJpeg(file: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'r+');
    const { size } = await handle.stat();
    if (size < 4 || size > MAX_THUMBNAIL_BYTES) return false;
    const head = Buffer.alloc(3);
    const tail = Buffer.alloc(2);
    await handle.read(head, 0, 3, 0);
    await handle.read(tail, 0, 2, size - 2);
    if (head[0] !== 0xff || head[1] !== 0xd8 || head[2] !== 0xff) return false;
    if (tail[0] !== 0xff || tail[1] !== 0xd9) return false;
    await handle.sync();
    return true;
  } catch {
    // Not written: no thumbnail, which the UI shows as the clip's kind.
    return false;
  } finally {
    // Written and flushed already, or failed with its own error.
    await handle?.close().catch(() => undefined);
  }
}
