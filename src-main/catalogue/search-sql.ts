/** Pieces of SQL the catalogue's searches and reports build their statements from. */
import { ENFORCEMENT_KINDS } from '../contract';
import { isEvidenceKind, toEpochMs, toIso } from '../domain';

const ISO_FORMAT = '%Y-%m-%dT%H:%M:%fZ';

/** An ISO-8601 instant as epoch milliseconds; a RangeError naming `what` when it is not one. */
export function epochMs(value: string, what: string): number {
  const ms = toEpochMs(value);
  if (ms === null) throw new RangeError(`${what} is not an ISO-8601 instant: ${value}`);
  return ms;
}

/** An ISO-8601 instant in the one form the catalogue stores and compares. */
export function instant(value: string, what: string): string {
  return toIso(epochMs(value, what));
}

/** A LIKE pattern that matches `text` anywhere, with LIKE's own characters escaped by '\'. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The parameters a statement names, and only those (better-sqlite3 binds by name). */
export function pick(
  sql: string,
  params: Record<string, string | number>,
): Record<string, string | number> {
  const used: Record<string, string | number> = {};
  for (const match of sql.matchAll(/@([A-Za-z0-9_]+)/g)) {
    const name = match[1]!;
    if (name in params) used[name] = params[name]!;
  }
  return used;
}

/** `+N years` for SQLite's date functions; they roll 29 February over to 1 March as the domain does. */
export function yearsModifier(years: number): string {
  if (!Number.isInteger(years) || years < 0) throw new RangeError(`years: ${years}`);
  return `+${years} years`;
}

/**
 * Rules D-RETAIN and D-LONGTERM as SQL, 1 when due and 0 otherwise, agreeing with the domain's
 * retentionOf + isRetentionDue: long-term footage is never due; a clip of a case is due only once
 * that case is closed, evidence (penalty, coercion) `caseFileYears` after the close, other kinds
 * `dailyYears` after the recording; a clip without a case `dailyYears` after the recording; an
 * unknown recording time (neither start nor end) is never due on the daily rule. Needs `l` (clip_labels, LEFT JOINed).
 */
export function retentionDueSql(): string {
  const evidence = ENFORCEMENT_KINDS.filter(isEvidenceKind)
    .map((k) => `'${k}'`)
    .join(', ');
  const daily = `coalesce(strftime('${ISO_FORMAT}', coalesce(c.recorded_start, c.recorded_end), @dailyYears) <= @now, 0)`;
  return `(CASE
      WHEN l.long_term_reason IS NOT NULL THEN 0
      WHEN l.case_number IS NULL THEN ${daily}
      ELSE coalesce((SELECT CASE
          WHEN k.closed_at IS NULL THEN 0
          WHEN k.kind IN (${evidence})
            THEN coalesce(strftime('${ISO_FORMAT}', k.closed_at, @caseFileYears) <= @now, 0)
          ELSE ${daily} END
        FROM cases k WHERE k.number = l.case_number), 0)
    END)`;
}
