import type { FindingCode } from '../contract';

/**
 * What ingest reports instead of failing silently: every refused file, every clip that could not
 * be proven, every oddity on the volume. Stored on the docking (docking_findings) and shown. The
 * codes are the contract's FINDING_CODES, which the UI explains one by one.
 */
export type IngestFindingCode = FindingCode;

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
