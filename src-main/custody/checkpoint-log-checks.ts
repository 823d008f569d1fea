import type { StoredCheckpoint } from '../catalogue/audit-checkpoints';
import { Findings, span } from './audit-findings';
import type { FoundCheckpoint } from './checkpoint-checks';
import { checkpointLine, parseCheckpointLine } from './checkpoint-format';
import type { CheckpointLog } from './checkpoint-log';

/** The checkpoint log read back: each line's checkpoint and text by number. */
export interface LoggedCheckpoints {
  /** Whether there is a log file at all. */
  exists: boolean;
  bySeq: Map<number, { checkpoint: StoredCheckpoint; text: string; lineNo: number }>;
}

/** Reads the checkpoint log back, naming each line that is not a checkpoint or is out of order. */
export function readCheckpointLog(log: CheckpointLog, findings: Findings): LoggedCheckpoints {
  const lines = log.read();
  const bySeq: LoggedCheckpoints['bySeq'] = new Map();
  let expected = 1;
  for (const line of lines ?? []) {
    let checkpoint: StoredCheckpoint;
    try {
      checkpoint = parseCheckpointLine(line.text);
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      findings.add(
        'log-unreadable',
        `line ${line.lineNo} of the checkpoint log is not a checkpoint (${error.message})`,
      );
      continue;
    }
    if (bySeq.has(checkpoint.seq) || checkpoint.seq < expected) {
      findings.add(
        'log-differs',
        `line ${line.lineNo} of the checkpoint log repeats or reorders checkpoint #${checkpoint.seq}`,
        { checkpointSeq: checkpoint.seq },
      );
      continue;
    }
    bySeq.set(checkpoint.seq, { checkpoint, text: line.text, lineNo: line.lineNo });
    expected = checkpoint.seq + 1;
  }
  return { exists: lines !== null, bySeq };
}

/**
 * Holds the checkpoint log to the catalogue's checkpoints: a line that says what its catalogue
 * row says is the same checkpoint; a line that differs is named, and is a second version to check
 * on its own. Answers the checkpoints the log holds other than as the catalogue does.
 */
export function checkLogAgainstCatalogue(
  findings: Findings,
  log: CheckpointLog,
  logged: LoggedCheckpoints,
  table: readonly StoredCheckpoint[],
  issued: number,
): FoundCheckpoint[] {
  const versions: FoundCheckpoint[] = [];
  const inTable = new Map(table.map((c) => [c.seq, c]));
  for (const [seq, line] of logged.bySeq) {
    const row = inTable.get(seq);
    if (row !== undefined && checkpointLine(row) === line.text) continue;
    if (row !== undefined) {
      findings.add(
        'log-differs',
        `line ${line.lineNo} of the checkpoint log differs from checkpoint #${seq} in the catalogue`,
        { checkpointSeq: seq },
      );
    }
    versions.push({ checkpoint: line.checkpoint, where: 'in the checkpoint log' });
  }
  // A checkpoint another process sealed between reading the log and the catalogue has its
  // line written right after its commit: read the log again before calling its line lost.
  let logTop = 0;
  for (const seq of logged.bySeq.keys()) logTop = Math.max(logTop, seq);
  const written = table.some((c) => c.seq > logTop)
    ? new Set(readCheckpointLog(log, new Findings()).bySeq.keys())
    : new Set<number>();
  checkNumbering(findings, table, issued, logged, written);
  return versions;
}

/**
 * Checkpoints are numbered 1, 2, 3 … in both places. A number the log has (or the catalogue once
 * issued) that the catalogue lacks was cut from it; a number the catalogue has (or that the log
 * skips) that the log lacks is a lost line.
 */
function checkNumbering(
  findings: Findings,
  table: readonly StoredCheckpoint[],
  issued: number,
  logged: LoggedCheckpoints,
  writtenSince: ReadonlySet<number>,
): void {
  const inTable = table.map((c) => c.seq).sort((a, b) => a - b);
  const inLog = [...logged.bySeq.keys()].sort((a, b) => a - b);
  const tableTop = inTable.at(-1) ?? 0;
  const logTop = inLog.at(-1) ?? 0;

  for (const run of missingRuns(inTable, Math.max(issued, logTop, tableTop))) {
    findings.add(
      'table-cut',
      `checkpoints ${span(run)} were removed from the catalogue (the checkpoint log or its numbering still has them)`,
      { checkpointSeq: run[0] },
    );
  }

  if (!logged.exists && table.length > 0) {
    findings.add(
      'log-lines-lost',
      `the checkpoint log is missing, while the catalogue holds ${table.length} checkpoints`,
      { checkpointSeq: inTable[0] ?? null },
    );
    return;
  }
  // Lines written since the log was first read count, for the checkpoints this check saw.
  const lines = new Set(inLog);
  for (const seq of writtenSince) if (seq <= tableTop) lines.add(seq);
  for (const run of missingRuns(
    [...lines].sort((a, b) => a - b),
    Math.max(logTop, tableTop),
  )) {
    findings.add(
      'log-lines-lost',
      `the checkpoint log lacks checkpoint${run[0] === run[1] ? '' : 's'} ${span(run)}`,
      { checkpointSeq: run[0] },
    );
  }
}

/**
 * The runs of numbers from 1 to `top` that `present` (sorted, distinct) lacks, found from its
 * gaps: a number issued far past the rest (sqlite_sequence set by hand) is one run, not a loop.
 */
function missingRuns(present: readonly number[], top: number): [number, number][] {
  const out: [number, number][] = [];
  let previous = 0;
  for (const seq of present) {
    if (seq > previous + 1) out.push([previous + 1, seq - 1]);
    previous = seq;
  }
  if (top > previous) out.push([previous + 1, top]);
  return out;
}
