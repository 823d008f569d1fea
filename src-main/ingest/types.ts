import type { Catalogue } from '../catalogue/catalogue';
import type { ClipRecord } from '../catalogue/clips';
import type { DockingRecord, DockingStatus, FindingRecord } from '../catalogue/dockings';
import type { IdentifiedBy, Log } from '../contract';
import type { AuditLog } from '../custody/audit-log';
import type { RecorderProfile } from '../devices/profile';
import type { ClockOffset } from '../domain';
import type { ClipCopier } from './copier';
import type { CopyPhase } from './copy';
import type { MakeThumbnail, ReadMediaFacts } from './media';
import type { PlaceStep } from './place';
import type { ProgressFigures } from './progress';
import type { WalkOptions } from './walk';

/** The public shapes of the ingest engine: what the station's RPC, events and CLI carry. */

export type IngestPhase =
  'planning' | 'copying' | 'clearing' | 'complete' | 'interrupted' | 'failed';

export type ClipPhase = CopyPhase | 'archiving';

export interface ClipProgress extends ProgressFigures {
  originalPath: string;
  phase: ClipPhase;
}

/** One docking's state, as the Dock screen shows it. Sent at most ~4 times a second per docking. */
export interface DockingProgress extends ProgressFigures {
  dockingId: number;
  recorderSerial: string;
  phase: IngestPhase;
  clipsPlanned: number;
  /** Archived or found identical to an archived clip. */
  clipsDone: number;
  clipsFailed: number;
  findings: number;
  /** Clips being copied or verified now. */
  clips: ClipProgress[];
  /** Every clip on the recorder is proven (and cleared, by policy): the officer may pull it. */
  safeToUndock: boolean;
  error: IngestError | null;
}

export interface IngestError {
  /** `volume-gone` | `archive-full` | `archive-error` | `cancelled` | `failed` */
  code: string;
  message: string;
}

export type ClipOutcome = 'archived' | 'sighted' | 'already-proven';

export interface IngestedClip {
  outcome: ClipOutcome;
  /** The file on this recorder, as found now. */
  originalPath: string;
  /** The catalogued clip that holds these bytes. */
  clip: ClipRecord;
  cleared: boolean;
}

export interface IngestResult {
  docking: DockingRecord;
  status: Exclude<DockingStatus, 'ingesting'>;
  safeToUndock: boolean;
  error: IngestError | null;
  clips: IngestedClip[];
  findings: FindingRecord[];
  counts: {
    onVolume: number;
    planned: number;
    archived: number;
    sighted: number;
    alreadyProven: number;
    failed: number;
    cleared: number;
  };
}

export interface IngestRequest {
  /** Where the recorder's volume is mounted. */
  mountpoint: string;
  recorderSerial: string;
  profile: RecorderProfile;
  /** Who docked (badge), or `station` for an automatic ingest; recorded in the audit log. */
  actor?: string;
  /** The officer identified at the dock; default: the recorder's assigned officer. */
  officerBadge?: string | null;
  identifiedBy?: IdentifiedBy | null;
  /** Read from the recorder's driver; without one, estimated from the newest file (D-24H). */
  clockOffset?: ClockOffset | null;
  /**
   * Sets the recorder's clock to the station's (the profile's clock sync), answering the time it
   * set. Run once every clip is proven, before the docking is declared safe to undock.
   */
  setClock?: () => Promise<Date>;
}

export interface IngestJob {
  dockingId: number;
  done: Promise<IngestResult>;
  /** Stops copying; partials stay for a resume at the next docking. The docking ends interrupted. */
  cancel(reason?: IngestError): void;
}

export interface ClipEvent {
  dockingId: number;
  originalPath: string;
  outcome: ClipOutcome | 'failed' | 'not-counted';
  clip: ClipRecord | null;
  finding: FindingRecord | null;
}

export interface IngestEngineEvents {
  progress: [DockingProgress];
  clip: [ClipEvent];
  finding: [FindingRecord];
  /** A clip's thumbnail was made (after the copies, one at a time). */
  thumbnail: [{ dockingId: number; clipId: number }];
  finished: [IngestResult];
}

export interface IngestEngineOptions {
  catalogue: Catalogue;
  /** What the engine gave up on without failing a clip (a thumbnail, a sidecar note). */
  log?: Log;
  audit: AuditLog;
  dataDir: string;
  now?: () => Date;
  /** Default: worker threads running `workerScript`. */
  copier?: ClipCopier;
  workerScript?: URL | string;
  /** Media facts of a proven copy; default: container, file name, file times (./media). */
  readMediaFacts?: ReadMediaFacts;
  /** Default: ffmpeg (./media); `noThumbnail` to skip. */
  makeThumbnail?: MakeThumbnail;
  /** Default 250 ms: at most four progress events a second per docking. */
  progressIntervalMs?: number;
  walk?: WalkOptions;
  /** Free space kept on the archive disk besides the copies in flight. Default 16 MiB. */
  spaceReserveBytes?: number;
  /** Refuse to start a copy that cannot fit (default true); off to exercise a real ENOSPC. */
  checkSpace?: boolean;
  /** Bytes per read and write of a copy (default 4 MiB); small values make copies observable. */
  chunkSize?: number;
  /** Test hook: each durable step of a placement, to kill the process exactly there. */
  onPlaceStep?: (step: PlaceStep, originalPath: string) => void;
  /** Test hook: a copy of `originalPath` has made progress. */
  onCopyProgress?: (originalPath: string, phase: CopyPhase, bytes: number) => void;
}

/** Why an ingest could not start. */
export class IngestRefused extends Error {
  constructor(
    readonly code: 'RECORDER_NOT_REGISTERED' | 'RECORDER_BUSY' | 'ENGINE_CLOSED',
    message: string,
  ) {
    super(message);
    this.name = 'IngestRefused';
  }
}
