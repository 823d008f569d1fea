// The bench's clip set: real MP4 files made by ffmpeg (H.264 + AAC, the container's creation_time
// set), big enough that copying, hashing and reading back dominate. Lossless H.264 of a noisy test
// pattern is quick to encode yet as incompressible as camera footage, so the zram recorder holds
// its full size. Made once and kept under test-output/bench/footage/ for the next run.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { footageFfmpeg } from '../support/footage';

const run = promisify(execFile);

export interface BenchClip {
  /** Where the clip sits on the recorder's volume, `/`-separated. */
  relPath: string;
  /** The cached file on this machine. */
  file: string;
  bytes: number;
  sha256: string;
}

export interface FootageSet {
  clips: BenchClip[];
  bytes: number;
  /** How the clips were made, in a few words. */
  recipe: string;
}

/**
 * Frames of each clip at 30 fps: 1.7 to 3.3 s, about 64 to 128 MiB, 1.1 GiB in all. Mixed
 * sizes in a mixed order, as a shift's recordings are: clips copied side by side differ.
 */
const FRAMES = [62, 90, 51, 77, 98, 68, 85, 55, 94, 72, 59, 81];
const RATE = 30;
const SIZE = '1280x720';
/** Temporal noise on the pattern: this much makes ~1.3 MiB a frame, as incompressible as footage. */
const NOISE = 50;
/**
 * A keyframe a second, as recorders write: the thumbnail (a frame 1 s in) then decodes one frame,
 * costing about what it costs on camera footage rather than a second of lossless video.
 */
const GOP = 30;
const FIRST_RECORDING = Date.parse('2026-11-22T05:00:00Z');
const MIN_TOTAL = 1 << 30;

const RECIPE =
  `H.264 lossless ${SIZE} ${RATE} fps, a keyframe every ${GOP}, noise ${NOISE}, + AAC; ` +
  `${Math.min(...FRAMES)} to ${Math.max(...FRAMES)} frames`;
/** What the cache was made with; any change makes it again. */
const CACHE_KEY = `${RECIPE}: ${FRAMES.join(' ')}`;

interface Manifest {
  key: string;
  clips: Omit<BenchClip, 'file'>[];
}

/** The set, made now or read from the cache in `dir`. */
export async function benchFootage(dir: string): Promise<FootageSet> {
  const cached = readCache(dir);
  if (cached) return cached;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const clips: BenchClip[] = [];
  for (const [i, frames] of FRAMES.entries()) {
    const name = `VID${String(i + 1).padStart(5, '0')}.MP4`;
    const file = join(dir, name);
    await encode(file, i + 1, frames);
    clips.push({
      relPath: `DCIM/100MEDIA/${name}`,
      file,
      bytes: statSync(file).size,
      sha256: await sha256File(file),
    });
  }
  const set = { clips, bytes: sum(clips), recipe: RECIPE };
  if (set.bytes < MIN_TOTAL) {
    throw new Error(`the footage came out at ${set.bytes} bytes, under 1 GiB: add frames`);
  }
  const manifest: Manifest = {
    key: CACHE_KEY,
    clips: clips.map(({ relPath, bytes, sha256 }) => ({ relPath, bytes, sha256 })),
  };
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return set;
}

function readCache(dir: string): FootageSet | null {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) return null;
  try {
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
    if (manifest.key !== CACHE_KEY) return null;
    const clips = manifest.clips.map((c) => ({
      ...c,
      file: join(dir, c.relPath.split('/').pop()!),
    }));
    // Sizes only: hashing 1 GiB on every start would cost more than the check is worth.
    if (!clips.every((c) => existsSync(c.file) && statSync(c.file).size === c.bytes)) return null;
    return { clips, bytes: sum(clips), recipe: RECIPE };
  } catch {
    return null;
  }
}

/** Clip `index`: its own noise seed, tone and creation time, so no two clips are identical. */
async function encode(out: string, index: number, frames: number): Promise<void> {
  const created = new Date(FIRST_RECORDING + (index - 1) * 60_000).toISOString();
  const seconds = frames / RATE;
  await run(
    footageFfmpeg(),
    [
      ...['-v', 'error', '-nostdin', '-y'],
      ...['-f', 'lavfi', '-i', `testsrc2=size=${SIZE}:rate=${RATE}:duration=${seconds}`],
      ...['-f', 'lavfi', '-i', `sine=frequency=${300 + index * 20}:duration=${seconds}`],
      ...['-vf', `noise=alls=${NOISE}:allf=t+u:all_seed=${index}`],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '0', '-g', String(GOP)],
      ...['-pix_fmt', 'yuv420p'],
      ...['-frames:v', String(frames), '-c:a', 'aac', '-shortest'],
      ...['-metadata', `creation_time=${created}`],
      out,
    ],
    { maxBuffer: 1 << 20 },
  );
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path, { highWaterMark: 4 << 20 })
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

function sum(clips: readonly BenchClip[]): number {
  return clips.reduce((total, c) => total + c.bytes, 0);
}

/** The set dealt into `parts` recorders holding about the same bytes (largest clip first). */
export function dealt(clips: readonly BenchClip[], parts: number): BenchClip[][] {
  const hands: BenchClip[][] = Array.from({ length: parts }, () => []);
  const bytes = (hand: BenchClip[]) => sum(hand);
  for (const clip of [...clips].sort((a, b) => b.bytes - a.bytes)) {
    hands.reduce((lightest, hand) => (bytes(hand) < bytes(lightest) ? hand : lightest)).push(clip);
  }
  // Each recorder keeps its clips in the set's order, as they were recorded.
  return hands.map((hand) => clips.filter((clip) => hand.includes(clip)));
}
