import { rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  archiveFiles,
  hashFromDisk,
  makeFolderInside,
  readSidecar,
  resolveInside,
  SIDECAR_SUFFIX,
  writeSidecar,
} from '../archive';
import { placeVerified, PlacementError, type PlaceContext, type SidecarOfClip } from './place';

export const QUARANTINE_FOLDER = 'quarantine';

export interface RecoveryReport {
  /** Proven staging copies a crash left before the catalogue: placed now (archived or sighted). */
  placed: { archivePath: string | null; originalPath: string; outcome: string }[];
  /** Partial copies kept to resume when their recorder docks again (never counted). */
  keptForResume: number;
  /** Staging entries that could not be trusted and were removed (never counted). */
  discarded: { originalPath: string | null; reason: string }[];
  /** Archive files with a valid sidecar but no catalogue row: re-verified and catalogued. */
  catalogued: string[];
  /** Archive files that could not be proven: moved aside (never deleted), each audited. */
  quarantined: { archivePath: string; movedTo: string; reason: string }[];
  /** Dockings a stop cut short, now marked interrupted. */
  interruptedDockings: number[];
}

export interface RecoveryContext extends PlaceContext {
  /** Dockings being ingested right now by this process: not stale. */
  activeDockings?: ReadonlySet<number>;
}

/**
 * What a crash (or SIGKILL, or power cut) can leave behind, settled exactly once:
 * - `.partial` in staging: resumed at the next docking if its copy was still running, placed now
 *   if it was already proven (re-hashed first), else discarded; never counted as it is.
 * - an archived original without a catalogue row: re-verified against its sidecar and catalogued,
 *   or moved aside to quarantine/ (evidence is never deleted).
 * Runs with the ingest lock held, before any new docking.
 */
export async function recoverIngest(ctx: RecoveryContext): Promise<RecoveryReport> {
  const report: RecoveryReport = {
    placed: [],
    keptForResume: 0,
    discarded: [],
    catalogued: [],
    quarantined: [],
    interruptedDockings: [],
  };
  await ctx.staging.clearScratch();
  await makeFolderInside(ctx.dataDir, ctx.staging.scratch);
  const pendingArchivePaths = new Set<string>();

  for (const entry of await ctx.staging.inventory()) {
    const { manifest } = entry;
    if (!manifest) {
      await ctx.staging.discard(entry.serial, entry.key);
      report.discarded.push({
        originalPath: null,
        reason: 'a partial copy without a readable manifest',
      });
      continue;
    }
    if (manifest.state === 'copying') {
      if (entry.hasPartial) report.keptForResume += 1;
      else await ctx.staging.discard(entry.serial, entry.key);
      continue;
    }
    try {
      if (entry.hasPartial) {
        const partial = ctx.staging.partial(entry.serial, entry.key);
        const digest = await hashFromDisk(partial, ['sha256']);
        if (digest.sha256 !== manifest.proof?.sha256) {
          throw new PlacementError('the staging copy no longer hashes to what was proven');
        }
      }
      const placed = await placeVerified(ctx, manifest);
      report.placed.push({
        archivePath: placed.clip.archivePath,
        originalPath: manifest.originalPath,
        outcome: placed.kind,
      });
    } catch (error) {
      if (!(error instanceof PlacementError)) {
        // Not the copy's fault (a full disk, say): leave it for the next start.
        if (manifest.archivePath) pendingArchivePaths.add(manifest.archivePath);
        throw error;
      }
      await ctx.staging.discard(entry.serial, entry.key);
      report.discarded.push({ originalPath: manifest.originalPath, reason: error.message });
    }
  }

  await settleArchive(ctx, report, pendingArchivePaths);

  for (const docking of ctx.catalogue.dockings.listUnfinished()) {
    if (ctx.activeDockings?.has(docking.id)) continue;
    ctx.catalogue.write((tx) => {
      tx.dockings.finish(
        docking.id,
        {
          status: 'interrupted',
          safeToUndock: false,
          error: { code: 'station-stopped', message: 'the station stopped during the docking' },
        },
        ctx.now().toISOString(),
      );
      ctx.audit.append(tx, {
        actor: ctx.actor,
        action: 'docking.finished',
        subject: `docking:${docking.id}`,
        details: {
          recorderSerial: docking.recorderSerial,
          status: 'interrupted',
          reason: 'the station stopped during the docking',
        },
      });
    });
    report.interruptedDockings.push(docking.id);
  }
  return report;
}

/** Archive files the catalogue does not know: catalogued if their sidecar proves them, else moved aside. */
async function settleArchive(
  ctx: RecoveryContext,
  report: RecoveryReport,
  skip: ReadonlySet<string>,
): Promise<void> {
  const files: string[] = [];
  // A folder gone or unreadable holds nothing recovery could place; the sweep says the rest.
  for await (const rel of archiveFiles(ctx.dataDir, () => undefined)) files.push(rel);
  files.sort();
  const present = new Set(files);
  for (const rel of files) {
    if (skip.has(rel) || ctx.catalogue.clips.findByArchivePath(rel)) continue;
    if (rel.endsWith(SIDECAR_SUFFIX)) {
      const original = rel.slice(0, -SIDECAR_SUFFIX.length);
      if (!present.has(original) && !ctx.catalogue.clips.findByArchivePath(original)) {
        await quarantine(ctx, report, rel, 'a sidecar without its original');
      }
      continue;
    }
    const reason = await catalogueFromSidecar(ctx, rel);
    if (reason === null) report.catalogued.push(rel);
    else {
      await quarantine(ctx, report, rel, reason);
      if (present.has(rel + SIDECAR_SUFFIX)) {
        await quarantine(ctx, report, rel + SIDECAR_SUFFIX, `the sidecar of ${rel}`);
      }
    }
  }
}

/** Null when catalogued, else why the file cannot be. */
async function catalogueFromSidecar(ctx: RecoveryContext, rel: string): Promise<string | null> {
  const sidecar = await readSidecar<SidecarOfClip>(ctx.dataDir, rel);
  if (!sidecar) return 'no readable sidecar: nothing to prove the file against';
  const { clip } = sidecar;
  if (ctx.catalogue.clips.findBySha256(clip.sha256))
    return 'the catalogue already holds these bytes elsewhere';
  if (!ctx.catalogue.dockings.get(clip.dockingId))
    return `its docking #${clip.dockingId} is not in the catalogue`;
  const digest = await hashFromDisk(
    resolveInside(ctx.dataDir, rel),
    clip.sm3 === null ? ['sha256'] : ['sha256', 'sm3'],
  );
  if (digest.sha256 !== clip.sha256 || (clip.sm3 !== null && digest.sm3 !== clip.sm3)) {
    return 'its bytes do not match the hash in its sidecar';
  }
  const { originalName: _name, ...row } = clip;
  ctx.catalogue.write((tx) => {
    const inserted = tx.clips.insertVerified(row);
    ctx.audit.append(tx, {
      actor: ctx.actor,
      action: 'clip.recovered',
      subject: `clip:${inserted.id}`,
      details: {
        archivePath: rel,
        sha256: clip.sha256,
        recorderSerial: clip.recorderSerial,
        dockingId: clip.dockingId,
        readBack: digest.readBack.method,
      },
    });
  });
  sidecar.custody.push({
    event: 'recovered',
    at: ctx.now().toISOString(),
    by: ctx.actor,
    details: { readBack: digest.readBack },
  });
  // The clip is catalogued and its recovery audited: the sidecar only repeats that event.
  await writeSidecar(ctx.dataDir, ctx.staging.scratch, sidecar).catch((error: unknown) =>
    ctx.log?.('warn', "a recovered clip's sidecar could not note the recovery", {
      archivePath: rel,
      error: String(error),
    }),
  );
  return null;
}

async function quarantine(
  ctx: RecoveryContext,
  report: RecoveryReport,
  rel: string,
  reason: string,
): Promise<void> {
  const stamp = ctx.now().toISOString().replace(/[:.]/g, '-');
  const movedTo = `${QUARANTINE_FOLDER}/${stamp}/${rel}`;
  const target = resolveInside(ctx.dataDir, movedTo);
  await makeFolderInside(ctx.dataDir, dirname(target));
  await rename(resolveInside(ctx.dataDir, rel), target);
  ctx.audit.record({
    actor: ctx.actor,
    action: 'archive.quarantined',
    subject: `archive:${rel}`,
    details: { archivePath: rel, movedTo, reason },
  });
  report.quarantined.push({ archivePath: rel, movedTo, reason });
}
