import type { CopyPhase } from './copy';
import { RateMeter, Throttle } from './progress';
import type { ClipPhase, DockingProgress, IngestError, IngestPhase, IngestedClip } from './types';
import type { SourceFile } from './walk';

/** A clip being copied, read back or archived now, with its own rate. */
export interface ClipInFlight {
  file: SourceFile;
  phase: ClipPhase;
  copied: number;
  verified: number;
  meter: RateMeter;
}

/**
 * What a docking has done so far, as the Dock screen shows it: counts, bytes, the clips in
 * flight with their rates, rate-limited to a few updates a second (progress is data, DESIGN.md).
 */
export class DockingTally {
  phase: IngestPhase = 'planning';
  planned = 0;
  bytesPlanned = 0;
  /** Bytes of clips archived or sighted. */
  bytesDone = 0;
  failed = 0;
  findings = 0;
  safeToUndock = false;
  readonly outcomes: IngestedClip[] = [];
  private readonly inFlight = new Map<string, ClipInFlight>();
  private readonly meter = new RateMeter();
  private readonly throttle: Throttle;

  constructor(
    private readonly identity: { dockingId: number; recorderSerial: string },
    intervalMs: number,
    private readonly error: () => IngestError | null,
    publish: (progress: DockingProgress) => void,
  ) {
    this.throttle = new Throttle(intervalMs, () => publish(this.snapshot()));
  }

  snapshot(): DockingProgress {
    const bytes = Math.round(this.bytesSoFar());
    return {
      ...this.identity,
      phase: this.phase,
      clipsPlanned: this.planned,
      clipsDone: this.outcomes.filter((o) => o.outcome !== 'already-proven').length,
      clipsFailed: this.failed,
      findings: this.findings,
      ...this.meter.figures(bytes, this.bytesPlanned),
      clips: [...this.inFlight.values()].map((c) => ({
        originalPath: c.file.relPath,
        phase: c.phase,
        ...c.meter.figures(c.phase === 'verifying' ? c.verified : c.copied, c.file.size),
      })),
      safeToUndock: this.safeToUndock,
      error: this.error(),
    };
  }

  /** A phase change is told at once. */
  setPhase(phase: IngestPhase): void {
    this.phase = phase;
    this.changed();
    this.throttle.flush();
  }

  /** Something changed: an update goes out within the interval. */
  changed(): void {
    this.throttle.request();
  }

  begin(file: SourceFile): ClipInFlight {
    const clip: ClipInFlight = {
      file,
      phase: 'copying',
      copied: 0,
      verified: 0,
      meter: new RateMeter(),
    };
    this.inFlight.set(file.relPath, clip);
    return clip;
  }

  end(file: SourceFile): void {
    this.inFlight.delete(file.relPath);
  }

  /** The copy of `clip` reports its bytes; each phase has its own rate. */
  copyProgress(clip: ClipInFlight, phase: CopyPhase, bytes: number): void {
    // Reading back runs at the archive disk's speed, not the recorder's.
    if (clip.phase !== phase) clip.meter = new RateMeter();
    clip.phase = phase;
    if (phase === 'copying') clip.copied = bytes;
    else {
      clip.copied = clip.file.size;
      clip.verified = bytes;
    }
    clip.meter.update(bytes);
    this.meter.update(this.bytesSoFar());
    this.changed();
  }

  /** A clip copied again from nothing (after a read-back that differed). */
  restart(clip: ClipInFlight): void {
    clip.copied = 0;
    clip.verified = 0;
  }

  archiving(clip: ClipInFlight): void {
    clip.phase = 'archiving';
    this.changed();
  }

  /** A clip is in custody (archived or sighted): its bytes count as done. */
  done(outcome: IngestedClip, size: number): void {
    this.bytesDone += size;
    this.outcomes.push(outcome);
    this.meter.update(this.bytesSoFar());
    this.changed();
  }

  /** The last update goes out now, and no more after it. */
  close(): void {
    this.changed();
    this.throttle.flush();
    this.throttle.stop();
  }

  /** Each clip in flight counts half while copied and half while read back. */
  private bytesSoFar(): number {
    let inFlight = 0;
    for (const c of this.inFlight.values()) inFlight += (c.copied + c.verified) / 2;
    return this.bytesDone + inFlight;
  }
}
