import { EventEmitter, once } from 'node:events';
import type { LockFile } from '../archive';
import type { Catalogue } from '../catalogue/catalogue';
import type { DockingRecord } from '../catalogue/dockings';
import type { IdentifiedBy, UnitPolicy } from '../contract';
import { STATION_ACTOR } from '../custody/audit-log';
import { WorkerCopier, type ClipCopier } from './copier';
import { DockingJob } from './docking-job';
import type { JobHost } from './job-host';
import { acquireIngestLock } from './lock';
import { placeVerified, type Placement } from './place';
import {
  recoverIngest,
  setAsideStagedCopy,
  type QuarantineContext,
  type RecoveryReport,
} from './recover';
import { Staging, type StagingManifest } from './staging';
import {
  IngestRefused,
  type DockingProgress,
  type IngestEngineEvents,
  type IngestEngineOptions,
  type IngestError,
  type IngestJob,
  type IngestRequest,
} from './types';

/**
 * Ingests docked volumes: walk → plan → copy, hash and read back in worker threads → place into
 * the archive → catalogue + audit → (by policy) clear the recorder. Several recorders at once;
 * copies per destination disk are limited process-wide. One engine per data dir (locked).
 */
export class IngestEngine extends EventEmitter<IngestEngineEvents> implements JobHost {
  readonly catalogue: Catalogue;
  readonly staging: Staging;
  readonly now: () => Date;
  readonly copier: ClipCopier;
  private readonly jobs = new Map<number, DockingJob>();
  private placing: Promise<unknown> = Promise.resolve();
  private thumbnails: Promise<unknown> = Promise.resolve();
  private readonly waitingThumbnails: (() => Promise<void>)[] = [];
  private closed = false;

  private constructor(
    readonly options: IngestEngineOptions,
    private readonly lock: LockFile,
    /** What the start-up recovery settled (see recoverIngest). */
    readonly recovery: RecoveryReport,
    staging: Staging,
    copier: ClipCopier,
  ) {
    super();
    this.catalogue = options.catalogue;
    this.staging = staging;
    this.now = options.now ?? (() => new Date());
    this.copier = copier;
  }

  /** Takes the data dir's ingest lock and settles whatever a crash left (see recoverIngest). */
  static async open(options: IngestEngineOptions): Promise<IngestEngine> {
    const staging = new Staging(options.dataDir);
    const lock = await acquireIngestLock(options.dataDir, staging.root);
    try {
      const now = options.now ?? (() => new Date());
      const recovery = await recoverIngest({
        dataDir: options.dataDir,
        staging,
        catalogue: options.catalogue,
        audit: options.audit,
        actor: STATION_ACTOR,
        now,
        ...(options.log === undefined ? {} : { log: options.log }),
      });
      const limit = options.catalogue.settings.get('copyConcurrencyPerDisk');
      const copier = options.copier ?? new WorkerCopier(options.workerScript, limit);
      return new IngestEngine(options, lock, recovery, staging, copier);
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /** Dockings in progress now. */
  status(): DockingProgress[] {
    return [...this.jobs.values()].map((job) => job.snapshot());
  }

  /**
   * Starts ingesting one docked recorder. The docking row exists when this returns (its id is
   * on the job); everything else happens in `done`. Refuses recorders that are not registered
   * (D-NO-LEAK) and a recorder that is already being ingested.
   */
  ingest(request: IngestRequest): IngestJob {
    if (this.closed) throw new IngestRefused('ENGINE_CLOSED', 'the ingest engine is closed');
    const recorder = this.catalogue.recorders.getActive(request.recorderSerial);
    if (!recorder) {
      throw new IngestRefused(
        'RECORDER_NOT_REGISTERED',
        `recorder ${request.recorderSerial} is not registered: a custodian must register it before its clips are read (D-NO-LEAK)`,
      );
    }
    for (const job of this.jobs.values()) {
      if (job.serial.toUpperCase() === recorder.serial.toUpperCase()) {
        throw new IngestRefused(
          'RECORDER_BUSY',
          `recorder ${recorder.serial} is already being ingested`,
        );
      }
    }
    const actor = request.actor ?? STATION_ACTOR;
    const officerBadge =
      request.officerBadge === undefined ? recorder.officerBadge : request.officerBadge;
    const docking = this.options.catalogue.write((tx) => {
      const started = tx.dockings.start(
        {
          recorderSerial: recorder.serial,
          officerBadge,
          identifiedBy: request.identifiedBy ?? null,
          mountpoint: request.mountpoint,
          clockOffsetMs: request.clockOffset?.offsetMs ?? null,
          clockOffsetSource: request.clockOffset?.source ?? null,
        },
        this.now().toISOString(),
      );
      this.options.audit.append(tx, {
        actor,
        action: 'docking.started',
        subject: `docking:${started.id}`,
        details: {
          recorderSerial: recorder.serial,
          profileId: request.profile.id,
          officerBadge,
          identifiedBy: request.identifiedBy ?? null,
        },
      });
      return started;
    });
    const job = new DockingJob(
      this,
      docking,
      { ...request, recorderSerial: recorder.serial },
      actor,
    );
    this.jobs.set(docking.id, job);
    const done = job.run().finally(() => {
      this.jobs.delete(docking.id);
      this.startThumbnails();
    });
    return { dockingId: docking.id, done, cancel: () => job.cancel() };
  }

  /**
   * The officer at the dock, confirmed (badge + PIN, IC card): the docking and its clips are
   * attributed to them, audited with who it was before. Clips still being copied follow.
   */
  identifyOfficer(
    dockingId: number,
    officerBadge: string,
    identifiedBy: IdentifiedBy,
    actor: string,
  ): DockingRecord {
    const before = this.catalogue.dockings.get(dockingId);
    if (!before) throw new Error(`docking ${dockingId} does not exist`);
    this.options.catalogue.write((tx) => {
      // Clips first: they follow whoever the docking named until now.
      const clips = tx.clips.setOfficerOfDocking(dockingId, officerBadge);
      tx.dockings.setOfficer(dockingId, officerBadge, identifiedBy, this.now().toISOString());
      this.options.audit.append(tx, {
        actor,
        action: 'docking.officer.identified',
        subject: `docking:${dockingId}`,
        details: {
          recorderSerial: before.recorderSerial,
          officerBadge,
          identifiedBy,
          before: { officerBadge: before.officerBadge, identifiedBy: before.identifiedBy },
          // With `before`, which clips followed (setOfficerOfDocking): the sweep replays it.
          recorderOfficerBadge: tx.recorders.get(before.recorderSerial)?.officerBadge ?? null,
          clipsReattributed: clips,
        },
      });
    });
    this.jobs.get(dockingId)?.setOfficer(officerBadge);
    return this.catalogue.dockings.get(dockingId)!;
  }

  /** Whether a docking is being ingested now. */
  isRunning(dockingId: number): boolean {
    return this.jobs.has(dockingId);
  }

  cancel(dockingId: number, reason?: IngestError): boolean {
    const job = this.jobs.get(dockingId);
    job?.cancel(reason);
    return job !== undefined;
  }

  /** Cancels running dockings (they end interrupted, partials kept), stops workers, unlocks. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const running = [...this.jobs.values()];
    for (const job of running) job.cancel();
    await Promise.allSettled(running.map((job) => job.finished));
    this.startThumbnails();
    await this.thumbnails;
    await this.copier.close();
    await this.lock.release();
  }

  // -- JobHost: what a DockingJob uses ---------------------------------------------------

  policy(): UnitPolicy {
    return this.catalogue.settings.policy();
  }

  publish<K extends keyof IngestEngineEvents>(name: K, ...args: IngestEngineEvents[K]): void {
    (this.emit as (name: K, ...args: IngestEngineEvents[K]) => boolean)(name, ...args);
  }

  /**
   * Thumbnails one at a time, once no docking is copying: ffmpeg must not compete with the
   * copies for the CPU and the disk, and an officer waits for "safe to undock", not for pictures.
   */
  queueThumbnail(make: () => Promise<void>): void {
    this.waitingThumbnails.push(make);
    this.startThumbnails();
  }

  /** Resolves when the thumbnails queued so far are made (or given up). */
  async thumbnailsSettled(): Promise<void> {
    for (;;) {
      this.startThumbnails();
      await this.thumbnails;
      if (this.waitingThumbnails.length === 0) return;
      // A docking is still copying: the rest start when it is through.
      await once(this, 'finished');
    }
  }

  private copying(): boolean {
    for (const job of this.jobs.values()) if (job.copying) return true;
    return false;
  }

  private startThumbnails(): void {
    if (this.copying()) return;
    for (const make of this.waitingThumbnails.splice(0)) {
      // Each maker reports its own failure; one that throws must not stop the ones after it.
      this.thumbnails = this.thumbnails.then(make).catch(() => undefined);
    }
  }

  /** Placements run one at a time: the duplicate check and the insert must not interleave. */
  place(manifest: StagingManifest, actor: string): Promise<Placement> {
    return this.inTurn(() =>
      placeVerified(
        {
          ...this.archiveContext(actor),
          staging: this.staging,
          step: (name) => this.options.onPlaceStep?.(name, manifest.originalPath),
        },
        manifest,
      ),
    );
  }

  /** In turn with the placements: an archive name being placed is never taken for a stray. */
  async setAside(serial: string, key: string, reason: string): Promise<void> {
    await this.inTurn(() =>
      setAsideStagedCopy(this.archiveContext(STATION_ACTOR), serial.toUpperCase(), key, reason),
    );
  }

  /** Runs after the placements and set-asides queued before it; only the order is kept here. */
  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const run = this.placing.then(work);
    // Each one's failure goes to its own caller.
    this.placing = run.catch(() => undefined);
    return run;
  }

  private archiveContext(actor: string): QuarantineContext {
    return {
      dataDir: this.options.dataDir,
      catalogue: this.catalogue,
      audit: this.options.audit,
      actor,
      now: this.now,
    };
  }
}
