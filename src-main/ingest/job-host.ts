import type { Catalogue } from '../catalogue/catalogue';
import type { UnitPolicy } from '../contract';
import type { ClipCopier } from './copier';
import type { Placement } from './place';
import type { Staging, StagingManifest } from './staging';
import type { IngestEngineEvents, IngestEngineOptions } from './types';

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
  /**
   * A proven copy in staging no placement of this process left, moved aside (never placed), in
   * turn with the placements: see setAsideStagedCopy.
   */
  setAside(serial: string, key: string, reason: string): Promise<void>;
  queueThumbnail(make: () => Promise<void>): void;
  publish<K extends keyof IngestEngineEvents>(name: K, ...args: IngestEngineEvents[K]): void;
}
