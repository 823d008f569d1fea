/** The ingest engine: docked volume → proven, archived, catalogued clips (issue 3, "Ingest"). */
export { IngestEngine } from './engine';
export * from './types';
export {
  defaultWorkerScript,
  InThreadCopier,
  WorkerCopier,
  type ClipCopier,
  type CopyRun,
} from './copier';
export { CopyError, type CopyErrorCode, type CopyPhase, type OpenSource } from './copy';
export type { IngestFinding, IngestFindingCode } from './findings';
export { IngestBusyError } from './lock';
export { fileTimeFacts, noThumbnail, type MakeThumbnail, type ReadMediaFacts } from './media';
export type { PlaceStep } from './place';
export type { RecoveryReport } from './recover';
export type { SourceFile } from './walk';
