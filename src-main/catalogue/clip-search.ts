import type Database from 'better-sqlite3';
import type { Sql } from './sql';
import { ENFORCEMENT_KINDS, type EnforcementKind, type Stage } from '../contract';
import { isEvidenceKind, toEpochMs, toIso } from '../domain';

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

const ISO_FORMAT = '%Y-%m-%dT%H:%M:%fZ';
/** FTS5's trigram tokenizer matches nothing shorter than three characters. */
const TRIGRAM = 3;
/**
 * Past this many full-text matches, a page is found by walking the time index and probing the
 * matches (a common word is met every few entries) rather than by sorting every match, each
 * looked up in the clips table: 50,000 matches cost ~100 ms that way, a walk ~3 ms.
 */
const MANY_MATCHES = 5000;

function instant(value: string, what: string): string {
  const ms = toEpochMs(value);
  if (ms === null) throw new RangeError(`${what} is not an ISO-8601 instant: ${value}`);
  return toIso(ms);
}

/** A LIKE pattern that matches `text` anywhere, with LIKE's own characters escaped by '\'. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const FTS_COUNT = 'SELECT count(*) AS n FROM clip_label_text WHERE clip_label_text MATCH @fts';
const FTS_CONDITION =
  'c.id IN (SELECT rowid FROM clip_label_text WHERE clip_label_text MATCH @fts)';

/** Past this many trigrams that begin with a two-character word, it is looked for by LIKE. */
const MAX_WORD_TRIGRAMS = 400;

/** The words of a full-text search. */
function wordsOf(text: string | undefined): string[] {
  return text === undefined
    ? []
    : text
        .trim()
        .split(/\s+/u)
        .filter((t) => t !== '');
}

/** One FTS5 phrase: the user's words are data, never query syntax. */
function ftsPhrase(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}

/** The parameters a statement names, and only those (better-sqlite3 binds by name). */
function pick(
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
function yearsModifier(years: number): string {
  if (!Number.isInteger(years) || years < 0) throw new RangeError(`years: ${years}`);
  return `+${years} years`;
}

/**
 * The clips browser over the catalogue: every filter is a condition SQLite can answer from the
 * filing indexes of migration 0004 (officer + labelled + time, recorder + time, docking, case, full
 * text), so a page of a million clips is an index range, not a scan.
 */
export class ClipSearch {
  constructor(private readonly sql: Sql) {}

  private statement(text: string): Database.Statement {
    return this.sql.read(text) as Database.Statement;
  }

  search(
    filters: ClipSearchFilters,
    retention: RetentionParams,
  ): { total: number; clipIds: number[] } {
    const text = this.textQuery(filters.text);
    const matches =
      text.fts === null ? 0 : (this.statement(FTS_COUNT).get({ fts: text.fts }) as { n: number }).n;
    const plan = this.plan(filters, retention, matches > MANY_MATCHES, text);
    const run = (role: string, extra: Record<string, number> = {}) => {
      const statement = plan.statements.find((s) => s.role === role)!;
      return this.statement(statement.sql).all({ ...statement.params, ...extra }) as Record<
        string,
        number
      >[];
    };
    const ids = (rows: Record<string, number>[]) => rows.map((r) => r.id!);
    const { limit, offset } = filters;
    if (plan.shape === 'counted') {
      const rows = run('page-counted', { limit, offset });
      const total = rows.length > 0 ? rows[0]!.n! : offset > 0 ? run('count')[0]!.n! : 0;
      return { total, clipIds: ids(rows) };
    }
    if (plan.shape === 'single') {
      const total = run('count')[0]!.n!;
      const clipIds = total > offset ? ids(run('page', { limit, offset })) : [];
      return { total, clipIds };
    }
    const untimed = run('count-untimed')[0]!.n!;
    const count = plan.statements.find((st) => st.role === 'count');
    // Every match is a clip's label: with no other filter the matches are the total.
    const all = count?.sql === FTS_COUNT ? matches : count ? run('count')[0]!.n! : 0;
    const timed = plan.shape === 'split-total' ? all - untimed : run('count-timed')[0]!.n!;
    const total = timed + untimed;
    const clipIds: number[] = [];
    if (offset < timed) clipIds.push(...ids(run('page-timed', { limit, offset })));
    const rest = limit - clipIds.length;
    if (rest > 0 && untimed > 0 && offset + clipIds.length < total) {
      const from = Math.max(0, offset - timed);
      clipIds.push(...ids(run('page-untimed', { limit: rest, offset: from })));
    }
    return { total, clipIds };
  }

  /**
   * The statements a search runs, built from the filters. Page statements take @limit and
   * @offset at run time.
   */
  plan(
    filters: ClipSearchFilters,
    retention: RetentionParams,
    manyMatches = false,
    text = this.textQuery(filters.text),
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
   * The FTS5 query for a search's words, and the words left to LIKE. A word of three characters
   * or more is a phrase of its trigrams. A two-character word has no trigram of its own, but
   * every place it occurs begins one (fields are indexed with a separator after them): it is
   * any of the trigrams in the index's vocabulary that begin with it, none meaning no match.
   */
  textQuery(text: string | undefined): { fts: string | null; short: string[] } {
    const parts: string[] = [];
    const short: string[] = [];
    for (const word of wordsOf(text)) {
      const length = [...word].length;
      if (length >= TRIGRAM) {
        parts.push(ftsPhrase(word));
        continue;
      }
      if (length === 1) {
        short.push(word);
        continue;
      }
      const prefix = word.toLowerCase();
      const trigrams = this.statement(
        `SELECT term FROM clip_label_vocab WHERE term >= @prefix AND term < @end LIMIT @most`,
      )
        .pluck()
        .all({ prefix, end: `${prefix}\u{10FFFF}`, most: MAX_WORD_TRIGRAMS + 1 }) as string[];
      if (trigrams.length > MAX_WORD_TRIGRAMS) short.push(word);
      // No trigram begins with it: a phrase of no trigrams, which matches nothing.
      else if (trigrams.length === 0) parts.push(ftsPhrase(word));
      else parts.push(`(${trigrams.map(ftsPhrase).join(' OR ')})`);
    }
    return { fts: parts.length === 0 ? null : parts.join(' AND '), short };
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
    const rows = this.statement(known).all({ v: value }) as { v: string | null }[];
    for (const row of rows) if (row.v !== null) found.add(row.v);
    // Only the spellings clips carry (one index probe each): a single one keeps the page in
    // index order, with no sort.
    const probe = this.statement(`SELECT 1 FROM clips WHERE ${column} = ? LIMIT 1`).pluck();
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

/**
 * Rules D-RETAIN and D-LONGTERM as SQL, 1 when due and 0 otherwise, agreeing with the domain's
 * retentionOf + isRetentionDue: long-term footage is never due; a clip of a case is due only once
 * that case is closed, evidence (penalty, coercion) `caseFileYears` after the close, other kinds
 * `dailyYears` after the recording; a clip without a case `dailyYears` after the recording; an
 * unknown recording time (neither start nor end) is never due on the daily rule. Needs `l` (clip_labels, LEFT JOINed).
 */
function retentionDueSql(): string {
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
