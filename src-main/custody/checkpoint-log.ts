import {
  closeSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  readSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fsyncFolderSync } from '../archive';

/** The checkpoint log beside the catalogue. */
export const CHECKPOINT_LOG_FILE = 'audit-checkpoints.log';

export function checkpointLogPath(dataDir: string): string {
  return join(dataDir, CHECKPOINT_LOG_FILE);
}

/** Where the signed checkpoints and the keys that signed them are, outside the catalogue. */
export interface CheckpointSources {
  dataDir: string;
  log: CheckpointLog;
}

/** A line of the log as read back: its number in the file (from 1) and its text. */
export interface LogLine {
  lineNo: number;
  text: string;
}

/**
 * <data-dir>/audit-checkpoints.log: one signed checkpoint per line, appended and flushed, never
 * rewritten (rule D-NO-TAMPER). It lives outside the catalogue so that whoever edits the catalogue
 * does not edit it by the same stroke; forwarding and discs carry copies off the station.
 */
export class CheckpointLog {
  constructor(readonly file: string) {}

  /** Every complete line; null when there is no file. A last line without its end is not one. */
  read(): LogLine[] | null {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    return complete
      .split('\n')
      .slice(0, -1)
      .map((line, i) => ({ lineNo: i + 1, text: line }));
  }

  /** The last complete line, read from the end of the file (it only ever grows). */
  lastLine(): string | null {
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      const size = fstatSync(fd).size;
      // A line is under a kilobyte: a few of them are enough to find the last whole one.
      const length = Math.min(size, 16 * 1024);
      const tail = Buffer.alloc(length);
      readSync(fd, tail, 0, length, size - length);
      const text = tail.toString('utf8');
      const end = text.lastIndexOf('\n');
      if (end < 0) return null;
      const start = text.lastIndexOf('\n', end - 1) + 1;
      if (start === 0 && length < size) return this.read()?.at(-1)?.text ?? null;
      return text.slice(start, end);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Appends `lines` and flushes them (and, for a new file, its folder) before answering. A line a
   * crash cut short has no line end: it was never written, and the next append starts where it
   * began instead of gluing onto it.
   */
  append(lines: readonly string[]): void {
    if (lines.length === 0) return;
    const fd = openSync(this.file, 'a+', 0o600);
    try {
      const size = fstatSync(fd).size;
      if (size > 0) {
        const last = Buffer.alloc(1);
        readSync(fd, last, 0, 1, size - 1);
        if (last[0] !== 0x0a) ftruncateSync(fd, this.completeLength(fd, size));
      }
      writeSync(fd, lines.map((line) => `${line}\n`).join(''));
      fsyncSync(fd);
      if (size === 0) fsyncFolderSync(dirname(this.file));
    } finally {
      closeSync(fd);
    }
  }

  /** Where the last line end is: the file's length without a cut-short last line. */
  private completeLength(fd: number, size: number): number {
    const all = Buffer.alloc(size);
    readSync(fd, all, 0, size, 0);
    return all.lastIndexOf(0x0a) + 1;
  }
}
