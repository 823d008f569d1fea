import type {
  ComplianceFigures,
  ComplianceReport,
  NotSuitableReason,
  ProceduralAct,
} from '../contract';
import {
  actsMissingFootage,
  archiveByDate,
  CONTINUITY_CODES,
  toEpochMs,
  toIso,
  type CaseAct,
} from '../domain';
import { epochMs, instant } from './search-sql';
import type { Sql } from './sql';

export interface ComplianceQuery {
  /** ISO instants: the period is [from, to). */
  from: string;
  to: string;
  /** ISO instant ages and deadlines are measured at (the caller picks the period's end or now). */
  asOf: string;
  /**
   * ISO instant the report is generated at. D-24H central-storage deadlines are judged as of it,
   * not of asOf: a clip docked on the period's last evening has its 24 h after the period ends.
   */
  now: string;
  /** D-ARCHIVE: days after a case closes by which it must be archived. */
  archiveDays: number;
}

export type ComplianceFiguresResult = Omit<
  ComplianceReport,
  'from' | 'to' | 'generatedAt' | 'generatedBy' | 'auditSeal' | 'integrity' | 'discs'
>;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Badges group as users.badge compares them (NOCASE folds ASCII letters only). */
function badgeKey(badge: string): string {
  return badge.replace(/[a-z]/g, (c) => c.toUpperCase());
}

interface ClipGroup {
  badge: string | null;
  clips: number;
  ms: number;
  late: number;
  excepted: number;
  unlabelled: number;
  oldest: string | null;
  upTo1Day: number;
  upTo7Days: number;
  upTo30Days: number;
  over30Days: number;
}

interface CountGroup {
  badge: string | null;
  n: number;
}

interface Tally {
  badge: string;
  dockings: number;
  clips: number;
  ms: number;
  late: number;
  excepted: number;
  unlabelled: number;
  oldest: string | null;
  ages: [number, number, number, number];
  deferrals: number;
  continuity: number;
  lateCentral: number;
}

function emptyTally(badge: string): Tally {
  return {
    badge,
    dockings: 0,
    clips: 0,
    ms: 0,
    late: 0,
    excepted: 0,
    unlabelled: 0,
    oldest: null,
    ages: [0, 0, 0, 0],
    deferrals: 0,
    continuity: 0,
    lateCentral: 0,
  };
}

/**
 * The clips of the period, grouped by officer: one pass over the period's range of
 * clips_by_recorded (and, for the few clips without a recording time, custody time), never a scan
 * of the clips table. Ages are compared as ISO strings against thresholds computed once.
 */
export const COMPLIANCE_CLIPS_SQL = `
  SELECT officer_badge AS badge, count(*) AS clips, total(duration_ms) AS ms,
    sum(late_custody) AS late,
    sum(CASE WHEN late_custody = 1 THEN EXISTS (SELECT 1 FROM custody_exceptions e
      WHERE e.clip_id = p.id AND e.still_late = 0) ELSE 0 END) AS excepted,
    sum(labelled = 0) AS unlabelled,
    min(CASE WHEN labelled = 0 THEN at END) AS oldest,
    sum(labelled = 0 AND at >= @day1) AS upTo1Day,
    sum(labelled = 0 AND at < @day1 AND at >= @day7) AS upTo7Days,
    sum(labelled = 0 AND at < @day7 AND at >= @day30) AS upTo30Days,
    sum(labelled = 0 AND at < @day30) AS over30Days
  FROM (
    SELECT id, officer_badge, duration_ms, late_custody, labelled, recorded_start AS at
      FROM clips WHERE recorded_start >= @from AND recorded_start < @to
    UNION ALL
    SELECT id, officer_badge, duration_ms, late_custody, labelled, custody_at AS at
      FROM clips WHERE recorded_start IS NULL AND custody_at >= @from AND custody_at < @to
  ) p
  GROUP BY officer_badge COLLATE NOCASE`;

const DOCKINGS_SQL = `
  SELECT officer_badge AS badge, count(*) AS n FROM dockings
  WHERE started_at >= @from AND started_at < @to
  GROUP BY officer_badge COLLATE NOCASE`;

const DEFERRALS_SQL = `
  SELECT officer_badge AS badge, count(*) AS n FROM label_deferrals
  WHERE at >= @from AND at < @to
  GROUP BY officer_badge COLLATE NOCASE`;

const CONTINUITY_SQL = `
  SELECT d.officer_badge AS badge, count(*) AS n
  FROM dockings d JOIN docking_findings f ON f.docking_id = d.id
  WHERE d.started_at >= @from AND d.started_at < @to
    AND f.code IN (${CONTINUITY_CODES.map((c) => `'${c}'`).join(', ')})
  GROUP BY d.officer_badge COLLATE NOCASE`;

/**
 * D-24H, central storage: the forwarding targets the station had at some moment from the period's
 * start to 24 h after its end (while a clip of the period could still be proven on time). Removed
 * targets count for the time they existed; `enabled` does not matter, it is today's switch and
 * says nothing of the period.
 */
export const CENTRAL_TARGETS_SQL = `
  SELECT count(*) AS n FROM forward_targets
  WHERE added_at < @centralUntil AND (removed_at IS NULL OR removed_at > @from)`;

/**
 * D-24H, central storage: within 24 hours a finished recording must be in the unit's dedicated
 * storage, and the unit's central storage is that storage. The rule as counted here:
 *
 * - A clip belongs to the period when the station took custody of it in the period
 *   (`custody_at` in [from, to)): its deadline runs from custody, so every clip is judged in
 *   exactly one period whatever its recording time (like dockings, which count by docking time).
 * - Its deadline is `custody_at` + 24 h; proven exactly at the deadline is on time (as
 *   isLateCustody).
 * - It is on time when one of its outbox rows, on any target, is 'verified' with `verified_at` at
 *   or before the deadline, and that target had not been removed when it was proven. One proven
 *   copy is what the rule asks for; a target disabled since still held it.
 * - Otherwise it counts as late once its deadline has passed as of the report's generation time
 *   (`@until` is min(to, now - 24 h)): proven late, or not proven at all. A clip still inside its
 *   24 h is not counted, it may yet be on time.
 * - The outbox keeps the current proof only: a copy found missing or different is queued again
 *   and loses its `verified_at`, so the clip is judged by its new proof (the first did not hold).
 * - A station with no target in the period counts nothing: the report says "no central storage
 *   configured" instead (CENTRAL_TARGETS_SQL).
 *
 * One range of clips_by_custody; per clip, its outbox rows through forward_outbox_by_clip (a
 * clip has one per target) and each row's target by primary key. CROSS JOIN keeps that order
 * whatever the planner's statistics say, so the outbox is never scanned by target.
 */
export const LATE_CENTRAL_SQL = `
  SELECT c.officer_badge AS badge, count(*) AS n FROM clips c
  WHERE c.custody_at >= @from AND c.custody_at < @until
    AND NOT EXISTS (
      SELECT 1 FROM forward_outbox o CROSS JOIN forward_targets t ON t.id = o.target_id
      WHERE o.clip_id = c.id AND o.state = 'verified'
        AND o.verified_at <= strftime('%Y-%m-%dT%H:%M:%fZ', c.custody_at, '+24 hours')
        AND (t.removed_at IS NULL OR o.verified_at <= t.removed_at))
  GROUP BY c.officer_badge COLLATE NOCASE`;

/** Acts of cases opened before the period's end and not archived, with whether any clip is linked. */
const CASE_ACTS_SQL = `
  SELECT k.number, k.title, a.act, a.not_recorded_reason AS reason,
    a.not_recorded_text AS text,
    EXISTS (SELECT 1 FROM case_act_clips x WHERE x.act_id = a.id) AS linked
  FROM cases k JOIN case_acts a ON a.case_number = k.number
  WHERE k.opened_at < @to AND k.status <> 'archived' AND k.archived_at IS NULL
  ORDER BY k.number, a.id`;

/** Closed cases not archived: by their stored archive-by (an index range), or without one. */
const PAST_ARCHIVE_BY_SQL = `
  SELECT number, title, closed_at AS closedAt, archive_by AS archiveBy FROM cases
  WHERE status = 'closed' AND archived_at IS NULL
    AND (archive_by < @asOf OR archive_by IS NULL)
  ORDER BY archive_by, number`;

/** Only whether an act has footage matters to actsMissingFootage, not which clips. */
const SOME_CLIP: readonly number[] = [0];

/**
 * Rule D-SUPERVISION: the figures of the compliance report for a period, per officer and for the
 * unit (D-24H late custody and its exceptions, D-24H clips not in central storage within 24 h of
 * custody (LATE_CENTRAL_SQL), D-LABEL unlabelled footage by age, deferrals,
 * D-CONTINUOUS findings, D-AV-REQUIRED cases missing footage, D-ARCHIVE cases past archive-by).
 * A handful of GROUP BY queries over index ranges of the period, whatever the number of officers.
 */
export function complianceFigures(sql: Sql, q: ComplianceQuery): ComplianceFiguresResult {
  const asOfMs = epochMs(q.asOf, 'asOf');
  const nowMs = epochMs(q.now, 'now');
  const period = { from: instant(q.from, 'from'), to: instant(q.to, 'to') };
  const asOf = toIso(asOfMs);

  const tallies = new Map<string, Tally>();
  const unit = emptyTally('');
  const tally = (badge: string | null): Tally | null => {
    if (badge === null || badge === '') return null;
    const key = badgeKey(badge);
    let found = tallies.get(key);
    if (found === undefined) {
      found = emptyTally(badge);
      tallies.set(key, found);
    }
    return found;
  };

  const clipGroups = sql.read(COMPLIANCE_CLIPS_SQL).all({
    ...period,
    day1: toIso(asOfMs - DAY_MS),
    day7: toIso(asOfMs - 7 * DAY_MS),
    day30: toIso(asOfMs - 30 * DAY_MS),
  }) as ClipGroup[];
  for (const g of clipGroups) {
    for (const t of [tally(g.badge), unit]) {
      if (t === null) continue;
      t.clips += g.clips;
      t.ms += g.ms;
      t.late += g.late;
      t.excepted += g.excepted;
      t.unlabelled += g.unlabelled;
      if (g.oldest !== null && (t.oldest === null || g.oldest < t.oldest)) t.oldest = g.oldest;
      t.ages[0] += g.upTo1Day;
      t.ages[1] += g.upTo7Days;
      t.ages[2] += g.upTo30Days;
      t.ages[3] += g.over30Days;
    }
  }
  const counts = (
    text: string,
    add: (t: Tally, n: number) => void,
    params: Record<string, string> = period,
  ) => {
    for (const g of sql.read(text).all(params) as CountGroup[]) {
      const t = tally(g.badge);
      if (t !== null) add(t, g.n);
      add(unit, g.n);
    }
  };
  counts(DOCKINGS_SQL, (t, n) => (t.dockings += n));
  counts(DEFERRALS_SQL, (t, n) => (t.deferrals += n));
  counts(CONTINUITY_SQL, (t, n) => (t.continuity += n));

  const toMs = epochMs(period.to, 'to');
  const { n: centralTargets } = sql.read(CENTRAL_TARGETS_SQL).get({
    from: period.from,
    centralUntil: toIso(toMs + DAY_MS),
  }) as { n: number };
  const until = toIso(Math.min(toMs, nowMs - DAY_MS));
  if (centralTargets > 0 && until > period.from) {
    counts(LATE_CENTRAL_SQL, (t, n) => (t.lateCentral += n), { from: period.from, until });
  }

  const names = new Map<string, { badge: string; name: string }>();
  for (const u of sql.read('SELECT badge, name FROM users').all() as {
    badge: string;
    name: string;
  }[]) {
    names.set(badgeKey(u.badge), u);
  }

  const figures = (t: Tally): ComplianceFigures => ({
    dockings: t.dockings,
    clips: t.clips,
    hoursRecorded: Math.round((t.ms / 3.6e6) * 100) / 100,
    lateCustody: t.late,
    lateCustodyExcepted: t.excepted,
    lateCustodyUnexcepted: t.late - t.excepted,
    unlabelled: t.unlabelled,
    unlabelledOldestDays: oldestDays(t.oldest, asOfMs),
    unlabelledByAge: {
      upTo1Day: t.ages[0],
      upTo7Days: t.ages[1],
      upTo30Days: t.ages[2],
      over30Days: t.ages[3],
    },
    deferrals: t.deferrals,
    continuityFindings: t.continuity,
    lateCentralStorage: centralTargets > 0 ? t.lateCentral : null,
  });

  const officers = [...tallies.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, t]) => {
      const user = names.get(key);
      return { ...figures(t), badge: user?.badge ?? t.badge, name: user?.name ?? null };
    });

  return {
    unit: {
      ...figures(unit),
      officers: officers.length,
      centralTargets,
      casesMissingFootage: casesMissingFootage(sql, period.to),
      casesPastArchiveBy: casesPastArchiveBy(sql, asOf, asOfMs, q.archiveDays),
    },
    officers,
  };
}

function oldestDays(oldest: string | null, asOfMs: number): number | null {
  const ms = toEpochMs(oldest);
  if (ms === null) return null;
  return Math.max(0, Math.round(((asOfMs - ms) / DAY_MS) * 10) / 10);
}

function casesMissingFootage(
  sql: Sql,
  to: string,
): ComplianceFiguresResult['unit']['casesMissingFootage'] {
  const rows = sql.read(CASE_ACTS_SQL).all({ to }) as {
    number: string;
    title: string;
    act: ProceduralAct;
    reason: NotSuitableReason | null;
    text: string | null;
    linked: number;
  }[];
  const byCase = new Map<string, { title: string; acts: CaseAct[] }>();
  for (const row of rows) {
    let kase = byCase.get(row.number);
    if (kase === undefined) {
      kase = { title: row.title, acts: [] };
      byCase.set(row.number, kase);
    }
    kase.acts.push({
      act: row.act,
      clipIds: row.linked ? SOME_CLIP : [],
      notRecorded: row.reason === null ? null : { reason: row.reason, text: row.text ?? '' },
    });
  }
  const missing: ComplianceFiguresResult['unit']['casesMissingFootage'] = [];
  for (const [number, kase] of byCase) {
    const acts = actsMissingFootage(kase.acts);
    if (acts.length > 0) missing.push({ number, title: kase.title, missing: acts });
  }
  return missing;
}

function casesPastArchiveBy(
  sql: Sql,
  asOf: string,
  asOfMs: number,
  archiveDays: number,
): ComplianceFiguresResult['unit']['casesPastArchiveBy'] {
  const rows = sql.read(PAST_ARCHIVE_BY_SQL).all({ asOf }) as {
    number: string;
    title: string;
    closedAt: string | null;
    archiveBy: string | null;
  }[];
  const past: ComplianceFiguresResult['unit']['casesPastArchiveBy'] = [];
  for (const row of rows) {
    const archiveBy = row.archiveBy ?? archiveByDate(row.closedAt, archiveDays);
    const due = toEpochMs(archiveBy);
    if (archiveBy !== null && due !== null && due < asOfMs) {
      past.push({ number: row.number, title: row.title, archiveBy });
    }
  }
  return past.sort((a, b) =>
    a.archiveBy < b.archiveBy ? -1 : a.archiveBy > b.archiveBy ? 1 : a.number < b.number ? -1 : 1,
  );
}
