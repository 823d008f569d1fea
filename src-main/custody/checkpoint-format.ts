import type { StoredCheckpoint } from '../catalogue/audit-checkpoints';
import { canonicalJson } from './canonical';
import type { KeySignatures } from './station-keys';

// What a signed checkpoint of the audit chain is, byte for byte (rule D-NO-TAMPER).
//
// The signed bytes are the canonical JSON (sorted keys, no whitespace, UTF-8) of
//
//   {"at":…,"headHash":…,"headSeq":…,"keys":{"ed25519":…,"sm2":…},"reason":…,"seq":…,
//    "type":"evidock.audit-checkpoint/1"}
//
// `seq` numbers the checkpoints 1, 2, 3 …; `headSeq`/`headHash` are the sequence number and hash
// of the audit entry sealed; `keys` are the SHA-256 fingerprints (hex) of the two public keys'
// SubjectPublicKeyInfo DER. `type` keeps a checkpoint's signature from meaning anything else the
// same keys ever sign.
//
// Each line of <data-dir>/audit-checkpoints.log is the canonical JSON of
// `{"checkpoint":<the signed object>,"signatures":{"ed25519":<base64>,"sm2":<base64 DER>}}`, so
// the signed bytes are exactly the text between `{"checkpoint":` and `,"signatures":`. To check
// line N by hand, with the public keys from keys/ (or as printed on a compliance report):
//
//   line=$(sed -n Np audit-checkpoints.log)
//   printf %s "$line" | sed 's/^{"checkpoint":\(.*\),"signatures":.*$/\1/' | tr -d '\n' > cp.json
//   printf %s "$line" | sed 's/.*,"signatures":{"ed25519":"\([^"]*\)".*/\1/' | base64 -d > cp.json.ed25519
//   printf %s "$line" | sed 's/.*,"sm2":"\([^"]*\)"}}$/\1/' | base64 -d > cp.json.sm2
//   openssl pkeyutl -verify -pubin -inkey ed25519.pub.pem -rawin -in cp.json -sigfile cp.json.ed25519
//   openssl pkeyutl -verify -pubin -inkey sm2.pub.pem -rawin -digest sm3 \
//     -pkeyopt distid:1234567812345678 -in cp.json -sigfile cp.json.sm2
//
// then compare `headHash` with the hash of entry `headSeq` (`evidock audit list --json`).
const CHECKPOINT_TYPE = 'evidock.audit-checkpoint/1';

/** A checkpoint as signed: a catalogue row without its signatures. */
export type CheckpointFields = Omit<StoredCheckpoint, 'signatures'>;

function signedObject(checkpoint: CheckpointFields): Record<string, unknown> {
  const { seq, headSeq, headHash, at, reason, keys } = checkpoint;
  return {
    type: CHECKPOINT_TYPE,
    seq,
    headSeq,
    headHash,
    at,
    reason,
    keys: { sm2: keys.sm2, ed25519: keys.ed25519 },
  };
}

/** The exact bytes both keys sign. */
export function signedBytes(checkpoint: CheckpointFields): Buffer {
  return Buffer.from(canonicalJson(signedObject(checkpoint)), 'utf8');
}

/** The checkpoint's line in the checkpoint log, without its line end. */
export function checkpointLine(checkpoint: StoredCheckpoint): string {
  return canonicalJson({
    checkpoint: signedObject(checkpoint),
    signatures: { sm2: checkpoint.signatures.sm2, ed25519: checkpoint.signatures.ed25519 },
  });
}

export function encodeSignatures(signatures: KeySignatures): StoredCheckpoint['signatures'] {
  return {
    sm2: signatures.sm2.toString('base64'),
    ed25519: signatures.ed25519.toString('base64'),
  };
}

export function decodeSignatures(signatures: StoredCheckpoint['signatures']): KeySignatures {
  return {
    sm2: Buffer.from(signatures.sm2, 'base64'),
    ed25519: Buffer.from(signatures.ed25519, 'base64'),
  };
}

const HEX64 = /^[0-9a-f]{64}$/;

function text(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new Error(`${name} is not a string`);
  return value;
}

function whole(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new Error(`${name} is not a whole number`);
  }
  return value;
}

function fingerprint(value: unknown, name: string): string {
  const hex = text(value, name);
  if (!HEX64.test(hex)) throw new Error(`${name} is not a SHA-256 fingerprint`);
  return hex;
}

/**
 * A line of the checkpoint log read back. Throws, saying what is wrong, for a line that is not
 * one this station writes; a well-formed line is not yet a valid one (its signatures and the
 * chain are checked by the verification).
 */
export function parseCheckpointLine(line: string): StoredCheckpoint {
  const parsed = JSON.parse(line) as unknown;
  if (typeof parsed !== 'object' || parsed === null) throw new Error('not a JSON object');
  const { checkpoint, signatures } = parsed as Record<string, unknown>;
  if (typeof checkpoint !== 'object' || checkpoint === null) throw new Error('no checkpoint');
  if (typeof signatures !== 'object' || signatures === null) throw new Error('no signatures');
  const c = checkpoint as Record<string, unknown>;
  const s = signatures as Record<string, unknown>;
  if (c['type'] !== CHECKPOINT_TYPE) throw new Error(`not a ${CHECKPOINT_TYPE}`);
  const keys = c['keys'] as Record<string, unknown> | null | undefined;
  if (typeof keys !== 'object' || keys === null) throw new Error('no key fingerprints');
  const seq = whole(c['seq'], 'seq');
  if (seq < 1) throw new Error('seq is not positive');
  return {
    seq,
    headSeq: whole(c['headSeq'], 'headSeq'),
    headHash: text(c['headHash'], 'headHash'),
    at: text(c['at'], 'at'),
    reason: text(c['reason'], 'reason'),
    keys: {
      sm2: fingerprint(keys['sm2'], 'keys.sm2'),
      ed25519: fingerprint(keys['ed25519'], 'keys.ed25519'),
    },
    signatures: {
      sm2: text(s['sm2'], 'signatures.sm2'),
      ed25519: text(s['ed25519'], 'signatures.ed25519'),
    },
  };
}

/** Which of a checkpoint's two signatures failed, in words: "SM2", "Ed25519", "SM2 and Ed25519". */
export function failedSignatures(valid: { sm2: boolean; ed25519: boolean }): string {
  return [!valid.sm2 && 'SM2', !valid.ed25519 && 'Ed25519'].filter(Boolean).join(' and ');
}
