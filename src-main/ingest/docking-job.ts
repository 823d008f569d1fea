import { lstat, realpath, stat, statfs } from 'node:fs/promises';
import { resolveInside, thumbnailPathFor } from '../archive';
import type { Catalogue } from '../catalogue/catalogue';
import type { ClipRecord } from '../catalogue/clips';
import type { DockingRecord, DockingStatus, FindingRecord } from '../catalogue/dockings';
import type { UnitPolicy } from '../contract';
import { estimateClockOffset, type ClockOffset } from '../domain';
import { clearRecorder, type ClearCandidate } from './clear';
import type { ClipCopier } from './copier';
import { CopyError, type CopyPhase, type CopyResult } from './copy';
import { diskSlots, type Semaphore } from './disk-slots';
import {
  archiveFull,
  classifyUnexpected,
  copyVerdict,
  DISK_FULL,
  errnoOf,
  StopIngest,
  volumeGone,
} from './failures';
import { finding, type IngestFinding } from './findings';
import { fileTimeFacts, makeThumbnail, readMediaFacts } from './media';
import { abandonPlacement, PlacementError, type Placement } from './place';
import { planIngest } from './plan';
import { RateMeter, Throttle } from './progress';
import { dockingRuleFindings } from './rules';
import { provenManifest, stagingKey, type Staging, type StagingManifest } from './staging';
import type {
  ClipOutcome,
  ClipPhase,
  DockingProgress,
  IngestEngineEvents,
  IngestEngineOptions,
  IngestError,
  IngestedClip,
  IngestPhase,
  IngestRequest,
  IngestResult,
} from './types';
import { walkVolume, type SourceFile } from './walk';

/** What a docking job needs from the engine that runs it. */
export interface JobHost {
  readonly options: IngestEngineOptions;
  readonly catalogue: Catalogue;
  readonly staging: Staging;
  readonly copier: ClipCopier;
  readonly now: () => Date;
  policy(): UnitPolicy;
  /** Placements of every job, one at a time. */
  place(manifest: StagingManifest, actor: string): Promise<Placement>;
  queueThumbnail(make: () => Promise<void>): void;
  publish<K extends keyof IngestEngineEvents>(name: K, ...args: IngestEngineEvents[K]): void;
}

/** Free space kept on the archive disk beyond the copies in flight, unless configured. */
const DEFAULT_RESERVE = 16 << 20;

interface ActiveClip {
  file: SourceFile;
  phase: ClipPhase;
  copied: number;
  verified: number;
  meter: RateMeter;
}

/** One docking from plan to finish. */
export class DockingJob {
  readonly serial: string;
  finished: Promise<unknown> = Promise.resolve();
  private readonly abort = new AbortController();
  private readonly throttle: Throttle;
  private readonly meter = new RateMeter();
  private readonly active = new Map<string, ActiveClip>();
  private readonly outcomes: IngestedClip[] = [];
  private readonly filesByPath = new Map<string, SourceFile>();
  private phase: IngestPhase = 'planning';
  private planned = 0;
  private bytesPlanned = 0;
  private bytesDone = 0;
  private failed = 0;
  /** Files left on the recorder whose current bytes are not proven (not safe to undock). */
  private unproven = 0;
  private findingsCount = 0;
  private stop: IngestError | null = null;
  private reservedBytes = 0;
  private safeToUndock = false;
  private clockOffset: ClockOffset | null;

  constructor(
    private readonly host: JobHost,
    private docking: DockingRecord,
    private readonly request: IngestRequest,
    private readonly actor: string,
  ) {
    this.serial = request.recorderSerial;
    this.clockOffset = request.clockOffset ?? null;
    this.throttle = new Throttle(host.options.progressIntervalMs ?? 250, () =>
      host.publish('progress', this.snapshot()),
    );
  }

  /** Copies of this docking are (or may soon be) in flight. */
  get copying(): boolean {
    return this.phase === 'planning' || this.phase === 'copying';
  }

  /** Stops the docking; partial copies are kept to resume. `reason` says why to the officer. */
  cancel(reason?: IngestError): void {
    this.halt(
      reason ?? {
        code: 'cancelled',
        message: 'the docking was cancelled; partial copies are kept to resume',
      },
    );
  }

  run(): Promise<IngestResult> {
    const done = this.runInner();
    this.finished = done.catch(() => undefined);
    return done;
  }

  snapshot(): DockingProgress {
    const inFlight = [...this.active.values()].reduce(
      (sum, c) => sum + (c.copied + c.verified) / 2,
      0,
    );
    const bytes = Math.round(this.bytesDone + inFlight);
    return {
      dockingId: this.docking.id,
      recorderSerial: this.serial,
      phase: this.phase,
      clipsPlanned: this.planned,
      clipsDone: this.outcomes.filter((o) => o.outcome !== 'already-proven').length,
      clipsFailed: this.failed,
      findings: this.findingsCount,
      ...this.meter.figures(bytes, this.bytesPlanned),
      clips: [...this.active.values()].map((c) => ({
        originalPath: c.file.relPath,
        phase: c.phase,
        ...c.meter.figures(c.phase === 'verifying' ? c.verified : c.copied, c.file.size),
      })),
      safeToUndock: this.safeToUndock,
      error: this.stop,
    };
  }

  private setPhase(phase: IngestPhase): void {
    this.phase = phase;
    this.throttle.request();
    this.throttle.flush();
  }

  private halt(reason: IngestError): void {
    if (this.stop === null) this.stop = reason;
    this.abort.abort(new StopIngest(reason));
  }

  private note(item: IngestFinding, clipId: number | null = null): FindingRecord {
    const record = this.host.catalogue.write((tx) =>
      tx.dockings.addFinding(this.docking.id, { ...item, clipId }, this.host.now().toISOString()),
    );
    this.findingsCount += 1;
    this.host.publish('finding', record);
    return record;
  }

  private async runInner(): Promise<IngestResult> {
    const policy = this.host.policy();
    let files: SourceFile[] = [];
    let alreadyProven: ClearCandidate[] = [];
    let rootDev = -1;
    let root = this.request.mountpoint;
    try {
      root = await realpath(this.request.mountpoint);
      const walked = await walkVolume(root, this.request.profile, this.host.options.walk);
      rootDev = walked.rootDev;
      files = walked.files;
      // Footage the walk could not read stays on the recorder: not safe to undock.
      this.unproven += walked.unread;
      for (const file of files) this.filesByPath.set(file.relPath, file);
      // One transaction for every refused file: a volume of 20,000 bad names is one commit.
      this.host.catalogue.write(() => {
        for (const item of walked.findings) this.note(item);
      });
      const plan = planIngest(files, this.host.catalogue.clips, this.serial);
      this.planned = plan.toCopy.length;
      this.bytesPlanned = plan.bytesToCopy;
      alreadyProven = plan.alreadyProven;
      for (const known of plan.alreadyProven) {
        const clip = this.host.catalogue.clips.get(known.clipId);
        if (clip) {
          this.outcomes.push({
            outcome: 'already-proven',
            originalPath: known.file.relPath,
            clip,
            cleared: false,
          });
        }
      }
      this.host.catalogue.write((tx) =>
        tx.dockings.setPlanned(this.docking.id, this.planned, this.bytesPlanned),
      );
      this.settleClockOffset(files);

      this.setPhase('copying');
      await this.host.staging.prepare(this.serial);
      const slots = diskSlots(
        (await stat(this.host.staging.root)).dev,
        policy.copyConcurrencyPerDisk,
      );
      await this.copyAll(plan.toCopy, slots, policy, root, rootDev);
    } catch (error) {
      if (!(error instanceof StopIngest) && this.stop === null) {
        this.stop =
          rootDev === -1 && errnoOf(error) === 'ENOENT'
            ? { code: 'volume-gone', message: `${this.request.mountpoint} is not mounted any more` }
            : classifyUnexpected(error);
      }
    }

    if (this.stop === null) this.checkRules(policy);
    const status: Exclude<DockingStatus, 'ingesting'> =
      this.stop === null
        ? 'complete'
        : this.stop.code === 'volume-gone' || this.stop.code === 'cancelled'
          ? 'interrupted'
          : 'failed';
    if (status === 'complete' && policy.clearAfterIngest) {
      this.setPhase('clearing');
      await this.clear(alreadyProven);
    }
    // Last of all, and before "safe to undock": setting the clock may write to the volume.
    if (status === 'complete' && this.request.setClock) await this.syncClock(this.request.setClock);
    this.safeToUndock = status === 'complete' && this.failed === 0 && this.unproven === 0;
    return this.finish(status, files.length);
  }

  /** The officer confirmed at the dock: clips proven from now on are theirs. */
  setOfficer(officerBadge: string): void {
    this.docking = { ...this.docking, officerBadge };
  }

  /** Sets the recorder's clock; a recorder that refuses is a finding, not a failed docking. */
  private async syncClock(setClock: () => Promise<Date>): Promise<void> {
    try {
      const setTo = await setClock();
      const at = this.host.now().toISOString();
      this.host.catalogue.write((tx) => {
        tx.dockings.setClockSet(this.docking.id, at);
        this.host.options.audit.append(tx, {
          actor: this.actor,
          action: 'recorder.clock.set',
          subject: `recorder:${this.serial}`,
          details: {
            dockingId: this.docking.id,
            setTo: setTo.toISOString(),
            offsetMsBefore: this.clockOffset?.offsetMs ?? null,
            offsetSource: this.clockOffset?.source ?? null,
          },
        });
      });
    } catch (error) {
      this.note(
        finding(
          'clock-set-failed',
          `the recorder's clock could not be set: ${(error as Error).message}`,
        ),
      );
    }
  }

  private settleClockOffset(files: readonly SourceFile[]): void {
    if (this.clockOffset === null) {
      const newest = files.reduce((max, f) => Math.max(max, f.mtimeMs), -Infinity);
      this.clockOffset = estimateClockOffset({
        newestClipMtime: Number.isFinite(newest) ? new Date(newest).toISOString() : null,
        dockedAt: this.docking.startedAt,
      });
      if (this.clockOffset !== null) {
        const { offsetMs, source } = this.clockOffset;
        this.host.catalogue.write((tx) =>
          tx.dockings.setClockOffset(this.docking.id, offsetMs, source),
        );
      }
    }
  }

  /** Copies with up to the disk's limit in flight; each copy also holds one of the disk's slots. */
  private async copyAll(
    files: readonly SourceFile[],
    slots: Semaphore,
    policy: UnitPolicy,
    root: string,
    rootDev: number,
  ): Promise<void> {
    // In name order, which is recording order: should the archive disk fill up, the oldest
    // footage, the nearest to its D-24H deadline, is in custody first.
    let next = 0;
    const lane = async () => {
      while (this.stop === null && next < files.length) {
        const file = files[next++]!;
        let release: (() => void) | null = null;
        try {
          release = await slots.acquire(this.abort.signal);
          if (this.stop !== null) return;
          await this.ingestOne(file, policy, root, rootDev, release);
        } catch (error) {
          if (error instanceof StopIngest) return;
          if (this.stop === null) this.halt(classifyUnexpected(error));
          return;
        } finally {
          release?.();
        }
      }
    };
    // Twice as many lanes as slots: a lane gives its slot back when its copy is proven and then
    // waits for media facts and placement; another lane's copy keeps the disk busy meanwhile.
    const lanes = Math.max(1, Math.min(2 * policy.copyConcurrencyPerDisk, files.length));
    await Promise.all(Array.from({ length: lanes }, lane));
  }

  private async ingestOne(
    file: SourceFile,
    policy: UnitPolicy,
    root: string,
    rootDev: number,
    releaseSlot: () => void,
  ): Promise<void> {
    const { staging } = this.host;
    const key = stagingKey(this.serial, file.relPath, file.size, file.mtime);
    const partial = staging.partial(this.serial, key);
    const earlier = await staging.read(this.serial, key);
    if (earlier && earlier.state !== 'copying') {
      // Proven at a docking a crash cut short: finish it instead of copying again.
      releaseSlot();
      await this.placeAndReport(file, earlier);
      return;
    }
    const resume = earlier !== null && (await exists(partial));
    await this.ensureSpace(file, resume ? await sizeOf(partial) : 0);

    const manifest: StagingManifest = {
      format: 'evidock-staging/1',
      key,
      recorderSerial: this.serial,
      dockingId: this.docking.id,
      originalPath: file.relPath,
      originalName: file.name,
      originalSize: file.size,
      originalMtime: file.mtime,
      mtimeMs: file.mtimeMs,
      kind: file.kind,
      createdAt: earlier?.createdAt ?? this.host.now().toISOString(),
      state: 'copying',
    };
    await staging.write(manifest);

    const active: ActiveClip = {
      file,
      phase: 'copying',
      copied: 0,
      verified: 0,
      meter: new RateMeter(),
    };
    this.active.set(file.relPath, active);
    this.reservedBytes += file.size;
    let result: CopyResult;
    try {
      result = await this.copyWithRetry(file, partial, resume, policy, active);
    } catch (error) {
      this.active.delete(file.relPath);
      await this.copyFailed(file, key, error, root, rootDev);
      return;
    } finally {
      this.reservedBytes -= file.size;
    }
    releaseSlot();
    if (result.resumedFrom > 0) {
      this.note(
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
        this.active.delete(file.relPath);
        this.failed += 1;
        await staging.discard(this.serial, key);
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

    active.phase = 'archiving';
    this.throttle.request();
    const verifiedAt = this.host.now().toISOString();
    const facts = await this.mediaFacts(partial, file);
    const proven = provenManifest(manifest, result, facts, {
      verifiedAt,
      officerBadge: this.docking.officerBadge,
      clockOffset: this.clockOffset,
    });
    try {
      try {
        await staging.write(proven);
      } catch (error) {
        const code = errnoOf(error);
        if (code === null || !DISK_FULL.has(code)) throw error;
        // No room even for the manifest: the copy is dropped (never counted) to free the disk.
        await staging.discard(this.serial, key).catch(() => undefined);
        this.halt(archiveFull(error));
        throw new StopIngest(this.stop!);
      }
      await this.placeAndReport(file, proven);
    } finally {
      this.active.delete(file.relPath);
    }
  }

  private async copyWithRetry(
    file: SourceFile,
    partial: string,
    resume: boolean,
    policy: UnitPolicy,
    active: ActiveClip,
  ): Promise<CopyResult> {
    const task = {
      source: file.absPath,
      expected: { size: file.size, mtimeMs: file.mtimeMs, dev: file.dev, ino: file.ino },
      partial,
      resume,
      algorithms: [...policy.hashes],
      ...(this.host.options.chunkSize ? { chunkSize: this.host.options.chunkSize } : {}),
    };
    const run = {
      signal: this.abort.signal,
      onProgress: (phase: CopyPhase, bytes: number) => {
        // Each phase has its own rate: reading back runs at the archive disk's speed.
        if (active.phase !== phase) active.meter = new RateMeter();
        active.phase = phase;
        if (phase === 'copying') active.copied = bytes;
        else {
          active.copied = file.size;
          active.verified = bytes;
        }
        active.meter.update(bytes);
        this.meter.update(this.snapshotBytes());
        this.throttle.request();
        this.host.options.onCopyProgress?.(file.relPath, phase, bytes);
      },
    };
    try {
      return await this.host.copier.copy(task, run);
    } catch (error) {
      if (!(error instanceof CopyError) || error.code !== 'mismatch') throw error;
      // A read-back that differs is retried once from nothing: a second mismatch is a finding.
      this.note(finding('verify-mismatch', `${error.message}; copying again`, file.relPath));
      active.copied = 0;
      active.verified = 0;
      return this.host.copier.copy({ ...task, resume: false }, run);
    }
  }

  private snapshotBytes(): number {
    let inFlight = 0;
    for (const c of this.active.values()) inFlight += (c.copied + c.verified) / 2;
    return this.bytesDone + inFlight;
  }

  private async placeAndReport(file: SourceFile, manifest: StagingManifest): Promise<void> {
    let placed: Placement;
    try {
      placed = await this.host.place(manifest, this.actor);
    } catch (error) {
      this.failed += 1;
      if (error instanceof PlacementError) {
        await this.host.staging.discard(this.serial, manifest.key);
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
          {
            dataDir: this.host.options.dataDir,
            staging: this.host.staging,
            catalogue: this.host.catalogue,
          },
          this.serial,
          manifest.key,
        ).catch(() => undefined);
        this.halt(archiveFull(error));
        throw new StopIngest(this.stop!);
      }
      throw error;
    }
    this.bytesDone += file.size;
    const outcome: ClipOutcome = placed.kind === 'sighted' ? 'sighted' : 'archived';
    this.outcomes.push({ outcome, originalPath: file.relPath, clip: placed.clip, cleared: false });
    let note: FindingRecord | null = null;
    if (placed.kind === 'sighted') {
      note = this.note(
        finding(
          'duplicate',
          `identical to clip ${placed.clip.id} (${placed.clip.archivePath}): recorded as a sighting, not stored twice`,
          file.relPath,
        ),
        placed.clip.id,
      );
    } else if (placed.kind === 'archived' && placed.renamed) {
      note = this.note(
        finding(
          'renamed-in-archive',
          `archived as ${placed.clip.archivePath}: the name was taken`,
          file.relPath,
        ),
        placed.clip.id,
      );
    }
    this.meter.update(this.snapshotBytes());
    this.throttle.request();
    this.host.publish('clip', {
      dockingId: this.docking.id,
      originalPath: file.relPath,
      outcome,
      clip: placed.clip,
      finding: note,
    });
    if (placed.kind === 'archived') this.host.queueThumbnail(() => this.thumbnail(placed.clip));
  }

  private async thumbnail(clip: ClipRecord): Promise<void> {
    const make = this.host.options.makeThumbnail ?? makeThumbnail;
    const rel = thumbnailPathFor(clip.sha256);
    try {
      const dataDir = this.host.options.dataDir;
      const made = await make(
        resolveInside(dataDir, clip.archivePath),
        resolveInside(dataDir, rel),
        clip.kind,
      );
      if (made) {
        this.host.catalogue.write((tx) => tx.clips.setThumbnail(clip.id, rel));
        this.host.publish('thumbnail', { dockingId: clip.dockingId, clipId: clip.id });
      }
    } catch {
      // A thumbnail is a convenience; its absence shows in the UI.
    }
  }

  private async mediaFacts(partial: string, file: SourceFile) {
    const read = this.host.options.readMediaFacts ?? readMediaFacts;
    const context = {
      profile: this.request.profile,
      originalName: file.name,
      mtime: new Date(file.mtime),
      kind: file.kind,
    };
    try {
      return await read(partial, context);
    } catch (error) {
      this.note(
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
    if (this.host.options.checkSpace === false) return;
    const fs = await statfs(this.host.staging.root);
    const free = Number(fs.bavail) * Number(fs.bsize);
    const reserve = this.host.options.spaceReserveBytes ?? DEFAULT_RESERVE;
    const needed = file.size - alreadyStaged + this.reservedBytes + reserve;
    if (free < needed) {
      this.halt({
        code: 'archive-full',
        message: `the archive disk is full: ${file.relPath} needs ${file.size - alreadyStaged} bytes, ${free} are free (${this.reservedBytes} taken by copies in flight, ${reserve} kept in reserve); nothing more is copied and nothing is cleared`,
      });
      throw new StopIngest(this.stop!);
    }
  }

  private async copyFailed(
    file: SourceFile,
    key: string,
    error: unknown,
    root: string,
    rootDev: number,
  ): Promise<void> {
    if (!(error instanceof CopyError)) {
      // Not this clip's fault (no worker could start, say): every other clip would fail alike.
      this.halt(classifyUnexpected(error));
      throw new StopIngest(this.stop!);
    }
    const failure = error;
    const gone = failure.code === 'source-error' && (await volumeGone(root, rootDev, file.absPath));
    const verdict = copyVerdict(failure, file.relPath, gone, this.stop);
    if (!verdict.keepPartial) {
      await this.host.staging.discard(this.serial, key).catch(() => undefined);
    }
    if (verdict.note) this.note(verdict.note);
    if (verdict.clip) {
      this.failed += 1;
      this.clipFailed(file, verdict.clip.finding, verdict.clip.outcome);
    }
    if (verdict.stop) {
      this.halt(verdict.stop);
      throw new StopIngest(this.stop!);
    }
  }

  private clipFailed(
    file: SourceFile,
    item: IngestFinding,
    outcome: 'failed' | 'not-counted',
  ): void {
    const record = this.note(item);
    this.host.publish('clip', {
      dockingId: this.docking.id,
      originalPath: file.relPath,
      outcome,
      clip: null,
      finding: record,
    });
    this.throttle.request();
  }

  /** D-24H and D-CONTINUOUS on this docking's clips, as findings. */
  private checkRules(policy: UnitPolicy): void {
    const mine = this.outcomes.filter((o) => o.outcome === 'archived').map((o) => o.clip);
    const found = dockingRuleFindings(mine, {
      clockOffset: this.clockOffset,
      now: this.host.now().toISOString(),
      gapThresholdSeconds: policy.continuityGapSeconds,
      overlapToleranceSeconds: policy.continuityOverlapSeconds,
      earlier: (kind) =>
        this.host.catalogue.clips.latestOfRecorder(this.serial, kind, this.docking.id),
    });
    for (const { finding: item, clipId } of found) this.note(item, clipId);
  }

  private async clear(alreadyProven: readonly ClearCandidate[]): Promise<void> {
    const candidates: ClearCandidate[] = [...alreadyProven];
    for (const outcome of this.outcomes) {
      if (outcome.outcome === 'already-proven') continue;
      const file = this.filesByPath.get(outcome.originalPath);
      if (file)
        candidates.push({ file, clipId: outcome.clip.id, sighting: outcome.outcome === 'sighted' });
    }
    const cleared = await clearRecorder(
      {
        catalogue: this.host.catalogue,
        audit: this.host.options.audit,
        actor: this.actor,
        now: this.host.now,
        dataDir: this.host.options.dataDir,
        scratch: this.host.staging.scratch,
        dockingId: this.docking.id,
        recorderSerial: this.serial,
      },
      candidates,
    );
    for (const item of cleared.findings) this.note(item);
    const done = new Set(cleared.cleared);
    for (const outcome of this.outcomes) if (done.has(outcome.originalPath)) outcome.cleared = true;
    // A file rewritten after its copy was proven holds footage the archive does not have.
    this.unproven += cleared.findings.filter((f) => f.code === 'clear-skipped').length;
  }

  private finish(status: Exclude<DockingStatus, 'ingesting'>, onVolume: number): IngestResult {
    const at = this.host.now().toISOString();
    const counts = {
      onVolume,
      planned: this.planned,
      archived: this.outcomes.filter((o) => o.outcome === 'archived').length,
      sighted: this.outcomes.filter((o) => o.outcome === 'sighted').length,
      alreadyProven: this.outcomes.filter((o) => o.outcome === 'already-proven').length,
      failed: this.failed,
      cleared: this.outcomes.filter((o) => o.cleared).length,
    };
    try {
      this.host.catalogue.write((tx) => {
        if (this.stop !== null && this.stop.code !== 'cancelled') {
          this.note(
            finding(
              this.stop.code === 'archive-full'
                ? 'archive-full'
                : this.stop.code === 'volume-gone'
                  ? 'volume-gone'
                  : 'ingest-failed',
              this.stop.message,
            ),
          );
        }
        tx.dockings.finish(
          this.docking.id,
          { status, safeToUndock: this.safeToUndock, error: this.stop },
          at,
        );
        this.host.options.audit.append(tx, {
          actor: this.actor,
          action: 'docking.finished',
          subject: `docking:${this.docking.id}`,
          details: {
            recorderSerial: this.serial,
            status,
            ...counts,
            error: this.stop?.code ?? null,
          },
        });
      });
    } catch (error) {
      // The catalogue itself may be on the full disk: the caller still learns what happened.
      if (this.stop === null) this.stop = classifyUnexpected(error);
    }
    this.docking = this.host.catalogue.dockings.get(this.docking.id) ?? this.docking;
    this.phase = status;
    this.throttle.request();
    this.throttle.flush();
    this.throttle.stop();
    const result: IngestResult = {
      docking: this.docking,
      status,
      safeToUndock: this.safeToUndock,
      error: this.stop,
      clips: this.outcomes,
      findings: this.host.catalogue.dockings.findings(this.docking.id),
      counts,
    };
    this.host.publish('finished', result);
    return result;
  }
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

async function sizeOf(path: string): Promise<number> {
  return (await stat(path)).size;
}
