import { lstat, statfs } from 'node:fs/promises';
import { errnoOf, resolveInside, thumbnailPathFor } from '../archive';
import type { ClipRecord } from '../catalogue/clips';
import type { FindingRecord } from '../catalogue/dockings';
import type { UnitPolicy } from '../contract';
import type { ClockOffset } from '../domain';
import { CopyError, type CopyPhase, type CopyResult } from './copy';
import type { DockingTally, ClipInFlight } from './docking-tally';
import { archiveFull, classifyUnexpected, copyVerdict, DISK_FULL, volumeGone } from './failures';
import { finding, type IngestFinding } from './findings';
import { fileTimeFacts, makeThumbnail, readMediaFacts } from './media';
import { abandonPlacement, PlacementError, type Placement } from './place';
import { provenManifest, stagingKey, type StagingManifest } from './staging';
import type { JobHost } from './job-host';
import type { ClipOutcome, IngestError, IngestRequest } from './types';
import type { SourceFile } from './walk';

/** Free space kept on the archive disk beyond the copies in flight, unless configured. */
const DEFAULT_RESERVE = 16 << 20;

/** What one clip's ingest knows of the docking it is part of. */
export interface DockingContext {
  readonly host: JobHost;
  readonly dockingId: number;
  readonly serial: string;
  readonly actor: string;
  readonly request: IngestRequest;
  readonly tally: DockingTally;
  /** Aborted when the docking stops: copies in flight stop between chunks. */
  readonly signal: AbortSignal;
  /** Whoever the docking is attributed to now (the officer may confirm while it runs). */
  officerBadge(): string | null;
  clockOffset(): ClockOffset | null;
  /** Why the docking stopped, or null while it runs. */
  stopped(): IngestError | null;
  /** Stops the docking for `reason` (the first reason stands) and throws StopIngest. */
  stop(reason: IngestError): never;
  note(item: IngestFinding, clipId?: number | null): FindingRecord;
}

/** Where the recorder's volume is, to tell a pulled recorder from a bad sector. */
export interface VolumeRoot {
  path: string;
  dev: number;
}

/**
 * One clip from the recorder to the archive: staged and copied (resuming what an earlier
 * docking left), read back and compared, its media facts read, placed (or found to be a
 * sighting of bytes already archived), reported; its thumbnail queued for later.
 */
export class ClipIngest {
  /** Bytes the copies in flight will still write: kept free on the archive disk. */
  private reserved = 0;

  constructor(private readonly ctx: DockingContext) {}

  async ingest(
    file: SourceFile,
    policy: UnitPolicy,
    volume: VolumeRoot,
    releaseSlot: () => void,
  ): Promise<void> {
    const { host, serial, tally } = this.ctx;
    const { staging } = host;
    const key = stagingKey(serial, file.relPath, file.size, file.mtime);
    const partial = staging.partial(serial, key);
    let earlier = await staging.read(serial, key);
    if (earlier && earlier.state !== 'copying') {
      // Recovery at the start finished every proven copy a crash left; one found now was not
      // proven by this docking (a placement that failed earlier in this process, or a manifest
      // and partial someone wrote: whoever writes the data dir can, D-NO-TAMPER). It proves
      // nothing of this file: set aside, audited, and the file copied again from the recorder.
      await host.setAside(
        serial,
        key,
        `a proven copy of ${file.relPath} was in staging when docking #${this.ctx.dockingId} came to copy it: not proven by this docking, not used (D-NO-TAMPER)`,
      );
      earlier = null;
    }
    // A partial that cannot be looked at is not resumed: the copy starts afresh over it.
    const kept = earlier === null ? null : await lstat(partial).catch(() => null);
    const resume = kept !== null;
    await this.ensureSpace(file, kept?.size ?? 0);

    const manifest: StagingManifest = {
      format: 'evidock-staging/1',
      key,
      recorderSerial: serial,
      dockingId: this.ctx.dockingId,
      originalPath: file.relPath,
      originalName: file.name,
      originalSize: file.size,
      originalMtime: file.mtime,
      mtimeMs: file.mtimeMs,
      kind: file.kind,
      createdAt: earlier?.createdAt ?? host.now().toISOString(),
      state: 'copying',
    };
    await staging.write(manifest);

    const inFlight = tally.begin(file);
    this.reserved += file.size;
    let result: CopyResult;
    try {
      result = await this.copyWithRetry(file, partial, resume, policy, inFlight);
    } catch (error) {
      tally.end(file);
      await this.copyFailed(file, key, error, volume);
      return;
    } finally {
      this.reserved -= file.size;
    }
    releaseSlot();
    if (result.resumedFrom > 0) {
      this.ctx.note(
        finding(
          'resumed',
          `resumed an interrupted copy: ${result.resumedFrom} bytes kept after checking them against the recorder`,
          file.relPath,
          { resumedFrom: result.resumedFrom },
        ),
      );
    }

    // The worker compared size and times on the open file; this catches a rename or a rewrite
    // by path in the moment since. A volume already gone cannot be asked: the worker's check stands.
    const now = await lstat(file.absPath).catch((error: NodeJS.ErrnoException) => error);
    if (!(now instanceof Error)) {
      if (now.size !== file.size || now.mtimeMs !== file.mtimeMs || now.ino !== file.ino) {
        tally.end(file);
        tally.failed += 1;
        await staging.discard(serial, key);
        this.clipFailed(
          file,
          finding(
            'changed-during-copy',
            'the file changed while it was copied; not counted, it will be copied at the next docking',
            file.relPath,
          ),
          'not-counted',
        );
        return;
      }
    }

    tally.archiving(inFlight);
    const verifiedAt = host.now().toISOString();
    const facts = await this.mediaFacts(partial, file);
    const proven = provenManifest(manifest, result, facts, {
      verifiedAt,
      officerBadge: this.ctx.officerBadge(),
      clockOffset: this.ctx.clockOffset(),
    });
    try {
      try {
        await staging.write(proven);
      } catch (error) {
        const code = errnoOf(error);
        if (code === null || !DISK_FULL.has(code)) throw error;
        // No room even for the manifest: the copy is dropped (never counted) to free the disk.
        // Even this may fail on a full disk: the docking stops either way, and says why.
        await staging.discard(serial, key).catch(() => undefined);
        this.ctx.stop(archiveFull(error));
      }
      await this.placeAndReport(file, proven);
    } finally {
      tally.end(file);
    }
  }

  private async copyWithRetry(
    file: SourceFile,
    partial: string,
    resume: boolean,
    policy: UnitPolicy,
    inFlight: ClipInFlight,
  ): Promise<CopyResult> {
    const { host, tally } = this.ctx;
    const task = {
      source: file.absPath,
      expected: { size: file.size, mtimeMs: file.mtimeMs, dev: file.dev, ino: file.ino },
      partial,
      resume,
      algorithms: [...policy.hashes],
      ...(host.options.chunkSize ? { chunkSize: host.options.chunkSize } : {}),
    };
    const run = {
      signal: this.ctx.signal,
      onProgress: (phase: CopyPhase, bytes: number) => {
        tally.copyProgress(inFlight, phase, bytes);
        host.options.onCopyProgress?.(file.relPath, phase, bytes);
      },
    };
    try {
      return await host.copier.copy(task, run);
    } catch (error) {
      if (!(error instanceof CopyError) || error.code !== 'mismatch') throw error;
      // A read-back that differs is retried once from nothing: a second mismatch is a finding.
      this.ctx.note(finding('verify-mismatch', `${error.message}; copying again`, file.relPath));
      tally.restart(inFlight);
      return host.copier.copy({ ...task, resume: false }, run);
    }
  }

  private async placeAndReport(file: SourceFile, manifest: StagingManifest): Promise<void> {
    const { host, serial, tally } = this.ctx;
    let placed: Placement;
    try {
      placed = await host.place(manifest, this.ctx.actor);
    } catch (error) {
      tally.failed += 1;
      if (error instanceof PlacementError) {
        await host.staging.discard(serial, manifest.key);
        this.clipFailed(
          file,
          finding('copy-failed', `not counted: ${error.message}`, file.relPath),
          'failed',
        );
        return;
      }
      const code = errnoOf(error);
      if (code !== null && DISK_FULL.has(code)) {
        // Nothing half-placed stays among the originals, nothing takes space on the full disk:
        // the clip is not counted and is copied again at the next docking.
        await abandonPlacement(
          { dataDir: host.options.dataDir, staging: host.staging, catalogue: host.catalogue },
          serial,
          manifest.key,
        ).catch((error: unknown) =>
          // The disk is full: what could not be taken back is named for whoever frees it.
          host.options.log?.('warn', 'a placement on the full archive disk was not taken back', {
            originalPath: manifest.originalPath,
            error: String(error),
          }),
        );
        this.ctx.stop(archiveFull(error));
      }
      throw error;
    }
    const outcome: ClipOutcome = placed.kind === 'sighted' ? 'sighted' : 'archived';
    tally.done(
      { outcome, originalPath: file.relPath, clip: placed.clip, cleared: false },
      file.size,
    );
    let note: FindingRecord | null = null;
    if (placed.kind === 'sighted') {
      note = this.ctx.note(
        finding(
          'duplicate',
          `identical to clip ${placed.clip.id} (${placed.clip.archivePath}): recorded as a sighting, not stored twice`,
          file.relPath,
        ),
        placed.clip.id,
      );
    } else if (placed.kind === 'archived' && placed.renamed) {
      note = this.ctx.note(
        finding(
          'renamed-in-archive',
          `archived as ${placed.clip.archivePath}: the name was taken`,
          file.relPath,
        ),
        placed.clip.id,
      );
    }
    host.publish('clip', {
      dockingId: this.ctx.dockingId,
      originalPath: file.relPath,
      outcome,
      clip: placed.clip,
      finding: note,
    });
    if (placed.kind === 'archived') host.queueThumbnail(() => this.thumbnail(placed.clip));
  }

  private async thumbnail(clip: ClipRecord): Promise<void> {
    const { host } = this.ctx;
    const make = host.options.makeThumbnail ?? makeThumbnail;
    const rel = thumbnailPathFor(clip.sha256);
    try {
      const dataDir = host.options.dataDir;
      const made = await make(
        resolveInside(dataDir, clip.archivePath),
        resolveInside(dataDir, rel),
        clip.kind,
      );
      if (made) {
        host.catalogue.write((tx) => tx.clips.setThumbnail(clip.id, rel));
        host.publish('thumbnail', { dockingId: clip.dockingId, clipId: clip.id });
      }
    } catch (error) {
      // A thumbnail is a convenience; its absence shows in the UI.
      host.options.log?.('info', 'no thumbnail was made', {
        clipId: clip.id,
        error: String(error),
      });
    }
  }

  private async mediaFacts(partial: string, file: SourceFile) {
    const read = this.ctx.host.options.readMediaFacts ?? readMediaFacts;
    const context = {
      profile: this.ctx.request.profile,
      originalName: file.name,
      mtime: new Date(file.mtime),
      kind: file.kind,
    };
    try {
      return await read(partial, context);
    } catch (error) {
      this.ctx.note(
        finding(
          'media-facts-failed',
          `media facts unreadable (${(error as Error).message}); file times used`,
          file.relPath,
        ),
      );
      return fileTimeFacts(partial, context);
    }
  }

  private async ensureSpace(file: SourceFile, alreadyStaged: number): Promise<void> {
    const { host } = this.ctx;
    if (host.options.checkSpace === false) return;
    const fs = await statfs(host.staging.root);
    const free = Number(fs.bavail) * Number(fs.bsize);
    const reserve = host.options.spaceReserveBytes ?? DEFAULT_RESERVE;
    const needed = file.size - alreadyStaged + this.reserved + reserve;
    if (free < needed) {
      this.ctx.stop({
        code: 'archive-full',
        message: `the archive disk is full: ${file.relPath} needs ${file.size - alreadyStaged} bytes, ${free} are free (${this.reserved} taken by copies in flight, ${reserve} kept in reserve); nothing more is copied and nothing is cleared`,
      });
    }
  }

  private async copyFailed(
    file: SourceFile,
    key: string,
    error: unknown,
    volume: VolumeRoot,
  ): Promise<void> {
    // Not this clip's fault (no worker could start, say): every other clip would fail alike.
    if (!(error instanceof CopyError)) this.ctx.stop(classifyUnexpected(error));
    const gone =
      error.code === 'source-error' && (await volumeGone(volume.path, volume.dev, file.absPath));
    const verdict = copyVerdict(error, file.relPath, gone, this.ctx.stopped());
    if (!verdict.keepPartial) {
      // A staging copy not removed is found again at the next docking and checked before use.
      await this.ctx.host.staging.discard(this.ctx.serial, key).catch((error: unknown) =>
        this.ctx.host.options.log?.('warn', 'a staging copy could not be removed', {
          originalPath: file.relPath,
          error: String(error),
        }),
      );
    }
    if (verdict.note) this.ctx.note(verdict.note);
    if (verdict.clip) {
      this.ctx.tally.failed += 1;
      this.clipFailed(file, verdict.clip.finding, verdict.clip.outcome);
    }
    if (verdict.stop) this.ctx.stop(verdict.stop);
  }

  private clipFailed(
    file: SourceFile,
    item: IngestFinding,
    outcome: 'failed' | 'not-counted',
  ): void {
    const record = this.ctx.note(item);
    this.ctx.host.publish('clip', {
      dockingId: this.ctx.dockingId,
      originalPath: file.relPath,
      outcome,
      clip: null,
      finding: record,
    });
    this.ctx.tally.changed();
  }
}
