import { readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  archiveFiles,
  hashFromDisk,
  makeFolderInside,
  present,
  resolveInside,
  SIDECAR_SUFFIX,
} from '../archive';
import { placeVerified, PlacementError, type PlaceContext } from './place';
import { MANIFEST_SUFFIX, PARTIAL_SUFFIX, STAGING_FOLDER } from './staging';

const QUARANTINE_FOLDER = 'quarantine';

export interface RecoveryReport {
  /** Proven staging copies a crash left before the catalogue: placed now (archived or sighted). */
  placed: { archivePath: string | null; originalPath: string; outcome: string }[];
  /** Partial copies kept to resume when their recorder docks again (never counted). */
  keptForResume: number;
  /** Staging entries that could not be trusted and were removed (never counted). */
  discarded: { originalPath: string | null; reason: string }[];
  /**
   * Archive files without a catalogue row, and proven staging copies of dockings no crash cut
   * short: moved aside (never deleted), each audited, each named by the integrity sweep.
   */
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
 * - an archived original without a catalogue row: moved aside to quarantine/ (evidence is never
 *   deleted), audited; never catalogued from its sidecar (D-NO-TAMPER).
 *
 * The one crash window that leaves an original in the archive without its row is a placement's,
 * between its link and its catalogue commit (see placeVerified): its staging manifest, written
 * durably before the link and removed only after the commit, names that very archive path and the
 * hash the copy was proven to. Recovery finishes such a placement through the manifest, with the
 * same checks and the same `clip.archived` entry as ingest, and only for a docking a crash cut
 * short (still ingesting in the catalogue, started and never finished in the audit chain): what a
 * docking that ended left proven in staging was not left by a crash. A sidecar proves nothing of
 * its own: whoever can write the archive can write a sidecar for bytes of their own.
 * Runs with the ingest lock held, before any new docking.
 */
export async function recoverIngest(ctx: RecoveryContext): Promise<RecoveryReport> {
  const report: RecoveryReport = {
    placed: [],
    keptForResume: 0,
    discarded: [],
    quarantined: [],
    interruptedDockings: [],
  };
  const cutShort = crashedDockings(ctx);
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
    if (ctx.activeDockings?.has(manifest.dockingId)) {
      // Its own job places it.
      if (manifest.archivePath) pendingArchivePaths.add(manifest.archivePath);
      continue;
    }
    const untrusted = cutShort(manifest.dockingId, manifest.recorderSerial);
    if (untrusted !== null) {
      const reason = `a proven copy of ${manifest.originalPath} for docking #${manifest.dockingId}, which ${untrusted}: no crash of this station left it (D-NO-TAMPER)`;
      report.quarantined.push(...(await setAsideStagedCopy(ctx, entry.serial, entry.key, reason)));
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

/**
 * Whether a docking is one a crash cut short, so that a proven copy in its staging is the
 * station's own placement to finish: null if so, else why not. The catalogue still has it
 * ingesting, for the recorder the manifest names, and the audit chain records it started and
 * never finished (an entry the catalogue's row cannot undo without breaking the chain).
 */
function crashedDockings(
  ctx: RecoveryContext,
): (dockingId: number, recorderSerial: string) => string | null {
  const known = new Map<number, string | null>();
  const judge = (dockingId: number, recorderSerial: string): string | null => {
    const docking = ctx.catalogue.dockings.get(dockingId);
    if (!docking) return 'is not in the catalogue';
    if (docking.recorderSerial.toUpperCase() !== recorderSerial.toUpperCase()) {
      return `docked recorder ${docking.recorderSerial}, not ${recorderSerial}`;
    }
    if (docking.status !== 'ingesting') return `ended ${docking.status}`;
    const history = ctx.catalogue.audit.listBySubject(`docking:${dockingId}`, 1000);
    if (history.some((entry) => entry.action === 'docking.finished')) {
      return 'the audit chain records finished';
    }
    if (!history.some((entry) => entry.action === 'docking.started')) {
      return 'the audit chain never records started';
    }
    return null;
  };
  return (dockingId, recorderSerial) => {
    const key = Number.isInteger(dockingId) ? dockingId : -1;
    if (!known.has(key)) known.set(key, judge(key, String(recorderSerial)));
    return known.get(key)!;
  };
}

/**
 * Archive files the catalogue does not know, and that no placement recovery finished: moved
 * aside, never catalogued. A sidecar goes with its original, or alone when its original is gone.
 */
async function settleArchive(
  ctx: RecoveryContext,
  report: RecoveryReport,
  skip: ReadonlySet<string>,
): Promise<void> {
  const files: string[] = [];
  // A folder gone or unreadable holds nothing recovery could place; the sweep says the rest.
  for await (const rel of archiveFiles(ctx.dataDir, () => undefined)) files.push(rel);
  files.sort();
  const listed = new Set(files);
  const catalogued = (rel: string) => ctx.catalogue.clips.findByArchivePath(rel) !== undefined;
  for (const rel of files) {
    if (skip.has(rel)) continue;
    if (rel.endsWith(SIDECAR_SUFFIX)) {
      // Settled with its original when that is listed: no catalogue lookup per sidecar.
      const original = rel.slice(0, -SIDECAR_SUFFIX.length);
      if (!listed.has(original) && !catalogued(original) && !catalogued(rel)) {
        await quarantineInto(ctx, report, rel, 'a sidecar without its original');
      }
      continue;
    }
    if (catalogued(rel)) continue;
    await quarantineInto(
      ctx,
      report,
      rel,
      'in the archive without a catalogue row, and no placement of a docking a crash cut short accounts for it: not catalogued (D-NO-TAMPER)',
    );
    if (listed.has(rel + SIDECAR_SUFFIX)) {
      await quarantineInto(ctx, report, rel + SIDECAR_SUFFIX, `the sidecar of ${rel}`);
    }
  }
}

/** What recovery needs to move a file aside and audit it. */
export type QuarantineContext = Pick<
  PlaceContext,
  'dataDir' | 'catalogue' | 'audit' | 'actor' | 'now'
>;

/** One file moved aside: where it was (data-dir relative), where it is now, and why. */
export interface Quarantined {
  archivePath: string;
  movedTo: string;
  reason: string;
}

/**
 * A proven copy in staging the station cannot vouch for (D-NO-TAMPER): its manifest and partial
 * moved aside, and the archive name its manifest claims to have linked, with its sidecar, when
 * that name is there and no catalogued clip's. Never deleted, each audited.
 */
export async function setAsideStagedCopy(
  ctx: QuarantineContext,
  recorderFolder: string,
  key: string,
  reason: string,
): Promise<Quarantined[]> {
  const moved: Quarantined[] = [];
  // As the recorder's staging folder is named on disk (Staging names them upper-case).
  const folder = `${STAGING_FOLDER}/${recorderFolder}`;
  let archivePath: string | undefined;
  try {
    const manifest = JSON.parse(
      await readFile(resolveInside(ctx.dataDir, `${folder}/${key}${MANIFEST_SUFFIX}`), 'utf8'),
    ) as { archivePath?: unknown };
    if (typeof manifest.archivePath === 'string') archivePath = manifest.archivePath;
  } catch {
    // No readable manifest: nothing names an archive file.
  }
  for (const rel of [`${folder}/${key}${MANIFEST_SUFFIX}`, `${folder}/${key}${PARTIAL_SUFFIX}`]) {
    const done = await quarantine(ctx, rel, reason);
    if (done) moved.push(done);
  }
  if (archivePath !== undefined && !ctx.catalogue.clips.findByArchivePath(archivePath)) {
    for (const rel of [archivePath, archivePath + SIDECAR_SUFFIX]) {
      if (ctx.catalogue.clips.findByArchivePath(rel)) continue;
      const done = await quarantine(
        ctx,
        rel,
        `named by ${folder}/${key}${MANIFEST_SUFFIX}: ${reason}`,
      );
      if (done) moved.push(done);
    }
  }
  return moved;
}

async function quarantineInto(
  ctx: QuarantineContext,
  report: RecoveryReport,
  rel: string,
  reason: string,
): Promise<void> {
  const done = await quarantine(ctx, rel, reason);
  if (done) report.quarantined.push(done);
}

/** Moves a data-dir file aside into quarantine/, audited; null when it is not there. */
async function quarantine(
  ctx: QuarantineContext,
  rel: string,
  reason: string,
): Promise<Quarantined | null> {
  let source: string;
  try {
    source = resolveInside(ctx.dataDir, rel);
  } catch {
    // A path that would leave the data dir (a forged manifest's): nothing of ours there.
    return null;
  }
  if (!(await present(source))) return null;
  const stamp = ctx.now().toISOString().replace(/[:.]/g, '-');
  const movedTo = `${QUARANTINE_FOLDER}/${stamp}/${rel}`;
  const target = resolveInside(ctx.dataDir, movedTo);
  await makeFolderInside(ctx.dataDir, dirname(target));
  await rename(source, target);
  ctx.audit.record({
    actor: ctx.actor,
    action: 'archive.quarantined',
    subject: `archive:${rel}`,
    details: { archivePath: rel, movedTo, reason },
  });
  return { archivePath: rel, movedTo, reason };
}
