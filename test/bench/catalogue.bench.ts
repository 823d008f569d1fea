// `npm run bench:catalogue`: the clips browser's searches and the monthly compliance report over
// a catalogue of a million clips (300 officers, five years), on the station's own connection
// settings. Each query runs with varied parameters after a warm-up; p50/p95 against the goals.
// Last, the same statements replayed by the sqlite3 shell on the same file, as the peer.
// test/bench/run.mjs bundles and starts this; `-- --rebuild` (or EVIDOCK_BENCH_REBUILD=1) builds
// the catalogue again even when the saved one matches the schema.
import type Database from 'better-sqlite3';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ClipSearch, type ClipSearchFilters } from '../../src-main/catalogue/clip-search';
import { complianceFigures, type ComplianceQuery } from '../../src-main/catalogue/compliance';
import { closeCatalogue, openCatalogue } from '../../src-main/catalogue/open';
import { Sql } from '../../src-main/catalogue/sql';
import { REPO_ROOT } from '../support/cli';
import { benchCatalogue, catalogueSummary, DEFAULT_SHAPE, type Sample } from './catalogue-data';
import { replayInShell, shellVersion, tracing, type Traced } from './catalogue-peer';

const BENCH_DIR = join(REPO_ROOT, 'test-output', 'bench');
const FILE = join(BENCH_DIR, 'catalogue.sqlite');
const REBUILD = process.argv.includes('--rebuild') || process.env['EVIDOCK_BENCH_REBUILD'] === '1';
const CLIPS = Number(process.env['EVIDOCK_BENCH_CLIPS'] ?? DEFAULT_SHAPE.clips);
const REPS = Number(process.env['EVIDOCK_BENCH_REPS'] ?? '60');
const REPORT_REPS = Number(process.env['EVIDOCK_BENCH_REPORT_REPS'] ?? '8');
const WARM_UP = 5;
const DAY_MS = 24 * 60 * 60 * 1000;
const RETENTION_YEARS = { dailyYears: 2, caseFileYears: 30 };

interface Query {
  name: string;
  goalMs: number;
  reps: number;
  /** Makes the i-th call (its parameters drawn now): its work on a connection. */
  call: (i: number) => (db: Database.Database) => unknown;
}

interface Result {
  query: Query;
  ms: number[];
  /** What one call returned, to show the work is real (rows found). */
  found: string;
}

function progress(line: string): void {
  process.stderr.write(`  ${line}\n`);
}

/** mulberry32, seeded per query so every run asks the same questions. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

function queries(sample: Sample): Query[] {
  const endMs = Date.parse(sample.end);
  const startMs = endMs - Math.round(DEFAULT_SHAPE.years * 365.25) * DAY_MS;
  const now = sample.end;
  const retention = { now, ...RETENTION_YEARS };
  const pickFrom = (seed: number) => {
    const rnd = random(seed);
    return <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  };
  const monthStart = (rnd: () => number, lastMonths: number) => {
    const d = new Date(startMs + rnd() * (endMs - startMs - lastMonths * 31 * DAY_MS));
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  };
  const addMonths = (ms: number, n: number) => {
    const d = new Date(ms);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1);
  };
  const iso = (ms: number) => new Date(ms).toISOString();
  const page: Pick<ClipSearchFilters, 'limit' | 'offset'> = { limit: 50, offset: 0 };
  // One ClipSearch per connection, as the station keeps one: its prepared statements are reused.
  const searches = new WeakMap<Database.Database, ClipSearch>();
  const searchOf = (db: Database.Database) => {
    let found = searches.get(db);
    if (found === undefined) {
      found = new ClipSearch(sqlOf(db));
      searches.set(db, found);
    }
    return found;
  };
  const search = (params: (i: number) => ClipSearchFilters) => (i: number) => {
    const filters = params(i);
    return (db: Database.Database) => searchOf(db).search(filters, retention);
  };

  const officer = pickFrom(1);
  const kase = pickFrom(2);
  const recorder = pickFrom(3);
  const word = pickFrom(4);
  const combo = pickFrom(5);
  const rnd3 = random(30);
  const rnd5 = random(50);
  const rnd6 = random(60);
  const rnd7 = random(70);
  const phrase = pickFrom(8);
  const shortWord = pickFrom(9);
  // The surname and first given character of the names in the sample: words of two characters.
  const shortNames = sample.words.filter((w) => /^\p{Script=Han}{3}$/u.test(w));
  if (shortNames.length === 0) throw new Error('the sample has no three-character names');
  return [
    {
      name: "an officer's unlabelled clips, oldest first",
      goalMs: 50,
      reps: REPS,
      call: search(() => ({
        ...page,
        officerBadge: officer(sample.officers),
        labelled: false,
        sort: 'recorded',
        order: 'asc',
      })),
    },
    {
      name: "a case's clips",
      goalMs: 50,
      reps: REPS,
      call: search(() => ({
        ...page,
        caseNumber: kase(sample.cases),
        sort: 'recorded',
        order: 'asc',
      })),
    },
    {
      name: "a recorder's month",
      goalMs: 50,
      reps: REPS,
      call: search(() => {
        const from = monthStart(rnd3, 1);
        return {
          ...page,
          recorderSerial: recorder(sample.recorders),
          from: iso(from),
          to: iso(addMonths(from, 1)),
          sort: 'recorded',
          order: 'asc',
        };
      }),
    },
    {
      name: 'full text: a name or an address',
      goalMs: 50,
      reps: REPS,
      call: search(() => ({ ...page, text: word(sample.words), sort: 'recorded', order: 'desc' })),
    },
    {
      name: 'full text: a two-character word (a short name)',
      goalMs: 50,
      reps: REPS,
      call: search(() => ({
        ...page,
        text: shortWord(shortNames).slice(0, 2),
        sort: 'recorded',
        order: 'desc',
      })),
    },
    {
      name: 'browser: officer + quarter + labelled + kind + unconfidential + no findings',
      goalMs: 50,
      reps: REPS,
      call: search(() => {
        const from = monthStart(rnd5, 3);
        return {
          ...page,
          officerBadge: combo(sample.officers),
          from: iso(from),
          to: iso(addMonths(from, 3)),
          labelled: true,
          kind: rnd5() < 0.5 ? 'penalty' : 'inspection',
          onlyUnconfidential: true,
          hasFindings: false,
          sort: 'recorded',
          order: 'desc',
        };
      }),
    },
    {
      name: 'browser: the unit, a week, late custody not excused, by custody',
      goalMs: 50,
      reps: REPS,
      call: search(() => {
        const from = startMs + Math.floor(rnd6() * (endMs - startMs - 7 * DAY_MS));
        return {
          ...page,
          from: iso(from),
          to: iso(from + 7 * DAY_MS),
          lateCustody: true,
          sort: 'custody',
          order: 'desc',
        };
      }),
    },
    {
      name: 'full text: a common phrase (tens of thousands of labels)',
      goalMs: 50,
      reps: REPS,
      call: search(() => ({
        ...page,
        text: phrase(['占道经营', '无证经营', '责令限期整改', '噪声投诉', '消防检查']),
        sort: 'recorded',
        order: 'desc',
      })),
    },
    {
      name: 'compliance report, one month',
      goalMs: 5000,
      reps: REPORT_REPS,
      call: () => {
        const from = monthStart(rnd7, 1);
        const to = addMonths(from, 1);
        const q: ComplianceQuery = {
          from: iso(from),
          to: iso(to),
          asOf: iso(Math.min(to, endMs)),
          now: iso(endMs),
          archiveDays: 30,
        };
        return (db: Database.Database) => complianceFigures(sqlOf(db), q);
      },
    },
  ];
}

function found(value: unknown): string {
  if (value !== null && typeof value === 'object' && 'total' in value) {
    const r = value as { total: number; clipIds: number[] };
    return `${r.total.toLocaleString('en')} found`;
  }
  if (value !== null && typeof value === 'object' && 'unit' in value) {
    const r = value as { unit: { clips: number; officers: number } };
    return `${r.unit.clips.toLocaleString('en')} clips, ${r.unit.officers} officers`;
  }
  return '';
}

/** A query's calls, made once: the timed runs and the traced replay use the same parameters. */
/** One statement cache per connection, as the station's catalogue keeps one. */
const statementCaches = new WeakMap<Database.Database, Sql>();
function sqlOf(db: Database.Database): Sql {
  let sql = statementCaches.get(db);
  if (sql === undefined) {
    sql = new Sql(db);
    statementCaches.set(db, sql);
  }
  return sql;
}

interface Prepared {
  query: Query;
  warm: ((db: Database.Database) => unknown)[];
  timed: ((db: Database.Database) => unknown)[];
}

function prepare(query: Query): Prepared {
  const calls = Array.from({ length: WARM_UP + query.reps }, (_, i) => query.call(i));
  return { query, warm: calls.slice(0, WARM_UP), timed: calls.slice(WARM_UP) };
}

function run(db: Database.Database, prepared: Prepared): Result {
  const ms: number[] = [];
  const totals: string[] = [];
  for (const work of prepared.warm) work(db);
  for (const work of prepared.timed) {
    const started = performance.now();
    const value = work(db);
    ms.push(performance.now() - started);
    totals.push(found(value));
  }
  return { query: prepared.query, ms, found: totals.slice(0, 3).join('; ') };
}

function main(): void {
  if (!Number.isInteger(REPS) || REPS < 1) throw new Error('EVIDOCK_BENCH_REPS must be 1 or more');
  mkdirSync(BENCH_DIR, { recursive: true });
  progress(`catalogue: ${FILE}`);
  const shape = { ...DEFAULT_SHAPE, clips: CLIPS };
  const { sample, built, seconds } = benchCatalogue(FILE, shape, REBUILD, progress);
  const { db } = openCatalogue(FILE);
  const summary = catalogueSummary(db);
  const size = statSync(FILE).size / (1 << 20);

  const all = queries(sample).map(prepare);
  const results: Result[] = [];
  for (const prepared of all) {
    progress(`${prepared.query.name}: ${prepared.timed.length} runs`);
    results.push(run(db, prepared));
  }
  // The same calls again, untimed, through a connection that records each statement and its
  // parameters: what the peer replays.
  const traces = new Map<Query, { warm: Traced[]; timed: Traced[] }>();
  for (const prepared of all) {
    const warm: Traced[] = [];
    const timed: Traced[] = [];
    for (const work of prepared.warm) work(tracing(db, warm));
    for (const work of prepared.timed) work(tracing(db, timed));
    traces.set(prepared.query, { warm, timed });
  }
  closeCatalogue(db);

  const lines: string[] = [];
  lines.push('');
  lines.push(`bench:catalogue — ${summary}`);
  lines.push(
    `  ${FILE} (${size.toFixed(0)} MiB), ${built ? `built in ${seconds.toFixed(0)} s` : 'reused (schema unchanged)'}`,
  );
  lines.push(
    `  each query: ${WARM_UP} warm-up calls, then the runs shown, each with other parameters; ` +
      'times are wall-clock ms of a whole search (counts + page) or of the whole report',
  );
  lines.push('');
  const width = Math.max(...results.map((r) => r.query.name.length));
  const head = `${'query'.padEnd(width)}  runs   p50 ms   p95 ms   max ms   goal (p95)  `;
  lines.push(head);
  lines.push('-'.repeat(head.length + 24));
  let failed = 0;
  for (const r of results) {
    const p95 = percentile(r.ms, 95);
    const ok = p95 < r.query.goalMs;
    if (!ok) failed += 1;
    lines.push(
      `${r.query.name.padEnd(width)}  ${String(r.ms.length).padStart(4)}  ${percentile(r.ms, 50)
        .toFixed(2)
        .padStart(7)}  ${p95.toFixed(2).padStart(7)}  ${Math.max(...r.ms)
        .toFixed(2)
        .padStart(
          7,
        )}   < ${String(r.query.goalMs).padStart(4)} ms ${ok ? 'met' : 'MISSED'}   ${r.found}`,
    );
  }
  lines.push('');
  lines.push(
    failed === 0 ? 'goals: all met' : `goals: ${failed} of ${results.length} missed (see MISSED)`,
  );
  console.log(lines.join('\n'));

  // The peer, printed last.
  const peer: string[] = [''];
  const version = shellVersion();
  if (version === null) {
    peer.push(
      'peer: skipped — the sqlite3 command-line shell is not installed (apt-get install sqlite3)',
    );
    console.log(peer.join('\n'));
    return;
  }
  peer.push(`peer: the sqlite3 shell (${version}) replaying the identical statements`);
  peer.push(
    ...[
      "Every statement each call ran (the badge/serial probes, counts, pages; the report's GROUP BY",
      'queries), with its parameters written in as literals, is run by one sqlite3 process on the',
      'same file after the same warm-up calls. Its time: the wall time of that process running the',
      'timed calls (10 or 100 times over when they are quick), minus that of the process without',
      "them (best of 3 each), divided by the calls: a mean per call, set against evidock's mean",
      '(repeating identical statements can only help the shell). Same SQL, same indexes:',
      "the ratio is what evidock's layer (Node, better-sqlite3, building and preparing statements)",
      "costs over the bare engine. The shell's SQLite is the distribution's, not the one",
      'better-sqlite3 bundles, so their query plans may differ.',
    ].map((line) => `  ${line}`),
  );
  peer.push('');
  const ratios: number[] = [];
  const pw = Math.max(...results.map((r) => r.query.name.length));
  peer.push(`${'query'.padEnd(pw)}  evidock mean ms  sqlite3 mean ms  evidock / sqlite3`);
  for (const r of results) {
    const trace = traces.get(r.query)!;
    const shell = replayInShell(FILE, trace.warm, trace.timed, r.ms.length);
    if (typeof shell === 'string') {
      peer.push(`${r.query.name.padEnd(pw)}  ${mean(r.ms).toFixed(2).padStart(15)}  (${shell})`);
      continue;
    }
    const ratio = mean(r.ms) / shell;
    ratios.push(ratio);
    peer.push(
      `${r.query.name.padEnd(pw)}  ${mean(r.ms).toFixed(2).padStart(15)}  ${shell
        .toFixed(2)
        .padStart(15)}  ${ratio.toFixed(2).padStart(17)}`,
    );
  }
  if (ratios.length > 0) {
    const geo = Math.exp(mean(ratios.map((x) => Math.log(x))));
    peer.push('');
    peer.push(
      `ratio evidock / sqlite3 shell, geometric mean over ${ratios.length} queries: ${geo.toFixed(2)}` +
        ' (1.00 = as fast as the bare engine; above 1, slower by that factor)',
    );
  }
  console.log(peer.join('\n'));
}

main();
