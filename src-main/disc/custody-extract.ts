import type { Catalogue } from '../catalogue/catalogue';
import type { AuditEntry, KeyFingerprints } from '../contract';
import { parsedEntry } from '../custody/audit-chain';
import { checkpointLine } from '../custody/checkpoint-format';
import type { StationPublicKeys } from '../custody/station-keys';

// custody.json on every evidence disc: the audit entries of its clips, with the signed checkpoints
// that cover them, checkable with the disc's keys/ alone (D-NO-TAMPER).
//
// An entry's hash is SHA-256 over the canonical JSON of all its fields, the previous entry's hash
// among them, and a checkpoint signs (SM2 and Ed25519) the number and hash of one entry. There is
// no digest of an entry's content apart from its hash: recomputing a hash needs the whole entry.
// The entries between two of a clip's entries are mostly other clips' (paths, badges, case
// numbers), which must not travel with this disc, so they are carried as links (number, previous
// hash, hash) and nothing else. What that proves, and what it does not:
//
// - Every entry in full hashes to its hash, and commits to the hash of the entry before it.
// - Each checkpoint was signed by the keys in keys/ over the entry number and hash it names, and
//   that hash is the one the document's chain has there.
// - An entry followed, up to a checkpoint's entry, only by entries in full is proven by that
//   signature alone: changing it changes every hash up to the signed one.
// - An entry with a withheld entry between it and the checkpoint is bound to the signature only
//   through hashes nobody can recompute from the disc: an entry re-hashed after an edit, with the
//   next link's previous hash edited to match, still checks. Those withheld hashes must be held
//   to the station's chain (or its copy at central storage, which forwarding sends in signed
//   segments) for the signature to cover it. The check says which entries are in which case.
// - The document carries no signature of its own: what it proves rests on the checkpoints'.
// - Withheld hashes are unsalted: an entry simple enough to be guessed whole (who played which
//   clip, to the millisecond) can be confirmed by guessing it. Its content is not on the disc.

export const CUSTODY_FORMAT = 'evidock-custody/1';
export const CUSTODY_FILE = 'custody.json';

/** An entry of the span whose content is withheld: where it sits in the chain, no more. */
export interface CustodyLink {
  seq: number;
  prevHash: string;
  hash: string;
}

/** A signed checkpoint exactly as a line of audit-checkpoints.log holds it. */
export interface CustodyCheckpoint {
  checkpoint: {
    type: string;
    seq: number;
    headSeq: number;
    headHash: string;
    at: string;
    reason: string;
    keys: { sm2: string; ed25519: string };
  };
  signatures: { sm2: string; ed25519: string };
}

export interface CustodyDocument {
  format: typeof CUSTODY_FORMAT;
  station: { id: string; keys: KeyFingerprints };
  clipIds: number[];
  /** Every entry numbered from `fromSeq` through `throughSeq` is in `entries` or `links`. */
  span: { fromSeq: number; throughSeq: number } | null;
  /** The entries about these clips, in full, oldest first. */
  entries: AuditEntry[];
  /** Every other entry of the span, oldest first. */
  links: CustodyLink[];
  /** Every checkpoint sealing an entry of the span, in the order they were signed. */
  checkpoints: CustodyCheckpoint[];
  /** Entries in full that no checkpoint here covers: signed by nothing yet. */
  uncovered: number[];
}

/** What the extract reads: one consistent view of the audit log and its checkpoints. */
export type CustodyCatalogue = Pick<Catalogue, 'audit' | 'checkpoints' | 'snapshot'>;

export interface CustodyInput {
  catalogue: CustodyCatalogue;
  clipIds: readonly number[];
  stationId: string;
  /** The station's keys, to name them by their fingerprints (a disc's keys/ holds the same). */
  keys: StationPublicKeys;
}

/** SQLite's "no limit": a clip's history is wanted whole, however many times it was played. */
const EVERY_ENTRY = -1;
/** Entries read at a time while the span is walked: the span can run to millions. */
const PAGE = 10_000;

/**
 * The custody document of `clipIds`. An entry belongs to a clip when its subject is the clip
 * (`clip:<id>`), the one rule the station itself uses (clipOfEntry): its archiving, labels, plays,
 * sweeps' findings and forwarding. Entries about its docking or its case name other clips, other
 * officers or other cases as well, so they are withheld like any other entry; what the disc needs
 * of them, the clip's own entries record (docking, recorder, officer, case at labelling).
 *
 * Seal the chain's head first (AuditCheckpoints.sealHead) where the newest entries should be
 * covered: the document never claims a checkpoint it does not hold, and lists what is left over.
 * Throws where an entry of these clips is unreadable: the chain is damaged, and `evidock audit
 * verify` names how.
 */
export function custodyExtract(input: CustodyInput): CustodyDocument {
  const clipIds = [...new Set(input.clipIds)].sort((a, b) => a - b);
  for (const id of clipIds) {
    if (!Number.isSafeInteger(id) || id < 1) throw new RangeError(`${id} is not a clip id`);
  }
  const { catalogue } = input;
  const base = {
    format: CUSTODY_FORMAT,
    station: { id: input.stationId, keys: input.keys.fingerprints },
    clipIds,
  } as const;
  return catalogue.snapshot(() => {
    const stored = clipIds
      .flatMap((id) => catalogue.audit.listBySubject(`clip:${id}`, EVERY_ENTRY))
      .sort((a, b) => a.seq - b.seq);
    const first = stored[0];
    const last = stored.at(-1);
    if (first === undefined || last === undefined) {
      return { ...base, span: null, entries: [], links: [], checkpoints: [], uncovered: [] };
    }
    const sealing = catalogue.checkpoints.all().filter((c) => c.headSeq >= first.seq);
    const newestHead = sealing.reduce((max, c) => Math.max(max, c.headSeq), 0);
    const throughSeq = Math.max(last.seq, newestHead);
    const included = new Set(stored.map((entry) => entry.seq));
    const links: CustodyLink[] = [];
    for (let from = first.seq; from <= throughSeq; from += PAGE) {
      for (const entry of catalogue.audit.range(from, Math.min(from + PAGE - 1, throughSeq))) {
        if (!included.has(entry.seq)) {
          links.push({ seq: entry.seq, prevHash: entry.prevHash, hash: entry.hash });
        }
      }
    }
    return {
      ...base,
      span: { fromSeq: first.seq, throughSeq },
      entries: stored.map((entry) => {
        try {
          return parsedEntry(entry);
        } catch (error) {
          if (!(error instanceof SyntaxError)) throw error;
          throw new Error(
            `audit entry #${entry.seq} (${entry.subject}) has unreadable details: the audit chain is damaged`,
          );
        }
      }),
      links,
      // The log's own line form: what anyone checks by hand with OpenSSL (checkpoint-format.ts).
      checkpoints: sealing.map((c) => JSON.parse(checkpointLine(c)) as CustodyCheckpoint),
      uncovered: stored.filter((entry) => entry.seq > newestHead).map((entry) => entry.seq),
    };
  });
}
