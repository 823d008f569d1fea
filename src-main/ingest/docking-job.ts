import { realpath, stat } from 'node:fs/promises';
import { errnoOf } from '../archive';
import type { DockingRecord, DockingStatus, FindingRecord } from '../catalogue/dockings';
import type { UnitPolicy } from '../contract';
import { estimateClockOffset, type ClockOffset } from '../domain';
import { clearRecorder, type ClearCandidate } from './clear';
import { ClipIngest } from './clip-ingest';
import { diskSlots, type Semaphore } from './disk-slots';
import { DockingTally } from './docking-tally';
import { classifyUnexpected, StopIngest } from './failures';
import { finding, type IngestFinding } from './findings';
import { planIngest } from './plan';
import { dockingRuleFindings } from './rules';
import type { DockingProgress, IngestError, IngestRequest, IngestResult } from './types';
import { walkVolume, type SourceFile } from './walk';
import type { JobHost } from './job-host';

/** One docking from plan to finish. */
export class DockingJob {
  readonly serial: string;
  finished: Promise<unknown> = Promise.resolve();
  private readonly abort = new AbortController();
  private readonly tally: DockingTally;
  private readonly clipIngest: ClipIngest;
  private readonly filesByPath = new Map<string, SourceFile>();
  /** Files left on the recorder whose current bytes are not proven (not safe to undock). */
  private unproven = 0;
  private stopReason: IngestError | null = null;
  private clockOffset: ClockOffset | null;

  constructor(
    private readonly host: JobHost,
    private docking: DockingRecord,
    private readonly request: IngestRequest,
    private readonly actor: string,
  ) {
    this.serial = request.recorderSerial;
    this.clockOffset = request.clockOffset ?? null;
    this.tally = new DockingTally(
      { dockingId: docking.id, recorderSerial: this.serial },
      host.options.progressIntervalMs ?? 250,
      () => this.stopReason,
      (progress) => host.publish('progress', progress),
    );
    this.clipIngest = new ClipIngest({
      host,
      dockingId: docking.id,
      serial: this.serial,
      actor,
      request,
      tally: this.tally,
      signal: this.abort.signal,
      officerBadge: () => this.docking.officerBadge,
      clockOffset: () => this.clockOffset,
      stopped: () => this.stopReason,
      stop: (reason) => {
        this.halt(reason);
        throw new StopIngest(this.stopReason!);
      },
      note: (item, clipId) => this.note(item, clipId),
    });
  }

  /** Copies of this docking are (or may soon be) in flight. */
  get copying(): boolean {
    return this.tally.phase === 'planning' || this.tally.phase === 'copying';
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
    // For waiting on the end only: the result and its failure go to whoever called run().
    this.finished = done.catch(() => undefined);
    return done;
  }

  snapshot(): DockingProgress {
    return this.tally.snapshot();
  }

  private halt(reason: IngestError): void {
    if (this.stopReason === null) this.stopReason = reason;
    this.abort.abort(new StopIngest(reason));
  }

  private note(item: IngestFinding, clipId: number | null = null): FindingRecord {
    const record = this.host.catalogue.write((tx) =>
      tx.dockings.addFinding(this.docking.id, { ...item, clipId }, this.host.now().toISOString()),
    );
    this.tally.findings += 1;
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
      this.tally.planned = plan.toCopy.length;
      this.tally.bytesPlanned = plan.bytesToCopy;
      alreadyProven = plan.alreadyProven;
      for (const known of plan.alreadyProven) {
        const clip = this.host.catalogue.clips.get(known.clipId);
        if (clip) {
          this.tally.outcomes.push({
            outcome: 'already-proven',
            originalPath: known.file.relPath,
            clip,
            cleared: false,
          });
        }
      }
      this.host.catalogue.write((tx) =>
        tx.dockings.setPlanned(this.docking.id, this.tally.planned, this.tally.bytesPlanned),
      );
      this.settleClockOffset(files);

      this.tally.setPhase('copying');
      await this.host.staging.prepare(this.serial);
      const slots = diskSlots(
        (await stat(this.host.staging.root)).dev,
        policy.copyConcurrencyPerDisk,
      );
      await this.copyAll(plan.toCopy, slots, policy, root, rootDev);
    } catch (error) {
      if (!(error instanceof StopIngest) && this.stopReason === null) {
        this.stopReason =
          rootDev === -1 && errnoOf(error) === 'ENOENT'
            ? { code: 'volume-gone', message: `${this.request.mountpoint} is not mounted any more` }
            : classifyUnexpected(error);
      }
    }

    if (this.stopReason === null) this.checkRules(policy);
    const status: Exclude<DockingStatus, 'ingesting'> =
      this.stopReason === null
        ? 'complete'
        : this.stopReason.code === 'volume-gone' || this.stopReason.code === 'cancelled'
          ? 'interrupted'
          : 'failed';
    if (status === 'complete' && policy.clearAfterIngest) {
      this.tally.setPhase('clearing');
      await this.clear(alreadyProven);
    }
    // Last of all, and before "safe to undock": setting the clock may write to the volume.
    if (status === 'complete' && this.request.setClock) await this.syncClock(this.request.setClock);
    this.tally.safeToUndock =
      status === 'complete' && this.tally.failed === 0 && this.unproven === 0;
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
      while (this.stopReason === null && next < files.length) {
        const file = files[next++]!;
        let release: (() => void) | null = null;
        try {
          release = await slots.acquire(this.abort.signal);
          if (this.stopReason !== null) return;
          await this.clipIngest.ingest(file, policy, { path: root, dev: rootDev }, release);
        } catch (error) {
          if (error instanceof StopIngest) return;
          if (this.stopReason === null) this.halt(classifyUnexpected(error));
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

  /** D-24H and D-CONTINUOUS on this docking's clips, as findings. */
  private checkRules(policy: UnitPolicy): void {
    const mine = this.tally.outcomes.filter((o) => o.outcome === 'archived').map((o) => o.clip);
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
    for (const outcome of this.tally.outcomes) {
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
        ...(this.host.options.log === undefined ? {} : { log: this.host.options.log }),
      },
      candidates,
    );
    for (const item of cleared.findings) this.note(item);
    const done = new Set(cleared.cleared);
    for (const outcome of this.tally.outcomes)
      if (done.has(outcome.originalPath)) outcome.cleared = true;
    // A file rewritten after its copy was proven holds footage the archive does not have.
    this.unproven += cleared.findings.filter((f) => f.code === 'clear-skipped').length;
  }

  private finish(status: Exclude<DockingStatus, 'ingesting'>, onVolume: number): IngestResult {
    const at = this.host.now().toISOString();
    const counts = {
      onVolume,
      planned: this.tally.planned,
      archived: this.tally.outcomes.filter((o) => o.outcome === 'archived').length,
      sighted: this.tally.outcomes.filter((o) => o.outcome === 'sighted').length,
      alreadyProven: this.tally.outcomes.filter((o) => o.outcome === 'already-proven').length,
      failed: this.tally.failed,
      cleared: this.tally.outcomes.filter((o) => o.cleared).length,
    };
    try {
      this.host.catalogue.write((tx) => {
        if (this.stopReason !== null && this.stopReason.code !== 'cancelled') {
          this.note(
            finding(
              this.stopReason.code === 'archive-full'
                ? 'archive-full'
                : this.stopReason.code === 'volume-gone'
                  ? 'volume-gone'
                  : 'ingest-failed',
              this.stopReason.message,
            ),
          );
        }
        tx.dockings.finish(
          this.docking.id,
          { status, safeToUndock: this.tally.safeToUndock, error: this.stopReason },
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
            error: this.stopReason?.code ?? null,
          },
        });
      });
    } catch (error) {
      // The catalogue itself may be on the full disk: the caller still learns what happened.
      if (this.stopReason === null) this.stopReason = classifyUnexpected(error);
    }
    this.docking = this.host.catalogue.dockings.get(this.docking.id) ?? this.docking;
    this.tally.phase = status;
    this.tally.close();
    const result: IngestResult = {
      docking: this.docking,
      status,
      safeToUndock: this.tally.safeToUndock,
      error: this.stopReason,
      clips: this.tally.outcomes,
      findings: this.host.catalogue.dockings.findings(this.docking.id),
      counts,
    };
    this.host.publish('finished', result);
    return result;
  }
}
