import type { StoredCheckpoint } from '../catalogue/audit-checkpoints';
import { shortKeys, type Findings } from './audit-findings';
import type { ChainWalk } from './chain-walk';
import { decodeSignatures, failedSignatures, signedBytes } from './checkpoint-format';
import { CHECKPOINT_EVERY, sameKeys, signingFingerprints } from './checkpoints';
import type { StationPublicKeys } from './station-keys';

/** One signed checkpoint as found in one place. */
export interface FoundCheckpoint {
  checkpoint: StoredCheckpoint;
  where: 'in the catalogue' | 'in the checkpoint log';
}

/**
 * Each checkpoint is signed by the station's keys, and has been the whole history long. Answers
 * the checkpoints the chain is held to: those whose signatures verify (all of them when the keys
 * are gone and nothing can be verified: they are still what was sealed).
 */
export function checkSignatures(
  findings: Findings,
  found: readonly FoundCheckpoint[],
  keys: StationPublicKeys | null,
): FoundCheckpoint[] {
  const stationKeys = keys === null ? null : signingFingerprints(keys.fingerprints);
  const trusted: FoundCheckpoint[] = [];
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
      const which = failedSignatures(valid);
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
export function checkSealedEntries(
  findings: Findings,
  found: readonly FoundCheckpoint[],
  trusted: readonly FoundCheckpoint[],
  walk: ChainWalk,
): void {
  let beyond: FoundCheckpoint | null = null;
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
