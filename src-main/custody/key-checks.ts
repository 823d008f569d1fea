import type { ChainBeforeKeys } from '../contract';
import { shortKeys, span, type Findings } from './audit-findings';
import type { ChainWalk } from './chain-walk';
import { recordedPublicKeys, sameKeys, signingFingerprints } from './checkpoints';
import {
  KeysUnusable,
  readPublicKeys,
  readStationKeys,
  type StationPublicKeys,
} from './station-keys';

/** The keys in keys/ as a check finds them, and why they cannot be used, when they cannot. */
export interface KeysOnDisk {
  keys: StationPublicKeys | null;
  problem: KeysUnusable | null;
}

/** Reads keys/ for a check, changing nothing: a damaged private key still leaves the public ones. */
export function readKeysForCheck(dataDir: string): KeysOnDisk {
  try {
    return { keys: readStationKeys(dataDir), problem: null };
  } catch (error) {
    if (!(error instanceof KeysUnusable)) throw error;
    try {
      return { keys: readPublicKeys(dataDir), problem: error };
    } catch (again) {
      if (!(again instanceof KeysUnusable)) throw again;
      return { keys: null, problem: error };
    }
  }
}

/**
 * The keys in keys/ are present, whole, and the ones the chain recorded when they were made.
 * Answers the keys the checkpoints are checked with: the ones the chain recorded (that entry is
 * held to the checkpoints like any other), else those in keys/, which may have been swapped.
 */
export function checkKeys(
  findings: Findings,
  onDisk: KeysOnDisk,
  walk: ChainWalk,
  checkpoints: number,
): StationPublicKeys | null {
  const { keys, problem } = onDisk;
  const inFolder = keys === null ? null : signingFingerprints(keys.fingerprints);
  if (inFolder !== null && walk.keysRecorded?.keys && !sameKeys(inFolder, walk.keysRecorded.keys)) {
    findings.add(
      'keys-replaced',
      `the keys in the keys folder (${shortKeys(inFolder)}) are not the ones entry #${walk.keysRecorded.seq} recorded when the station's keys were made (${shortKeys(walk.keysRecorded.keys)})`,
      { entrySeq: walk.keysRecorded.seq },
    );
  }
  const recorded =
    walk.keysRecorded === null ? null : recordedPublicKeys(walk.keysRecorded.details);
  const signer = recorded ?? keys;
  if (problem !== null && (checkpoints > 0 || walk.keysRecorded !== null)) {
    findings.add(
      problem.problem,
      signer === null
        ? `${problem.message}: no signature can be checked`
        : `${problem.message} (the signatures were checked with the public keys ${recorded === null ? 'in the keys folder' : 'the chain recorded'})`,
    );
  }
  return signer;
}

/**
 * The entries written before the station's keys were made (rule D-NO-TAMPER): everything before
 * the entry recording them, or the whole chain when it records none and nothing seals it. The
 * checkpoints from the keys on prove those entries unchanged since; nothing proves when or how
 * they were written. A station upgraded from a version without keys has them; so has a chain
 * whose history was rewritten, its keys, checkpoints and log deleted, so that new keys were made
 * after it: the two look alike here, which is why this is said on every check.
 */
export function beforeKeys(walk: ChainWalk, checkpoints: number): ChainBeforeKeys | null {
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
