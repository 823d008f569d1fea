import {
  FTS_COUNT,
  SearchPlanner,
  wordsOf,
  type ClipSearchFilters,
  type RetentionParams,
  type SearchPlan,
} from './clip-search-plan';
import type { Sql } from './sql';

export type {
  ClipSearchFilters,
  RetentionParams,
  SearchPlan,
  SearchStatement,
} from './clip-search-plan';

/** FTS5's trigram tokenizer matches nothing shorter than three characters. */
const TRIGRAM = 3;
/**
 * Past this many full-text matches, a page is found by walking the time index and probing the
 * matches (a common word is met every few entries) rather than by sorting every match, each
 * looked up in the clips table: 50,000 matches cost ~100 ms that way, a walk ~3 ms.
 */
const MANY_MATCHES = 5000;

/** Past this many trigrams that begin with a two-character word, it is looked for by LIKE. */
const MAX_WORD_TRIGRAMS = 400;

/** One FTS5 phrase: the user's words are data, never query syntax. */
function ftsPhrase(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}

/**
 * The clips browser over the catalogue: every filter is a condition SQLite can answer from the
 * filing indexes of migration 0004 (officer + labelled + time, recorder + time, docking, case, full
 * text), so a page of a million clips is an index range, not a scan.
 */
export class ClipSearch {
  private readonly planner: SearchPlanner;

  constructor(private readonly sql: Sql) {
    this.planner = new SearchPlanner(sql);
  }

  search(
    filters: ClipSearchFilters,
    retention: RetentionParams,
  ): { total: number; clipIds: number[] } {
    const text = this.textQuery(filters.text);
    const matches =
      text.fts === null ? 0 : (this.sql.read(FTS_COUNT).get({ fts: text.fts }) as { n: number }).n;
    const plan = this.plan(filters, retention, matches > MANY_MATCHES, text);
    const run = (role: string, extra: Record<string, number> = {}) => {
      const statement = plan.statements.find((s) => s.role === role)!;
      return this.sql.read(statement.sql).all({ ...statement.params, ...extra }) as Record<
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
    return this.planner.plan(filters, retention, manyMatches, text);
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
      const trigrams = this.sql
        .read<[object], { term: string }>(
          `SELECT term FROM clip_label_vocab WHERE term >= @prefix AND term < @end LIMIT @most`,
        )
        .all({ prefix, end: `${prefix}\u{10FFFF}`, most: MAX_WORD_TRIGRAMS + 1 })
        .map((row) => row.term);
      if (trigrams.length > MAX_WORD_TRIGRAMS) short.push(word);
      // No trigram begins with it: a phrase of no trigrams, which matches nothing.
      else if (trigrams.length === 0) parts.push(ftsPhrase(word));
      else parts.push(`(${trigrams.map(ftsPhrase).join(' OR ')})`);
    }
    return { fts: parts.length === 0 ? null : parts.join(' AND '), short };
  }
}
