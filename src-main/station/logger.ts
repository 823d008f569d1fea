import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { LOG_LEVELS, type Log, type LogLevel } from '../contract';

/** The station's log, beside its catalogue: `<data-dir>/logs/station.log`, then `.1` … `.5`. */
export const LOG_FOLDER = 'logs';
export const LOG_FILE = 'station.log';
const KEEP = 5;
const ROTATE_BYTES = 5 << 20;

export interface StationLogger {
  log: Log;
  /** Where the lines go, for the README and the operator. */
  file: string | null;
  close(): void;
}

export interface LoggerOptions {
  /** Null: stderr only (a command that must not write into a data dir it only reads). */
  dataDir: string | null;
  /** What reaches the file; stderr gets warnings and errors only. Default `info`. */
  level?: LogLevel;
  stderr?: (line: string) => void;
  /** Rotate past this many bytes (tests make it small). */
  rotateBytes?: number;
}

const rank = (level: LogLevel) => LOG_LEVELS.indexOf(level);

/**
 * One line of JSON per event in a file the station's own account alone reads (0600), rotated
 * at 5 MiB keeping five old files; warnings and errors on stderr too, for a terminal or the
 * service manager's journal. A log that cannot be written never stops the station.
 */
export function openLogger(options: LoggerOptions): StationLogger {
  const level = options.level ?? 'info';
  const stderr = options.stderr ?? ((line) => process.stderr.write(`${line}\n`));
  const rotateBytes = options.rotateBytes ?? ROTATE_BYTES;
  const folder = options.dataDir === null ? null : join(options.dataDir, LOG_FOLDER);
  const file = folder === null ? null : join(folder, LOG_FILE);
  let fd: number | null = null;
  let size = 0;
  let broken = false;

  const open = () => {
    if (file === null || folder === null || broken) return;
    try {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      fd = openSync(file, 'a', 0o600);
      size = fstatSync(fd).size;
    } catch (error) {
      broken = true;
      stderr(`evidock: the log ${file} cannot be written (${String(error)}); stderr only`);
    }
  };
  const rotate = () => {
    if (file === null || fd === null) return;
    closeSync(fd);
    fd = null;
    rmSync(`${file}.${KEEP}`, { force: true });
    for (let n = KEEP - 1; n >= 1; n -= 1) {
      try {
        renameSync(`${file}.${n}`, `${file}.${n + 1}`);
      } catch (error) {
        // An older file that is not there yet is the normal case on a young station.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    renameSync(file, `${file}.1`);
    open();
  };

  const log: Log = (at, message, details) => {
    if (at === 'warn' || at === 'error') {
      stderr(`evidock ${at}: ${message}${details === undefined ? '' : ` ${safeJson(details)}`}`);
    }
    if (rank(at) < rank(level)) return;
    if (fd === null) open();
    if (fd === null) return;
    const line = `${safeJson({ at: new Date().toISOString(), level: at, message, ...details })}\n`;
    try {
      if (size + line.length > rotateBytes && size > 0) rotate();
      if (fd === null) return;
      size += writeSync(fd, line);
    } catch (error) {
      broken = true;
      stderr(`evidock: the log ${file} cannot be written (${String(error)}); stderr only`);
      if (fd !== null) closeSync(fd);
      fd = null;
    }
  };

  return {
    log,
    file,
    close: () => {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

/** JSON of what a log line carries; an Error keeps its message and stack. */
function safeJson(value: Record<string, unknown>): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v,
  );
}

/** The words of an error for a log line. */
export function errorDetails(error: unknown): Record<string, unknown> {
  return { error: error instanceof Error ? error : String(error) };
}
