import type { Catalogue } from '../catalogue/catalogue';
import type { StoredCheckpoint } from '../catalogue/audit-checkpoints';
import type { ChainBeforeKeys, ChainFinding, ChainProblem, ChainVerification } from '../contract';
import { entryHash, GENESIS_HASH, parsedEntry } from './audit-chain';
import type { CheckpointLog, CheckpointSources } from './checkpoint-log';
import {
  checkpointLine,
  decodeSignatures,
  parseCheckpointLine,
  signedBytes,
} from './checkpoint-format';
import {
  CHECKPOINT_EVERY,
  KEYS_CREATED_ACTION,
  recordedKeys,
  recordedPublicKeys,
  signingFingerprints,
  summaryOf,
} from './checkpoints';
import {
  KeysUnusable,
  readPublicKeys,
  readStationKeys,
  type StationPublicKeys,
} from './station-keys';

/** How many findings are listed; more of the same kinds are counted, not listed. */
const LISTED = 100;

type Keys = StoredCheckpoint['keys'];

class Findings {
  readonly list: ChainFinding[] = [];
  omitted = 0;
  private readonly seen = new Set<string>();

  add(
    code: ChainProblem,
    message: string,
    at: { entrySeq?: number | null; checkpointSeq?: number | null } = {},
  ): void {
    const entrySeq = at.entrySeq ?? null;
    const checkpointSeq = at.checkpointSeq ?? null;
    const key = `${code}:${entrySeq}:${checkpointSeq}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    if (this.list.length >= LISTED) this.omitted += 1;
    else this.list.push({ code, entrySeq, checkpointSeq, message });
  }
}

/** What walking the chain found: its first broken link, and the hashes checkpoints are held to. */
interface ChainWalk {
  entries: number;
  /** The last entry stored (0 for none). */
  lastSeq: number;
  /** The last entry before the first problem. */
  intactSeq: number;
  problem: { seq: number; code: ChainProblem; message: string } | null;
  /** Stored hashes of the entries checkpoints seal, and of every hundredth entry. */
  hashAt: Map<number, string>;
  /** The newest entry recording the station's keys being made, with the fingerprints it names. */
  keysRecorded: { seq: number; keys: Keys | null; details: string } | null;
}

/**
 * Walks the whole chain: each entry's hash over its content, its link to the one before, the
 * sequence without gaps, and the highest sequence number ever issued. The first broken link is
 * named; the walk goes on to the end, since the checkpoints are held to every entry they seal.
 */
function walkChain(catalogue: Catalogue, sealed: ReadonlySet<number>): ChainWalk {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  const walk: ChainWalk = {
    entries: 0,
    lastSeq: 0,
    intactSeq: 0,
    problem: null,
    hashAt: new Map(),
    keysRecorded: null,
  };
  const broken = (seq: number, code: ChainProblem, message: string) => {
    walk.problem = { seq, code, message };
  };
  for (const stored of catalogue.audit.inOrder()) {
    walk.entries += 1;
    walk.lastSeq = stored.seq;
    if (sealed.has(stored.seq) || stored.seq % CHECKPOINT_EVERY === 0) {
      walk.hashAt.set(stored.seq, stored.hash);
    }
    if (stored.action === KEYS_CREATED_ACTION) {
      walk.keysRecorded = {
        seq: stored.seq,
        keys: recordedKeys(stored.details),
        details: stored.details,
      };
    }
    if (walk.problem === null) {
      if (stored.seq !== expectedSeq) {
        broken(
          expectedSeq,
          'missing',
          `entry #${expectedSeq} is missing (next found: #${stored.seq})`,
        );
      } else {
        let content: ReturnType<typeof parsedEntry> | null = null;
        try {
          content = parsedEntry(stored);
        } catch (error) {
          if (!(error instanceof SyntaxError)) throw error;
          broken(stored.seq, 'unreadable', `entry #${stored.seq} has unreadable details`);
        }
        if (content === null) {
          // named above
        } else if (content.prevHash !== prevHash) {
          broken(
            stored.seq,
            'unlinked',
            `entry #${stored.seq} does not link to entry #${stored.seq - 1}`,
          );
        } else if (entryHash(content) !== content.hash) {
          broken(
            stored.seq,
            'altered',
            `entry #${stored.seq} was altered: its hash does not match its content`,
          );
        } else {
          walk.intactSeq = stored.seq;
        }
      }
    }
    prevHash = stored.hash;
    expectedSeq = stored.seq + 1;
  }
  const issued = catalogue.audit.highestIssuedSeq();
  if (walk.problem === null && issued >= expectedSeq) {
    broken(
      expectedSeq,
      'truncated',
      `entries #${expectedSeq}–#${issued} are missing from the end of the log`,
    );
  }
  return walk;
}

function span([a, b]: [number, number]): string {
  return a === b ? `#${a}` : `#${a}–#${b}`;
}

function sameKeys(a: Keys, b: Keys): boolean {
  return a.sm2 === b.sm2 && a.ed25519 === b.ed25519;
}

function shortKeys(keys: Keys): string {
  return `SM2 ${keys.sm2.slice(0, 16)}…, Ed25519 ${keys.ed25519.slice(0, 16)}…`;
}

/** One signed checkpoint as found in one place. */
interface Found {
  checkpoint: StoredCheckpoint;
  where: 'in the catalogue' | 'in the checkpoint log';
}

/** The checkpoint log read back: each line's checkpoint and text by number, and what is unreadable. */
function readLog(log: CheckpointLog, findings: Findings) {
  const lines = log.read();
  const bySeq = new Map<number, { checkpoint: StoredCheckpoint; text: string; lineNo: number }>();
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
 * Checks the audit chain against itself and against every signed checkpoint, in the catalogue and
 * in the checkpoint log, with the public keys in keys/ (rules D-NO-TAMPER, D-SUPERVISION). Each
 * kind of damage is named on its own: a cut tail, a rewritten middle, a checkpoint signed by other
 * keys or edited after signing, lines lost from the log or differing from the catalogue,
 * checkpoints cut from the catalogue, keys missing, damaged or replaced.
 *
 * Without `sources` (a catalogue in memory, with no keys) only the chain itself is checked.
 */
export function verifyAuditChain(
  catalogue: Catalogue,
  sources: CheckpointSources | null,
  checkedAt: string,
): ChainVerification {
  const findings = new Findings();
  // The log first: every line in it was committed to the catalogue before it was written, so a
  // checkpoint sealed meanwhile by another process is never taken for one cut from the catalogue.
  const logged = sources === null ? null : readLog(sources.log, findings);
  let keys: StationPublicKeys | null = null;
  let keyProblem: KeysUnusable | null = null;
  if (sources !== null) {
    try {
      keys = readStationKeys(sources.dataDir);
    } catch (error) {
      if (!(error instanceof KeysUnusable)) throw error;
      keyProblem = error;
      // A damaged private key still leaves the public ones to check signatures with.
      try {
        keys = readPublicKeys(sources.dataDir);
      } catch (again) {
        if (!(again instanceof KeysUnusable)) throw again;
      }
    }
  }

  const { table, issued, walk } = catalogue.snapshot(() => {
    const table = catalogue.checkpoints.all();
    const sealed = new Set(table.map((c) => c.headSeq));
    for (const { checkpoint } of logged?.bySeq.values() ?? []) sealed.add(checkpoint.headSeq);
    return {
      table,
      issued: catalogue.checkpoints.highestIssuedSeq(),
      walk: walkChain(catalogue, sealed),
    };
  });
  if (walk.problem !== null) {
    findings.add(walk.problem.code, walk.problem.message, { entrySeq: walk.problem.seq });
  }

  // Every checkpoint as found, once per distinct content: a line that says what its catalogue
  // row says is one checkpoint, a line that differs is a second version to check on its own.
  const found: Found[] = table.map((checkpoint) => ({ checkpoint, where: 'in the catalogue' }));
  if (logged !== null) {
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
      found.push({ checkpoint: line.checkpoint, where: 'in the checkpoint log' });
    }
    // A checkpoint another process sealed between reading the log and the catalogue has its
    // line written right after its commit: read the log again before calling its line lost.
    let logTop = 0;
    for (const seq of logged.bySeq.keys()) logTop = Math.max(logTop, seq);
    const written =
      sources !== null && table.some((c) => c.seq > logTop)
        ? new Set(readLog(sources.log, new Findings()).bySeq.keys())
        : new Set<number>();
    checkNumbering(findings, table, issued, logged, written);
  }
  found.sort((a, b) => a.checkpoint.seq - b.checkpoint.seq);

  // The keys: present and whole, and the ones the chain recorded when they were made.
  const onDisk = keys === null ? null : signingFingerprints(keys.fingerprints);
  if (onDisk !== null && walk.keysRecorded?.keys && !sameKeys(onDisk, walk.keysRecorded.keys)) {
    findings.add(
      'keys-replaced',
      `the keys in the keys folder (${shortKeys(onDisk)}) are not the ones entry #${walk.keysRecorded.seq} recorded when the station's keys were made (${shortKeys(walk.keysRecorded.keys)})`,
      { entrySeq: walk.keysRecorded.seq },
    );
  }
  // The station's keys are the ones its chain recorded when they were made (that entry is held
  // to the checkpoints like any other); keys/ is where they are kept, and may have been swapped.
  const recorded =
    walk.keysRecorded === null ? null : recordedPublicKeys(walk.keysRecorded.details);
  const signer = recorded ?? keys;
  const signerKeys = signer === null ? null : signingFingerprints(signer.fingerprints);
  if (keyProblem !== null && (found.length > 0 || walk.keysRecorded !== null)) {
    findings.add(
      keyProblem.problem,
      signer === null
        ? `${keyProblem.message}: no signature can be checked`
        : `${keyProblem.message} (the signatures were checked with the public keys ${recorded === null ? 'in the keys folder' : 'the chain recorded'})`,
    );
  }

  const trusted = checkSignatures(findings, found, signer, signerKeys);
  checkSealedEntries(findings, found, trusted, walk);

  const list = findings.list;
  const firstBad =
    walk.problem?.seq ??
    list.reduce<number | null>(
      (min, f) => (f.entrySeq !== null && (min === null || f.entrySeq < min) ? f.entrySeq : min),
      null,
    );
  const newest = table.at(-1);
  return {
    ok: list.length === 0,
    entries: walk.entries,
    headSeq: walk.problem === null ? walk.lastSeq : walk.intactSeq,
    firstBadSeq: firstBad,
    problemCode: list[0]?.code ?? null,
    problem: list[0]?.message ?? null,
    checkedAt,
    findings: list,
    findingsOmitted: findings.omitted,
    checkpoints: { count: table.length, last: newest === undefined ? null : summaryOf(newest) },
    keys: keys?.fingerprints ?? null,
    beforeKeys: sources === null ? null : beforeKeys(walk, found.length),
  };
}

/**
 * The entries written before the station's keys were made (rule D-NO-TAMPER): everything before
 * the entry recording them, or the whole chain when it records none and nothing seals it. The
 * checkpoints from the keys on prove those entries unchanged since; nothing proves when or how
 * they were written. A station upgraded from a version without keys has them; so has a chain
 * whose history was rewritten, its keys, checkpoints and log deleted, so that new keys were made
 * after it: the two look alike here, which is why this is said on every check.
 */
function beforeKeys(walk: ChainWalk, checkpoints: number): ChainBeforeKeys | null {
  if (walk.keysRecorded !== null) {
    const keysSeq = walk.keysRecorded.seq;
    if (keysSeq <= 1) return null;
    return {
      fromSeq: 1,
      toSeq: keysSeq - 1,
      keysSeq,
      message: `entries ${span([1, keysSeq - 1])} are not sealed by any checkpoint made as they were written: they were written before this station had its keys (made at entry #${keysSeq}); the checkpoints since prove only that they have not changed after that`,
    };
  }
  if (checkpoints > 0 || walk.lastSeq === 0) return null;
  return {
    fromSeq: 1,
    toSeq: walk.lastSeq,
    keysSeq: null,
    message: `entries ${span([1, walk.lastSeq])} are not sealed by any checkpoint: the chain records no keys of this station`,
  };
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
  logged: ReturnType<typeof readLog>,
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

/**
 * Each checkpoint is signed by the station's keys, and has been the whole history long. Answers
 * the checkpoints the chain is held to: those whose signatures verify (all of them when the keys
 * are gone and nothing can be verified: they are still what was sealed).
 */
function checkSignatures(
  findings: Findings,
  found: readonly Found[],
  keys: StationPublicKeys | null,
  stationKeys: Keys | null,
): Found[] {
  const trusted: Found[] = [];
  const first = found[0]?.checkpoint;
  let changeNamed = false;
  for (const item of found) {
    const { checkpoint, where } = item;
    if (first !== undefined && !changeNamed && !sameKeys(checkpoint.keys, first.keys)) {
      changeNamed = true;
      findings.add(
        'key-changed',
        `checkpoint #${checkpoint.seq} ${where} is signed with other keys (${shortKeys(checkpoint.keys)}) than checkpoint #${first.seq} (${shortKeys(first.keys)})`,
        { checkpointSeq: checkpoint.seq },
      );
    }
    if (keys === null || stationKeys === null) {
      trusted.push(item);
      continue;
    }
    if (!sameKeys(checkpoint.keys, stationKeys)) {
      findings.add(
        'foreign-key',
        `checkpoint #${checkpoint.seq} ${where} is signed with keys that are not the station's (${shortKeys(checkpoint.keys)}; the station's: ${shortKeys(stationKeys)})`,
        { checkpointSeq: checkpoint.seq },
      );
      continue;
    }
    const valid = keys.verify(signedBytes(checkpoint), decodeSignatures(checkpoint.signatures));
    if (!valid.sm2 || !valid.ed25519) {
      const which = [!valid.sm2 && 'SM2', !valid.ed25519 && 'Ed25519']
        .filter(Boolean)
        .join(' and ');
      findings.add(
        'bad-signature',
        `checkpoint #${checkpoint.seq} ${where} does not verify (${which}): it was changed after it was signed`,
        { checkpointSeq: checkpoint.seq },
      );
      continue;
    }
    trusted.push(item);
  }
  return trusted;
}

/**
 * Each trusted checkpoint's entry is still there with the hash it sealed; every hundredth entry
 * since the keys were made has its checkpoint.
 */
function checkSealedEntries(
  findings: Findings,
  found: readonly Found[],
  trusted: readonly Found[],
  walk: ChainWalk,
): void {
  let beyond: Found | null = null;
  // In the order of the entries they seal: the last one still matching before a mismatch is
  // where the rewrite can have begun at the earliest.
  const bySealed = [...trusted].sort((a, b) => a.checkpoint.headSeq - b.checkpoint.headSeq);
  let lastMatching = 0;
  for (const item of bySealed) {
    const { checkpoint, where } = item;
    if (checkpoint.headSeq > walk.lastSeq) {
      if (beyond === null || checkpoint.headSeq > beyond.checkpoint.headSeq) beyond = item;
      continue;
    }
    const hash = walk.hashAt.get(checkpoint.headSeq);
    if (hash === undefined) continue; // a missing entry: the chain walk names it
    if (hash === checkpoint.headHash) {
      lastMatching = checkpoint.headSeq;
      continue;
    }
    const before = lastMatching < checkpoint.headSeq ? lastMatching : 0;
    findings.add(
      'rewritten',
      `entry #${checkpoint.headSeq} no longer has the hash checkpoint #${checkpoint.seq} ${where} signed at ${checkpoint.at}: entries #${before + 1}–#${checkpoint.headSeq} were rewritten and re-hashed`,
      { entrySeq: checkpoint.headSeq, checkpointSeq: checkpoint.seq },
    );
  }
  if (beyond !== null) {
    const { checkpoint, where } = beyond;
    findings.add(
      'tail-missing',
      `entries #${walk.lastSeq + 1}–#${checkpoint.headSeq} are missing from the end of the chain: checkpoint #${checkpoint.seq} ${where} sealed entry #${checkpoint.headSeq} at ${checkpoint.at}, and the chain ends at #${walk.lastSeq}`,
      { entrySeq: walk.lastSeq + 1, checkpointSeq: checkpoint.seq },
    );
  }

  const sealed = new Set(found.map((f) => f.checkpoint.headSeq));
  const starts = found.map((f) => f.checkpoint.headSeq);
  if (walk.keysRecorded !== null) {
    starts.push(walk.keysRecorded.seq);
    if (!sealed.has(walk.keysRecorded.seq)) {
      findings.add(
        'table-cut',
        `entry #${walk.keysRecorded.seq}, which recorded the station's keys, has no checkpoint: it was sealed when it was appended, and the checkpoint is gone`,
        { entrySeq: walk.keysRecorded.seq },
      );
    }
  }
  if (starts.length === 0) return;
  const start = starts.reduce((min, seq) => Math.min(min, seq));
  const unsealed: number[] = [];
  for (const seq of walk.hashAt.keys()) {
    if (seq > start && seq % CHECKPOINT_EVERY === 0 && !sealed.has(seq)) unsealed.push(seq);
  }
  for (const seq of unsealed.sort((a, b) => a - b)) {
    findings.add(
      'table-cut',
      `entry #${seq} has no checkpoint, though every hundredth entry is sealed as it is appended: its checkpoint was removed`,
      { entrySeq: seq },
    );
  }
}
