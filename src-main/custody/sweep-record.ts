import type { StoredAuditEntry } from '../catalogue/audit-entries';
import type { Catalogue } from '../catalogue/catalogue';
import {
  INTEGRITY_PROBLEMS,
  SWEEP_PROBLEMS_SHOWN,
  type IntegrityProblem,
  type IntegrityInPeriod,
  type IntegrityProblemCode,
  type IntegritySweep,
} from '../contract';
import { clipOfEntry } from '../domain';

/**
 * The sweeps as the audit chain records them (D-NO-TAMPER, D-SUPERVISION): the chain, not a
 * table of their own, is where a sweep's result is kept, so the Home screen and the compliance
 * report read what no one can quietly rewrite. A finished sweep is one transaction: its problems
 * (`integrity.problem`), then `integrity.checked`, then `integrity.sweep.failed` when it found
 * any; a sweep that could not finish is an `integrity.sweep.failed` of its own.
 */

const parsed = (entry: StoredAuditEntry): Record<string, unknown> => {
  try {
    return JSON.parse(entry.details) as Record<string, unknown>;
  } catch {
    // The chain check names an unreadable entry; here it only reads as empty.
    return {};
  }
};
const whole = (value: unknown): number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0;

const newest = (catalogue: Catalogue, action: string): StoredAuditEntry | undefined =>
  catalogue.audit.list({ action, limit: 1 }).entries[0];

/** The last sweep, finished or not, with its first problems; null before the first. */
export function lastSweep(catalogue: Catalogue): IntegritySweep | null {
  const checked = newest(catalogue, 'integrity.checked');
  const failed = newest(catalogue, 'integrity.sweep.failed');
  const failedDetails = failed ? parsed(failed) : {};
  if (failed && failedDetails.reason === 'incomplete' && failed.seq > (checked?.seq ?? 0)) {
    return {
      seq: failed.seq,
      finishedAt: failed.at,
      by: failed.actor,
      ok: false,
      failure: typeof failedDetails.message === 'string' ? failedDetails.message : 'unknown',
      clipsChecked: 0,
      bytesChecked: 0,
      problemCount: 0,
      problems: [],
    };
  }
  if (!checked) return null;
  const details = parsed(checked);
  const problemCount = whole(details.problems);
  return {
    seq: checked.seq,
    finishedAt: checked.at,
    by: checked.actor,
    ok: details.ok === true,
    failure: null,
    clipsChecked: whole(details.clipsChecked),
    bytesChecked: whole(details.bytesChecked),
    problemCount,
    problems: problemCount === 0 ? [] : problemsOf(catalogue, checked.seq, problemCount),
  };
}

/** The first problems of the sweep recorded at `seq`: the entries just before it. */
function problemsOf(catalogue: Catalogue, seq: number, count: number): IntegrityProblem[] {
  const first = seq - count;
  const shown = Math.min(count, SWEEP_PROBLEMS_SHOWN);
  return catalogue.audit
    .list({ action: 'integrity.problem', beforeSeq: first + shown, limit: shown })
    .entries.filter((e) => e.seq >= first)
    .reverse()
    .map((entry) => {
      const { code, archivePath, message, ...details } = parsed(entry);
      return {
        code: (INTEGRITY_PROBLEMS as readonly unknown[]).includes(code)
          ? (code as IntegrityProblemCode)
          : 'unreadable',
        clipId: clipOfEntry(entry),
        archivePath: typeof archivePath === 'string' ? archivePath : '',
        message: typeof message === 'string' ? message : '',
        details,
      };
    });
}

/** The sweeps recorded in [fromIso, toIso), newest first through the chain's action index. */
export function sweepsBetween(
  catalogue: Catalogue,
  fromIso: string,
  toIso: string,
): IntegrityInPeriod {
  const result: IntegrityInPeriod = { sweeps: 0, withProblems: 0, incomplete: 0, last: null };
  for (const entry of entriesBetween(catalogue, 'integrity.checked', fromIso, toIso)) {
    const details = parsed(entry);
    result.sweeps += 1;
    if (details.ok !== true) result.withProblems += 1;
    result.last ??= {
      finishedAt: entry.at,
      ok: details.ok === true,
      clipsChecked: whole(details.clipsChecked),
      problemCount: whole(details.problems),
    };
  }
  for (const entry of entriesBetween(catalogue, 'integrity.sweep.failed', fromIso, toIso)) {
    if (parsed(entry).reason === 'incomplete') result.incomplete += 1;
  }
  return result;
}

const PAGE = 200;

function* entriesBetween(
  catalogue: Catalogue,
  action: string,
  fromIso: string,
  toIso: string,
): Generator<StoredAuditEntry> {
  let beforeSeq: number | undefined;
  for (;;) {
    const { entries } = catalogue.audit.list({ action, limit: PAGE, beforeSeq });
    for (const entry of entries) {
      if (entry.at < fromIso) return;
      if (entry.at < toIso) yield entry;
    }
    if (entries.length < PAGE) return;
    beforeSeq = entries[entries.length - 1]!.seq;
  }
}
