import { z } from 'zod';
import { empty, method } from './method-spec';

/**
 * The archive integrity sweep (D-NO-TAMPER, D-SUPERVISION): every archived original re-hashed
 * past the page cache, held against its catalogue row, its sidecar and the audit chain's record
 * of every clip archived. The station runs it on a schedule; a custodian can start it.
 */

export const INTEGRITY_PROBLEMS = [
  /** The catalogue names an original the archive no longer has. */
  'missing',
  /** The original's bytes differ from the hashes taken when it was archived. */
  'mismatch',
  /** Something else sits where the original should be (a link, a folder). */
  'not-a-file',
  'unreadable',
  /** The sidecar that lets the catalogue be rebuilt is gone, unreadable, or disagrees. */
  'sidecar-missing',
  'sidecar-mismatch',
  /** A file in the archive that the catalogue does not know: footage inserted behind its back. */
  'uncatalogued',
  /** The audit chain records the clip archived; the catalogue has no such clip, and no lawful removal is recorded. */
  'vanished',
  /** The catalogue's facts of a clip (hash, size, path, recorder) are not the ones the chain recorded at archiving. */
  'rewritten',
  /** A catalogued clip the audit chain never recorded as archived: a row inserted behind its back. */
  'unchained',
  /**
   * A clip catalogued from its sidecar alone by a recovery (`clip.recovered`) whose docking the
   * chain does not show under way at the time: nothing shows the station ever copied it.
   */
  'unproven',
  /**
   * A file recovery moved to quarantine/: in the archive with no catalogue row a crash accounts
   * for, or a proven copy in staging no crash left. Named on every sweep; never catalogued.
   */
  'quarantined',
  /** The audit chain itself fails its check: what it records cannot be relied on until explained. */
  'chain-broken',
] as const;
export type IntegrityProblemCode = (typeof INTEGRITY_PROBLEMS)[number];

export const integrityProblemSchema = z.object({
  code: z.enum(INTEGRITY_PROBLEMS),
  clipId: z.number().int().nullable(),
  /** Relative to the data dir, `/`-separated; empty for the chain as a whole. */
  archivePath: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export type IntegrityProblem = z.infer<typeof integrityProblemSchema>;

/** How far a running sweep is; pushed at most ~4 times a second. */
export const integrityProgressSchema = z.object({
  startedAt: z.string(),
  clipsChecked: z.number().int().nonnegative(),
  clips: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
});
export type IntegrityProgress = z.infer<typeof integrityProgressSchema>;

/** The most problems a sweep's outcome carries to a screen; the audit log holds every one. */
export const SWEEP_PROBLEMS_SHOWN = 100;

/** A sweep's outcome, as the audit chain keeps it. */
export const integritySweepSchema = z.object({
  /** The audit entry that records it. */
  seq: z.number().int().positive(),
  finishedAt: z.string(),
  /** Who ran it: a custodian's badge, or `station` for the schedule and the command line. */
  by: z.string(),
  /** Finished with nothing to report. */
  ok: z.boolean(),
  /** Why the sweep could not finish (it then proves nothing); null when it finished. */
  failure: z.string().nullable(),
  clipsChecked: z.number().int().nonnegative(),
  bytesChecked: z.number().int().nonnegative(),
  problemCount: z.number().int().nonnegative(),
  /** The first SWEEP_PROBLEMS_SHOWN problems. */
  problems: z.array(integrityProblemSchema),
});
export type IntegritySweep = z.infer<typeof integritySweepSchema>;

export const integrityStatusSchema = z.object({
  running: z.boolean(),
  progress: integrityProgressSchema.nullable(),
  last: integritySweepSchema.nullable(),
  /** When the station runs the next sweep on its own; null when it runs none (a CLI process). */
  nextAt: z.string().nullable(),
});
export type IntegrityStatus = z.infer<typeof integrityStatusSchema>;

export const INTEGRITY_METHODS = {
  /** D-SUPERVISION: the last sweep and the one under way. */
  'integrity.status': method('integrity.read', empty, integrityStatusSchema, false),
  /** D-CUSTODIAN: a sweep now, unless one runs already (the answer then shows that one). */
  'integrity.start': method('integrity.run', empty, integrityStatusSchema, true),
} as const;

/** D-SUPERVISION: the sweeps of a compliance report's period, as the audit chain records them. */
export const integrityInPeriodSchema = z.object({
  /** Sweeps that finished in the period. */
  sweeps: z.number().int().nonnegative(),
  /** Of those, sweeps that found problems. */
  withProblems: z.number().int().nonnegative(),
  /** Sweeps that could not finish. */
  incomplete: z.number().int().nonnegative(),
  /** The last sweep that finished in the period. */
  last: integritySweepSchema
    .pick({ finishedAt: true, ok: true, clipsChecked: true, problemCount: true })
    .nullable(),
});
export type IntegrityInPeriod = z.infer<typeof integrityInPeriodSchema>;
