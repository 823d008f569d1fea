// The catalogue bench's peer: the sqlite3 command-line shell replaying, on the same file, every
// statement evidock's calls ran. A connection wrapper records the statements and their
// parameters; the shell gets them with the parameters written in as SQL literals.
import type Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface Traced {
  sql: string;
  args: unknown[];
}

/** `db`, recording every statement it runs (and its parameters) into `out`. */
export function tracing(db: Database.Database, out: Traced[]): Database.Database {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'prepare') return (sql: string) => traced(target.prepare(sql), sql, out);
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}

function traced(statement: Database.Statement, sql: string, out: Traced[]): Database.Statement {
  const record =
    <R>(run: (...args: unknown[]) => R) =>
    (...args: unknown[]): R => {
      out.push({ sql, args });
      return run(...args);
    };
  const wrapper = {
    readonly: statement.readonly,
    pluck(toggle?: boolean) {
      statement.pluck(toggle ?? true);
      return wrapper;
    },
    all: record((...args) => statement.all(...args)),
    get: record((...args) => statement.get(...args)),
    run: record((...args) => statement.run(...args)),
  };
  return wrapper as unknown as Database.Statement;
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  return `'${String(value).replace(/'/g, "''")}'`;
}

/** The statement with its parameters as literals (named @x from an object, or positional ?). */
export function inlined(t: Traced): string {
  const [first] = t.args;
  if (t.args.length === 1 && first !== null && typeof first === 'object') {
    const named = first as Record<string, unknown>;
    return t.sql.replace(/@([A-Za-z0-9_]+)/g, (_, name: string) => literal(named[name]));
  }
  let i = 0;
  return t.sql.replace(/\?/g, () => literal(t.args[i++]));
}

/** "3.40.1", or null when the shell is not installed. */
export function shellVersion(): string | null {
  const result = spawnSync('sqlite3', ['--version'], { encoding: 'utf8' });
  if (result.error !== undefined || result.status !== 0) return null;
  return result.stdout.trim().split(/\s+/)[0] ?? null;
}

/** Wall-clock ms of one sqlite3 process running `script` on `file`, or the error it printed. */
function shell(file: string, script: string): number | string {
  const started = performance.now();
  const result = spawnSync('sqlite3', [file], {
    input: script,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const ms = performance.now() - started;
  if (result.error !== undefined) return result.error.message;
  const error = result.stderr.trim();
  if (result.status !== 0 || error !== '') return error.split('\n')[0] ?? `exit ${result.status}`;
  return ms;
}

/** Below this many ms of difference, process start-up noise is as large as what is measured. */
const NOISE_MS = 30;

/**
 * The shell's mean ms per call: the best of three processes that run the warm-up and then the
 * timed calls' statements (several times over when they are quick, until they take well above
 * the start-up noise), minus the best of three that run the warm-up only; or why it cannot be
 * told. Repeating the same statements can only help the shell (its cache is warmer).
 */
export function replayInShell(
  file: string,
  warm: readonly Traced[],
  timed: readonly Traced[],
  calls: number,
): number | string {
  const head = '.bail on\n.output /dev/null\n';
  const script = (list: readonly Traced[]) => list.map((t) => `${inlined(t)};\n`).join('');
  const warmOnly = head + script(warm);
  const best = (text: string): number | string => {
    let min = Infinity;
    for (let i = 0; i < 3; i++) {
      const ms = shell(file, text);
      if (typeof ms === 'string') return ms;
      min = Math.min(min, ms);
    }
    return min;
  };
  const base = best(warmOnly);
  if (typeof base === 'string') return base;
  const calls1 = script(timed);
  for (let repeat = 1; ; repeat *= 10) {
    const all = best(warmOnly + calls1.repeat(repeat));
    if (typeof all === 'string') return all;
    if (all - base >= 10 * NOISE_MS) return (all - base) / (calls * repeat);
    if (repeat >= 1000) return 'too quick to tell apart from the start of the shell';
  }
}
