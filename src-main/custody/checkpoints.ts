import type { Catalogue, CatalogueWrite } from '../catalogue/catalogue';
import type { StoredCheckpoint } from '../catalogue/audit-checkpoints';
import {
  RpcError,
  type AuditSeal,
  type CheckpointReason,
  type CheckpointSummary,
  type KeyFingerprints,
  type StationKeysView,
} from '../contract';
import { checkpointLogPath, CheckpointLog, type CheckpointSources } from './checkpoint-log';
import {
  checkpointLine,
  encodeSignatures,
  parseCheckpointLine,
  signedBytes,
} from './checkpoint-format';
import {
  createStationKeys,
  hasKeyFiles,
  KeysUnusable,
  loadStationKeys,
  publicKeysFromSpki,
  type StationKeys,
  type StationPublicKeys,
} from './station-keys';

/** Every hundredth entry is sealed in the transaction that appends it. */
export const CHECKPOINT_EVERY = 100;
/** And the head, if anything was appended since the last checkpoint, every hour. */
export const CHECKPOINT_HOURLY_MS = 60 * 60 * 1000;

/** The action of the audit entry that records the station's keys being made. */
export const KEYS_CREATED_ACTION = 'station.keys.created';

export function summaryOf(checkpoint: StoredCheckpoint): CheckpointSummary {
  return {
    seq: checkpoint.seq,
    headSeq: checkpoint.headSeq,
    headHash: checkpoint.headHash,
    at: checkpoint.at,
    reason: checkpoint.reason,
  };
}

/** The keys a checkpoint is signed with, named by their SHA-256 fingerprints. */
export type SigningKeys = StoredCheckpoint['keys'];

/** The SHA-256 fingerprints a checkpoint names its keys by. */
export function signingFingerprints(fingerprints: KeyFingerprints): SigningKeys {
  return { sm2: fingerprints.sm2.sha256, ed25519: fingerprints.ed25519.sha256 };
}

export function sameKeys(a: SigningKeys, b: SigningKeys): boolean {
  return a.sm2 === b.sm2 && a.ed25519 === b.ed25519;
}

export interface CheckpointOptions {
  dataDir: string;
  catalogue: Catalogue;
  now: () => Date;
  /** Where a checkpoint log that could not be written is reported (it is caught up later). */
  onError: (message: string, error: unknown) => void;
}

/**
 * Signed checkpoints of the audit chain (rules D-NO-TAMPER, D-SUPERVISION). A checkpoint seals the
 * chain's head (its sequence number and hash) under the station's SM2 and Ed25519 keys, in the
 * catalogue and as a line of the checkpoint log outside it: cutting the newest entries, or
 * re-hashing the chain after an edit, no longer verifies against signatures made before.
 *
 * The keys are made at the station's first start and loaded at every later one. Once anything
 * refers to them (a checkpoint, a line of the log, the audit entry recording them), keys that are
 * missing, damaged or not those are an error: making new ones would let whoever deleted them sign
 * a rewritten history.
 */
export class AuditCheckpoints {
  /** Whether this start made the keys (the caller records it in the chain, then seals it). */
  readonly keysCreated: boolean;
  private readonly keys: StationKeys | null;
  /** Why the keys cannot sign, when they cannot. */
  readonly keysProblem: KeysUnusable | null;
  private appended = false;

  private constructor(
    private readonly options: CheckpointOptions,
    private readonly log: CheckpointLog,
    opened: { keys: StationKeys; created: boolean } | KeysUnusable,
  ) {
    this.keys = opened instanceof KeysUnusable ? null : opened.keys;
    this.keysCreated = opened instanceof KeysUnusable ? false : opened.created;
    this.keysProblem = opened instanceof KeysUnusable ? opened : null;
  }

  /** Loads the station's keys, making them if nothing refers to any yet. */
  static open(options: CheckpointOptions): AuditCheckpoints {
    const log = new CheckpointLog(checkpointLogPath(options.dataDir));
    let opened: { keys: StationKeys; created: boolean } | KeysUnusable;
    try {
      opened = openKeys(options, log);
    } catch (error) {
      if (!(error instanceof KeysUnusable)) throw error;
      opened = error;
    }
    return new AuditCheckpoints(options, log, opened);
  }

  /** Where the checkpoints outside the catalogue and the keys are, for the verification. */
  get sources(): CheckpointSources {
    return { dataDir: this.options.dataDir, log: this.log };
  }

  /** Refuses to go on without usable keys: what every command but reading the audit log does. */
  requireKeys(): StationKeys {
    if (this.keys !== null) return this.keys;
    throw keysError(this.keysProblem);
  }

  /** Seals `head` in the caller's transaction: the checkpoint commits with it or not at all. */
  sealIn(tx: CatalogueWrite, head: { seq: number; hash: string }, reason: CheckpointReason): void {
    const keys = this.requireKeys();
    const newest = tx.checkpoints.newest();
    const fields = {
      seq: Math.max(newest?.seq ?? 0, tx.checkpoints.highestIssuedSeq()) + 1,
      headSeq: head.seq,
      headHash: head.hash,
      at: this.options.now().toISOString(),
      reason,
      keys: signingFingerprints(keys.fingerprints),
    };
    tx.checkpoints.insert({
      ...fields,
      signatures: encodeSignatures(keys.sign(signedBytes(fields))),
    });
    tx.afterCommit(() => this.catchUpLog());
  }

  /** Seals the chain's head now, unless it is sealed already or the chain is empty. */
  sealHead(reason: CheckpointReason): boolean {
    return this.options.catalogue.write((tx) => {
      const head = tx.audit.head();
      if (head === undefined || (tx.checkpoints.newest()?.headSeq ?? 0) >= head.seq) return false;
      this.sealIn(tx, head, reason);
      return true;
    });
  }

  /** Notes that this process appended an entry (the station's audit log tells it). */
  noteAppended(): void {
    this.appended = true;
  }

  /**
   * Seals the head as the process stops, if it appended anything: a station at its stop, a
   * command-line command at its end. A process that only read (verify, say) signs nothing, nor
   * one whose keys cannot sign.
   */
  sealOnClose(): boolean {
    if (!this.appended || this.keys === null) return false;
    return this.sealHead('stop');
  }

  /**
   * Seals the head every hour there was activity; answers how to stop. The timer never keeps
   * the process alive, and a failure is reported, not thrown into the event loop.
   */
  everyHour(intervalMs = CHECKPOINT_HOURLY_MS): () => void {
    const timer = setInterval(() => {
      try {
        this.sealHead('hourly');
      } catch (error) {
        this.options.onError('the hourly audit checkpoint failed', error);
      }
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** The fingerprints of the keys in use, and the last checkpoint: what a report prints. */
  seal(): AuditSeal {
    const newest = this.options.catalogue.checkpoints.newest();
    return {
      keys: this.keys?.fingerprints ?? null,
      lastCheckpoint: newest === undefined ? null : summaryOf(newest),
    };
  }

  /** The keys as custodians and supervisors check them (audit.keys). */
  view(): StationKeysView {
    const problem = this.keysProblem;
    return {
      ...this.seal(),
      publicKeys: this.keys?.pem ?? null,
      problem:
        problem === null
          ? null
          : {
              code: problem.problem,
              entrySeq: null,
              checkpointSeq: null,
              message: problem.message,
            },
    };
  }

  /**
   * Appends to the checkpoint log every checkpoint the catalogue has past the log's last line,
   * in order. Under the catalogue's write lock, so two processes never interleave their lines; a
   * checkpoint whose line a crash or a full disk kept out is written with the next one.
   */
  private catchUpLog(): void {
    try {
      this.options.catalogue.write(() => {
        // After a last line that is not a checkpoint, all of them: the verification names it.
        const after = lastLogged(this.log)?.seq ?? 0;
        const pending = this.options.catalogue.checkpoints.after(after);
        this.log.append(pending.map(checkpointLine));
      });
    } catch (error) {
      this.options.onError('the audit checkpoint log could not be written', error);
    }
  }
}

function keysError(problem: KeysUnusable | null): RpcError {
  return new RpcError(
    'KEYS_UNUSABLE',
    `The station's signing keys cannot be used: ${problem?.message ?? 'they were not loaded'}. ` +
      'Restore the keys folder from the station backup; evidock never makes new keys over ' +
      'signed history (rule D-NO-TAMPER). `evidock audit verify` still checks the chain.',
    { problem: problem?.problem ?? 'keys-missing' },
  );
}

/**
 * What refers to the station's keys already, with the fingerprints each names (null where it
 * names none): the newest checkpoint in the catalogue, the entry that recorded the keys being
 * made, the last line of the checkpoint log. Keys that any of them does not name are not the
 * station's.
 */
function referencesToKeys(
  catalogue: Catalogue,
  log: CheckpointLog,
): { keys: SigningKeys | null; where: string }[] {
  const references: { keys: SigningKeys | null; where: string }[] = [];
  const newest = catalogue.checkpoints.newest();
  if (newest !== undefined) {
    references.push({ keys: newest.keys, where: `checkpoint #${newest.seq} in the catalogue` });
  }
  const recorded = catalogue.audit.newestOf(KEYS_CREATED_ACTION);
  if (recorded !== undefined) {
    references.push({
      keys: recordedKeys(recorded.details),
      where: `audit entry #${recorded.seq}`,
    });
  }
  const last = lastLogged(log);
  // A last line that is not a checkpoint still says keys were in use; verify names it.
  if (last !== undefined) {
    references.push({
      keys: last?.keys ?? null,
      where: 'the last line of the audit checkpoint log',
    });
  }
  return references;
}

/**
 * The checkpoint on the log's last line: undefined when the log has no line, null when that line
 * is not a checkpoint.
 */
function lastLogged(log: CheckpointLog): StoredCheckpoint | null | undefined {
  const last = log.lastLine();
  if (last === null) return undefined;
  try {
    return parseCheckpointLine(last);
  } catch (error) {
    if (error instanceof Error) return null;
    throw error;
  }
}

/** The public keys an audit entry `station.keys.created` recorded, or null if it holds none. */
export function recordedPublicKeys(details: string): StationPublicKeys | null {
  try {
    const parsed = JSON.parse(details) as { publicKeys?: { sm2?: unknown; ed25519?: unknown } };
    const { sm2, ed25519 } = parsed.publicKeys ?? {};
    if (typeof sm2 !== 'string' || typeof ed25519 !== 'string') return null;
    return publicKeysFromSpki({ sm2, ed25519 });
  } catch (error) {
    // Details that do not hold keys: the chain's own check names an altered entry.
    if (error instanceof Error) return null;
    throw error;
  }
}

/** The fingerprints an audit entry `station.keys.created` recorded (details as stored). */
export function recordedKeys(details: string): SigningKeys | null {
  try {
    const parsed = JSON.parse(details) as { fingerprints?: KeyFingerprints };
    const sm2 = parsed.fingerprints?.sm2?.sha256;
    const ed25519 = parsed.fingerprints?.ed25519?.sha256;
    return typeof sm2 === 'string' && typeof ed25519 === 'string' ? { sm2, ed25519 } : null;
  } catch (error) {
    if (error instanceof SyntaxError) return null;
    throw error;
  }
}

function openKeys(
  options: CheckpointOptions,
  log: CheckpointLog,
): { keys: StationKeys; created: boolean } {
  const references = referencesToKeys(options.catalogue, log);
  if (!hasKeyFiles(options.dataDir)) {
    if (references.length > 0) {
      throw new KeysUnusable(
        'keys-missing',
        `the keys folder holds no key, but ${references[0]!.where} was signed with the station's keys`,
      );
    }
    return createStationKeys(options.dataDir);
  }
  const keys = loadStationKeys(options.dataDir);
  const own = signingFingerprints(keys.fingerprints);
  for (const reference of references) {
    if (reference.keys !== null && !sameKeys(reference.keys, own)) {
      throw new KeysUnusable(
        'keys-replaced',
        `the keys in the keys folder are not the ones ${reference.where} names (SM2 ${reference.keys.sm2}, Ed25519 ${reference.keys.ed25519})`,
      );
    }
  }
  return { keys, created: false };
}
