import type { EnforcementKind, Stage } from '../contract';
import { containsPattern, instant, pick, retentionDueSql, yearsModifier } from './search-sql';
import type { Sql } from './sql';

/** The clips browser's filters, combined with AND (the contract's clipSearchSchema, parsed). */
export interface ClipSearchFilters {
  /** Case-insensitive equality on clips.officer_badge. */
  officerBadge?: string;
  recorderSerial?: string;
  dockingId?: number;
  /** ISO instants: recorded_start in [from, to); a clip without a recording time by custody_at. */
  from?: string;
  to?: string;
  /** The label's case number, exactly (trimmed). */
  caseNumber?: string;
  kind?: EnforcementKind;
  stage?: Stage;
  /** A substring of the label's place. */
  place?: string;
  /** Whether the clip counts as filed (D-LABEL). */
  labelled?: boolean;
  /** D-24H: true, late custody not excused by an exception; false, every other clip. */
  lateCustody?: boolean;
  /** Any finding of its docking names the clip. */
  hasFindings?: boolean;
  /** D-RETAIN, D-LONGTERM: due for deletion review as of the retention parameters' `now`. */
  retentionDue?: boolean;
  /** Full text over matter, place, notes and parties. */
  text?: string;
  /** D-CONFIDENTIAL for supervisors: only clips with no label or confidentiality 'none'. */
  onlyUnconfidential?: boolean;
  sort: 'recorded' | 'custody';
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

/** What D-RETAIN needs: the moment of the question and the unit's retention periods. */
export interface RetentionParams {
  now: string;
  dailyYears: number;
  caseFileYears: number;
}

/** One statement of a search, with its named parameters (for EXPLAIN QUERY PLAN and replays). */
export interface SearchStatement {
  /** count | count-timed | count-untimed | page | page-timed | page-untimed | page-counted */
  role: string;
  sql: string;
  params: Record<string, string | number>;
}

/** The statements of one search and how their results make a page (see ClipSearch.search). */
export interface SearchPlan {
  /**
   * 'single': one count and one page query. 'split' (sort by recording time): the clips with a
   * recording time, in index order, then those without one (NULLs last), each counted apart.
   * 'counted' (full text): one query that sorts the matches and counts them as it goes (a
   * window count), the count query only for a page past the end. 'split-total' (full text with
   * many matches): as 'split', but the total is counted from the full-text index ('count') and
   * the clips with a time are the total less those without ('count-untimed').
   */
  shape: 'single' | 'split' | 'counted' | 'split-total';
  statements: SearchStatement[];
}

/** The words of a full-text search. */
export function wordsOf(text: string | undefined): string[] {
  return text === undefined
    ? []
    : text
        .trim()
        .split(/\s+/u)
        .filter((t) => t !== '');
}

export const FTS_COUNT =
  'SELECT count(*) AS n FROM clip_label_text WHERE clip_label_text MATCH @fts';
const FTS_CONDITION =
  'c.id IN (SELECT rowid FROM clip_label_text WHERE clip_label_text MATCH @fts)';

/**
 * The statements of a clips search, built from its filters: each filter a condition SQLite
 * answers from the filing indexes, each page an index range.
 */
export class SearchPlanner {
  constructor(private readonly sql: Sql) {}

  /**
   * The statements a search runs, built from the filters. Page statements take @limit and
   * @offset at run time.
   */
  plan(
    filters: ClipSearchFilters,
    retention: RetentionParams,
    manyMatches: boolean,
    text: { fts: string | null; short: string[] },
  ): SearchPlan {
    const params: Record<string, string | number> = {};
    const where: string[] = [];
    let label = 'none' as 'none' | 'inner' | 'left';
    const needLabel = () => {
      label = 'inner';
    };
    const mayNeedLabel = () => {
      if (label === 'none') label = 'left';
    };

    if (filters.officerBadge !== undefined) {
      const badges = this.spellings(
        filters.officerBadge.trim(),
        `SELECT badge AS v FROM users WHERE badge = @v
         UNION SELECT officer_badge FROM recorders WHERE officer_badge = @v COLLATE NOCASE`,
        'officer_badge',
      );
      where.push(this.oneOf('c.officer_badge', 'badge', badges, params));
    }
    if (filters.recorderSerial !== undefined) {
      const serials = this.spellings(
        filters.recorderSerial.trim(),
        'SELECT serial AS v FROM recorders WHERE serial = @v',
        'recorder_serial',
      );
      where.push(this.oneOf('c.recorder_serial', 'serial', serials, params));
    }
    if (filters.dockingId !== undefined) {
      where.push('c.docking_id = @dockingId');
      params.dockingId = filters.dockingId;
    }
    if (filters.labelled !== undefined) {
      where.push(`c.labelled = ${filters.labelled ? 1 : 0}`);
    }
    if (filters.lateCustody !== undefined) {
      const excused = `EXISTS (SELECT 1 FROM custody_exceptions e
         WHERE e.clip_id = c.id AND e.still_late = 0)`;
      where.push(
        filters.lateCustody
          ? `c.late_custody = 1 AND NOT ${excused}`
          : `(c.late_custody = 0 OR ${excused})`,
      );
    }
    if (filters.hasFindings !== undefined) {
      where.push(
        `${filters.hasFindings ? '' : 'NOT '}EXISTS (SELECT 1 FROM docking_findings f WHERE f.clip_id = c.id)`,
      );
    }
    if (filters.caseNumber !== undefined) {
      needLabel();
      where.push('l.case_number = @caseNumber');
      params.caseNumber = filters.caseNumber.trim();
    }
    if (filters.kind !== undefined) {
      needLabel();
      where.push('l.kind = @kind');
      params.kind = filters.kind;
    }
    if (filters.stage !== undefined) {
      needLabel();
      where.push('l.stage = @stage');
      params.stage = filters.stage;
    }
    if (filters.place !== undefined) {
      needLabel();
      where.push("l.place LIKE @place ESCAPE '\\'");
      params.place = containsPattern(filters.place.trim());
    }
    let fullText = false;
    if (filters.text !== undefined) {
      const { fts, short } = text;
      fullText = wordsOf(filters.text).length > 0;
      if (fts !== null) {
        // With many matches the unary + keeps SQLite from driving the query by rowid from the
        // matches: it walks the index the page is ordered by and probes them instead.
        where.push(`${manyMatches ? '+' : ''}${FTS_CONDITION}`);
        params.fts = fts;
      }
      // A one-character word, or a two-character one that begins too many trigrams to list,
      // is a LIKE over the same four columns: a scan of the labels, not an index.
      short.forEach((term, i) => {
        needLabel();
        const p = `short${i}`;
        params[p] = containsPattern(term);
        where.push(
          `(l.matter LIKE @${p} ESCAPE '\\' OR l.place LIKE @${p} ESCAPE '\\'
            OR l.notes LIKE @${p} ESCAPE '\\' OR l.parties LIKE @${p} ESCAPE '\\')`,
        );
      });
    }
    if (filters.onlyUnconfidential === true) {
      mayNeedLabel();
      where.push("(l.clip_id IS NULL OR l.confidentiality = 'none')");
    }
    if (filters.retentionDue !== undefined) {
      mayNeedLabel();
      params.now = instant(retention.now, 'retention.now');
      params.dailyYears = yearsModifier(retention.dailyYears);
      params.caseFileYears = yearsModifier(retention.caseFileYears);
      const due = retentionDueSql();
      where.push(filters.retentionDue ? `${due} = 1` : `${due} = 0`);
    }

    const from = filters.from === undefined ? undefined : instant(filters.from, 'from');
    const to = filters.to === undefined ? undefined : instant(filters.to, 'to');
    if (from !== undefined) params.from = from;
    if (to !== undefined) params.to = to;
    const timed = ['c.recorded_start IS NOT NULL'];
    const untimed = ['c.recorded_start IS NULL'];
    if (from !== undefined) {
      timed.push('c.recorded_start >= @from');
      untimed.push('c.custody_at >= @from');
    }
    if (to !== undefined) {
      timed.push('c.recorded_start < @to');
      untimed.push('c.custody_at < @to');
    }

    const join =
      label === 'inner'
        ? 'JOIN clip_labels l ON l.clip_id = c.id'
        : label === 'left'
          ? 'LEFT JOIN clip_labels l ON l.clip_id = c.id'
          : '';
    const source = `FROM clips c ${join}`.trim();
    const dir = filters.order === 'asc' ? 'ASC' : 'DESC';
    const select = (role: string) =>
      role.startsWith('count')
        ? 'SELECT count(*) AS n'
        : role === 'page-counted'
          ? 'SELECT c.id AS id, count(*) OVER () AS n'
          : 'SELECT c.id AS id';
    const statement = (role: string, conditions: string[], tail = ''): SearchStatement => {
      const filter = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
      const sql = `${select(role)} ${source} ${filter} ${tail}`.trim();
      return { role, sql, params: pick(sql, params) };
    };
    const page = 'LIMIT @limit OFFSET @offset';
    const anyTime =
      from === undefined && to === undefined
        ? []
        : [`((${timed.slice(1).join(' AND ')}) OR (${untimed.join(' AND ')}))`];

    // Filters a clip index can narrow by: then the index is walked for the count as well.
    const narrowed =
      filters.officerBadge !== undefined ||
      filters.recorderSerial !== undefined ||
      filters.dockingId !== undefined ||
      from !== undefined ||
      to !== undefined;
    const matchesFirst = (conditions: string[]) =>
      conditions.map((c) => (c === `+${FTS_CONDITION}` ? FTS_CONDITION : c));
    if (fullText && manyMatches && filters.sort === 'custody') {
      return {
        shape: 'single',
        statements: [
          statement(
            'count',
            narrowed ? [...where, ...anyTime] : matchesFirst([...where, ...anyTime]),
          ),
          statement(
            'page',
            [...where, ...anyTime],
            `ORDER BY c.custody_at ${dir}, c.id ${dir} ${page}`,
          ),
        ],
      };
    }
    // By recording time, NULLs last in either order: the clips with a time come straight off an
    // index that ends in recorded_start (and the rowid, which breaks ties), then the rest by id.
    const byRecording = [
      statement('count-untimed', [...where, ...untimed]),
      statement(
        'page-timed',
        [...where, ...timed],
        `ORDER BY c.recorded_start ${dir}, c.id ${dir} ${page}`,
      ),
      statement('page-untimed', [...where, ...untimed], `ORDER BY c.id ${dir} ${page}`),
    ];
    if (fullText && manyMatches && !narrowed) {
      return {
        shape: 'split-total',
        statements: [
          this.totalOfMatches(filters, where, params) ??
            statement('count', matchesFirst([...where, ...anyTime])),
          ...byRecording,
        ],
      };
    }
    if (fullText && !manyMatches) {
      // The matches of a word come from the full-text index in no useful order, so they are
      // sorted whatever the plan: one statement finds, counts and sorts them, instead of the
      // index being asked again for each count.
      const order =
        filters.sort === 'custody'
          ? `c.custody_at ${dir}, c.id ${dir}`
          : `c.recorded_start IS NULL, c.recorded_start ${dir}, c.id ${dir}`;
      return {
        shape: 'counted',
        statements: [
          statement('page-counted', [...where, ...anyTime], `ORDER BY ${order} ${page}`),
          statement('count', [...where, ...anyTime]),
        ],
      };
    }
    if (filters.sort === 'custody') {
      return {
        shape: 'single',
        statements: [
          statement('count', [...where, ...anyTime]),
          statement(
            'page',
            [...where, ...anyTime],
            `ORDER BY c.custody_at ${dir}, c.id ${dir} ${page}`,
          ),
        ],
      };
    }
    return {
      shape: 'split',
      statements: [statement('count-timed', [...where, ...timed]), ...byRecording],
    };
  }

  /**
   * The total of a full-text search whose other filters are all on the label: counted over the
   * labels (smaller rows than the clips), or, with no other filter, the matches themselves.
   */
  private totalOfMatches(
    filters: ClipSearchFilters,
    where: string[],
    params: Record<string, string | number>,
  ): SearchStatement | null {
    const onTheClip =
      filters.labelled !== undefined ||
      filters.lateCustody !== undefined ||
      filters.hasFindings !== undefined ||
      filters.retentionDue !== undefined;
    if (onTheClip) return null;
    const others = where.filter((c) => c !== `+${FTS_CONDITION}`);
    if (others.length === where.length) return null;
    if (others.length === 0)
      return { role: 'count', sql: FTS_COUNT, params: pick(FTS_COUNT, params) };
    const sql = `SELECT count(*) AS n FROM clip_labels l WHERE l.clip_id IN (SELECT rowid FROM
      clip_label_text WHERE clip_label_text MATCH @fts) AND ${others.join(' AND ')}`;
    return { role: 'count', sql, params: pick(sql, params) };
  }

  /**
   * The spellings of a badge or serial the catalogue holds. Users and recorders compare them
   * case-insensitively (COLLATE NOCASE) but clips keep them as ingested, under indexes that
   * compare exactly; so the value as typed, its upper and lower case, and the spellings the
   * users and recorders tables hold are looked up as exact values (an IN list when clips carry
   * more than one), each an index range.
   */
  private spellings(value: string, known: string, column: string): string[] {
    const found = new Set([value, value.toUpperCase(), value.toLowerCase()]);
    const rows = this.sql.read(known).all({ v: value }) as { v: string | null }[];
    for (const row of rows) if (row.v !== null) found.add(row.v);
    // Only the spellings clips carry (one index probe each): a single one keeps the page in
    // index order, with no sort.
    const probe = this.sql.read<[string]>(`SELECT 1 FROM clips WHERE ${column} = ? LIMIT 1`);
    const held = [...found].filter((v) => probe.get(v) !== undefined);
    return held.length > 0 ? held : [value];
  }

  private oneOf(
    column: string,
    name: string,
    values: string[],
    params: Record<string, string | number>,
  ): string {
    const names = values.map((v, i) => {
      params[`${name}${i}`] = v;
      return `@${name}${i}`;
    });
    return names.length === 1 ? `${column} = ${names[0]}` : `${column} IN (${names.join(', ')})`;
  }
}
