import { lstat, unlink } from 'node:fs/promises';
import type { Catalogue } from '../catalogue/catalogue';
import type { Log } from '../contract';
import type { AuditLog } from '../custody/audit-log';
import { hashFromDisk, readSidecar, writeSidecar } from '../archive';
import { finding, type IngestFinding } from './findings';
import { mtimeIso, type SourceFile } from './walk';

/** A file on the recorder whose bytes the archive holds, proven. */
export interface ClearCandidate {
  file: SourceFile;
  clipId: number;
  /** The file was a duplicate of another clip's bytes (its own name was never archived). */
  sighting: boolean;
}

export interface ClearContext {
  catalogue: Catalogue;
  audit: AuditLog;
  actor: string;
  now: () => Date;
  dataDir: string;
  scratch: string;
  dockingId: number;
  recorderSerial: string;
  log?: Log;
}

export interface ClearOutcome {
  cleared: string[];
  findings: IngestFinding[];
}

/**
 * Deletes from the recorder only what the archive holds proven, and only if the file on the
 * recorder is still the one that was proven (same size, modification time and SHA-256, read
 * again from the recorder): a file written since is left alone. Each deletion is audited before it happens (rule D-NO-TAMPER: the log
 * never lacks a deletion that took place).
 */
export async function clearRecorder(
  ctx: ClearContext,
  candidates: readonly ClearCandidate[],
): Promise<ClearOutcome> {
  const cleared: string[] = [];
  const findings: IngestFinding[] = [];
  for (const candidate of candidates) {
    const { file } = candidate;
    const clip = ctx.catalogue.clips.get(candidate.clipId);
    if (!clip) continue;
    let now;
    try {
      now = await lstat(file.absPath);
    } catch (error) {
      findings.push(
        finding('clear-skipped', `not deleted: ${(error as Error).message}`, file.relPath),
      );
      continue;
    }
    const mtime = mtimeIso(now.mtimeMs);
    if (!now.isFile() || now.size !== file.size || mtime !== file.mtime) {
      findings.push(
        finding(
          'clear-skipped',
          'not deleted: the file on the recorder changed after its copy was proven',
          file.relPath,
          { size: now.size, expectedSize: file.size, mtime, expectedMtime: file.mtime },
        ),
      );
      continue;
    }
    // Size and time can stay the same while the bytes change (FAT rewritten in place, a
    // recorder that keeps no times): only the bytes themselves say the archive holds this file.
    let onRecorder: string;
    try {
      onRecorder = (await hashFromDisk(file.absPath, ['sha256'])).sha256;
    } catch (error) {
      findings.push(
        finding('clear-skipped', `not deleted: ${(error as Error).message}`, file.relPath),
      );
      continue;
    }
    if (onRecorder !== clip.sha256) {
      findings.push(
        finding(
          'clear-skipped',
          'not deleted: the bytes on the recorder differ from the proven copy (rewritten after it was copied)',
          file.relPath,
          { sha256: onRecorder, expectedSha256: clip.sha256 },
        ),
      );
      continue;
    }
    ctx.audit.record({
      actor: ctx.actor,
      action: 'recorder.file.deleted',
      subject: `clip:${clip.id}`,
      details: {
        recorderSerial: ctx.recorderSerial,
        dockingId: ctx.dockingId,
        originalPath: file.relPath,
        size: file.size,
        mtime: file.mtime,
        sha256: clip.sha256,
        archivePath: clip.archivePath,
        sighting: candidate.sighting,
      },
    });
    try {
      await unlink(file.absPath);
    } catch (error) {
      findings.push(
        finding('clear-failed', `could not delete: ${(error as Error).message}`, file.relPath),
      );
      continue;
    }
    cleared.push(file.relPath);
    const at = ctx.now().toISOString();
    if (!candidate.sighting && clip.originalPath === file.relPath) {
      ctx.catalogue.write((tx) => tx.clips.markCleared(clip.id, at));
      // The deletion is in the audit chain and the catalogue already; the sidecar only repeats it.
      await noteInSidecar(ctx, clip.archivePath, at, file.relPath).catch((error: unknown) =>
        ctx.log?.('warn', "a sidecar could not note its recorder copy's deletion", {
          archivePath: clip.archivePath,
          error: String(error),
        }),
      );
    }
  }
  return { cleared, findings };
}

/** The sidecar's custody events gain the deletion, so the archive alone tells the whole story. */
async function noteInSidecar(
  ctx: ClearContext,
  archivePath: string,
  at: string,
  originalPath: string,
): Promise<void> {
  const sidecar = await readSidecar(ctx.dataDir, archivePath);
  if (!sidecar) return;
  sidecar.custody.push({
    event: 'recorder-copy-deleted',
    at,
    by: ctx.actor,
    details: { recorderSerial: ctx.recorderSerial, dockingId: ctx.dockingId, originalPath },
  });
  await writeSidecar(ctx.dataDir, ctx.scratch, sidecar);
}
