import type { Catalogue } from '../catalogue/catalogue';
import type { ChainProblem } from '../contract';
import { entryHash, GENESIS_HASH, parsedEntry } from './audit-chain';
import {
  CHECKPOINT_EVERY,
  KEYS_CREATED_ACTION,
  recordedKeys,
  type SigningKeys,
} from './checkpoints';

/** What walking the chain found: its first broken link, and the hashes checkpoints are held to. */
export interface ChainWalk {
  entries: number;
  /** The last entry stored (0 for none). */
  lastSeq: number;
  /** The last entry before the first problem. */
  intactSeq: number;
  problem: { seq: number; code: ChainProblem; message: string } | null;
  /** Stored hashes of the entries checkpoints seal, and of every hundredth entry. */
  hashAt: Map<number, string>;
  /** The newest entry recording the station's keys being made, with the fingerprints it names. */
  keysRecorded: { seq: number; keys: SigningKeys | null; details: string } | null;
}

/**
 * Walks the whole chain: each entry's hash over its content, its link to the one before, the
 * sequence without gaps, and the highest sequence number ever issued. The first broken link is
 * named; the walk goes on to the end, since the checkpoints are held to every entry they seal.
 */
export function walkChain(catalogue: Catalogue, sealed: ReadonlySet<number>): ChainWalk {
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
