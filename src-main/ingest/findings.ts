import type { ContinuityCode } from '../domain';

/**
 * What ingest reports instead of failing silently: every refused file, every clip that could not
 * be proven, every oddity on the volume. Stored on the docking (docking_findings) and shown.
 */
export const INGEST_FINDING_CODES = [
  // The volume (walk)
  'invalid-utf8-name',
  'unsafe-name',
  'symlink',
  'special-file',
  'folder-loop',
  'too-deep',
  'too-many-files',
  'unreadable-folder',
  'media-folder-missing',
  'empty-file',
  'not-media',
  // Copying and proving
  'changed-during-copy',
  'read-error',
  'verify-mismatch',
  'copy-failed',
  'duplicate',
  'resumed',
  'renamed-in-archive',
  'media-facts-failed',
  'thumbnail-failed',
  // Rules checked at docking (D-24H; the D-CONTINUOUS codes come from the domain)
  'late-custody',
  // The docking as a whole
  'volume-gone',
  'archive-full',
  'ingest-failed',
  // Clearing the recorder, setting its clock
  'clear-skipped',
  'clear-failed',
  'clock-set-failed',
] as const;
/** Ingest's own codes, and the domain's D-CONTINUOUS ones, stored on the docking alike. */
export type IngestFindingCode = (typeof INGEST_FINDING_CODES)[number] | ContinuityCode;

export interface IngestFinding {
  code: IngestFindingCode;
  message: string;
  /** Path on the volume, relative to its root, printable (invalid bytes escaped). */
  path: string | null;
  details?: Record<string, unknown>;
}

export function finding(
  code: IngestFindingCode,
  message: string,
  path: string | null = null,
  details?: Record<string, unknown>,
): IngestFinding {
  return details === undefined ? { code, message, path } : { code, message, path, details };
}
