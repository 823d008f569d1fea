import type { TargetTest } from '../contract';
import { describeFailure } from './remote-errors';
import type { OutboxItem, PartRecord } from '../catalogue/forwarding';

/** A clip to send: its outbox row, its archived original, and the parts already recorded. */
export interface ClipSource {
  item: OutboxItem;
  /** The archived original, absolute. */
  path: string;
  parts: readonly PartRecord[];
  /** The part size for this clip (an upload under way keeps the one it began with). */
  partSize: number;
}

/** How a send tells the outbox what it did, as it does it, and waits for its share of bandwidth. */
export interface SendHooks {
  /** Recorded before the first part goes out, so a kill after it leaves a known upload. */
  uploadStarted(uploadId: string | null): void;
  /** A part the server holds: recorded at once, so a resume starts after it. */
  partDone(part: PartRecord): void;
  /** Bytes about to go on the wire: resolves when the target's bandwidth limit allows them. */
  throttle(bytes: number): Promise<void>;
  /** Bytes the server acknowledged (progress and rate). */
  sent(bytes: number): void;
  signal: AbortSignal;
}

/** What was sent: the server's ETag and our own parts' MD5s, to prove the object by. */
export interface SentClip {
  etag: string;
  md5s: string[];
  multipart: boolean;
  /** Whether nothing had to be sent: the object was already whole there (a restart after it). */
  alreadyThere: boolean;
}

/** What the server holds for a clip, checked against what was proven at ingest. */
export interface RemoteProof {
  ok: boolean;
  /** What differs: `missing`, `size`, `sha256`, `sm3`, `etag`, `content`. */
  problem: string | null;
  message: string | null;
  /** Whether the whole object was read back and hashed. */
  readBack: boolean;
}

/**
 * The steps of a target's test, run in order by the function this answers: each records its
 * outcome, a failure with its code and words, and answers whether to go on.
 */
export function testSteps(
  steps: TargetTest['steps'],
  signal: AbortSignal,
): (name: TargetTest['steps'][number]['step'], work: () => Promise<void>) => Promise<boolean> {
  return async (name, work) => {
    try {
      signal.throwIfAborted();
      await work();
      steps.push({ step: name, ok: true, code: null, message: null });
      return true;
    } catch (error) {
      const failure = describeFailure(error);
      steps.push({ step: name, ok: false, code: failure.code, message: failure.message });
      return false;
    }
  };
}

/** What a whole read-back of a copy found, held against the clip it should be. */
export function readBackProof(
  where: string,
  item: { size: number; sha256: string },
  found: { bytes: number; sha256: string },
): RemoteProof {
  if (found.bytes === item.size && found.sha256 === item.sha256) {
    return { ok: true, problem: null, message: null, readBack: true };
  }
  return {
    ok: false,
    problem: 'content',
    message: `${where} read back as ${found.bytes} bytes hashing to ${found.sha256}, not the clip's ${item.sha256}`,
    readBack: true,
  };
}

/**
 * A central-storage target as the outbox sees it: an S3-compatible bucket or a mounted folder.
 * Every method throws the server's (or the file system's) error as it came; the outbox decides
 * what it means (remote-errors.ts).
 */
export interface Destination {
  sendClip(source: ClipSource, hooks: SendHooks): Promise<SentClip>;
  /**
   * Checks the object against the clip: its size, its hashes in metadata, its ETag recomputed
   * from our parts; `readBack` also reads it whole and hashes it.
   */
  proveClip(
    item: OutboxItem,
    parts: readonly PartRecord[],
    readBack: boolean,
    signal: AbortSignal,
  ): Promise<RemoteProof>;
  /**
   * Writes a small document (sidecar, label document, audit segment) and proves it there. `once`:
   * a document that must never change (an audit segment, a label version) is written only where
   * none is; the same bytes already there are fine, other bytes a REMOTE_CONFLICT that stops the
   * target (the station's record and the central copy disagree: someone rewrote one of them).
   */
  putDocument(
    key: string,
    body: Buffer,
    signal: AbortSignal,
    options?: { once?: boolean },
  ): Promise<void>;
  /** Connection, bucket or folder, write, read, delete of a probe object. */
  test(signal: AbortSignal): Promise<TargetTest>;
  /**
   * Ends what this station left open that the outbox will never finish: multipart uploads under
   * its prefix, of one of its own clips' keys (`ours`), begun before `before` and not in `keep`.
   * Anything else open in the bucket is someone else's and is left alone. Answers how many.
   */
  abortStrays(
    keep: ReadonlySet<string>,
    ours: (key: string) => boolean,
    before: Date,
    signal: AbortSignal,
  ): Promise<number>;
  close(): void;
}
