// One timed evidock run: a fresh station (catalogue + archive) in `dataDir`, the real IngestEngine
// with its worker threads, media facts and thumbnails, every docked recorder ingested at once.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeThumbnail, readMediaFacts } from '../../src-main/ingest/media';
import type { MakeThumbnail } from '../../src-main/ingest/media';
import type { DockedRecorder } from '../support/dock-recorder';
import {
  loadProfile,
  openTestEngine,
  registerRecorder,
  testStation,
} from '../support/ingest-station';
import { sha256File, type BenchClip } from './footage-set';
import { onInterrupt } from './interrupt';
import { measure, type Measured } from './measure';

export interface EvidockRun extends Measured {
  /** Thumbnails the engine had made by the time every docking was done (they count). */
  thumbnailsBeforeDone: number;
  /** How much longer the remaining thumbnails took after that (not counted). */
  thumbnailSecondsAfter: number;
}

export interface Docked {
  recorder: DockedRecorder;
  clips: BenchClip[];
}

export async function evidockRun(
  docked: readonly Docked[],
  dataDir: string,
  workerScript: string,
): Promise<EvidockRun> {
  mkdirSync(dataDir, { recursive: true });
  const station = testStation(dataDir);
  const profile = loadProfile('generic-dcim');
  const archived: { archivePath: string; sha256: string }[] = [];
  let made = 0;
  // The engine's own thumbnailer, only counted: when they are made is the engine's business.
  const counted: MakeThumbnail = async (...args) => {
    const result = await makeThumbnail(...args);
    made += 1;
    return result;
  };
  let run: EvidockRun;
  try {
    for (const { recorder } of docked) registerRecorder(station.catalogue, recorder.label);
    // The product's defaults, not openTestEngine's stand-ins: ffprobe facts, ffmpeg thumbnails.
    const engine = await openTestEngine(station, {
      workerScript,
      readMediaFacts,
      makeThumbnail: counted,
    });
    const forget = onInterrupt(() => engine.close());
    try {
      const { value: results, ...measured } = await measure(() =>
        Promise.all(
          docked.map(
            ({ recorder }) =>
              engine.ingest({
                mountpoint: recorder.mountpoint,
                recorderSerial: recorder.label,
                profile,
              }).done,
          ),
        ),
      );
      const thumbnailsBeforeDone = made;
      const after = await measure(() => engine.thumbnailsSettled());
      run = { ...measured, thumbnailsBeforeDone, thumbnailSecondsAfter: after.seconds };
      results.forEach((result, i) => {
        const { recorder, clips } = docked[i]!;
        if (result.status !== 'complete' || !result.safeToUndock) {
          throw new Error(
            `evidock: ${recorder.label} ended ${result.status}, safe to undock: ${result.safeToUndock} (${result.error?.message ?? 'no error'})`,
          );
        }
        const byPath = new Map(result.clips.map((c) => [c.originalPath, c]));
        for (const clip of clips) {
          const got = byPath.get(clip.relPath);
          if (got?.outcome !== 'archived' || got.clip.sha256 !== clip.sha256) {
            throw new Error(`evidock: ${clip.relPath} was not archived with its SHA-256`);
          }
          archived.push({ archivePath: got.clip.archivePath, sha256: clip.sha256 });
        }
      });
    } finally {
      forget();
      await engine.close();
    }
  } finally {
    station.close();
  }
  // The catalogue's word is not enough: the archive itself must hold the bytes.
  for (const { archivePath, sha256 } of archived) {
    const got = await sha256File(join(dataDir, ...archivePath.split('/')));
    if (got !== sha256) throw new Error(`evidock: ${archivePath} in the archive hashes to ${got}`);
  }
  return run;
}
