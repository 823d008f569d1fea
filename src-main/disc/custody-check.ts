import type { StoredCheckpoint } from '../catalogue/audit-checkpoints';
import { entryHash, GENESIS_HASH } from '../custody/audit-chain';
import {
  decodeSignatures,
  failedSignatures,
  parseCheckpointLine,
  signedBytes,
} from '../custody/checkpoint-format';
import { sameKeys, signingFingerprints } from '../custody/checkpoints';
import type { StationPublicKeys } from '../custody/station-keys';
import { CUSTODY_FORMAT } from './custody-extract';

/** What the check of a custody document found (see custody-extract.ts for what it proves). */
export interface CustodyCheck {
  ok: boolean;
  /** One line for the custodian: what was checked and what was found. */
  detail: string;
  problems: string[];
  /** Entries in full whose hash recomputes. */
  entries: number;
  /** Checkpoints whose signatures verify and whose entry has the hash they sealed. */
  checkpoints: number;
  /** Entries proven by a signature through recomputed hashes alone. */
  sealed: number[];
  /** Entries a signature covers only through withheld entries' hashes. */
  throughWithheld: number[];
  /** Entries no verified checkpoint covers. */
  uncovered: number[];
}

/** A document can be made of anything: past this many, problems are counted, not listed. */
const PROBLEMS_LISTED = 50;
const HEX64 = /^[0-9a-f]{64}$/;
const ENTRY_FIELDS = ['seq', 'at', 'actor', 'action', 'subject', 'details', 'prevHash', 'hash'];
const LINK_FIELDS = ['seq', 'prevHash', 'hash'];

class Problems {
  readonly list: string[] = [];
  count = 0;

  add(problem: string): void {
    this.count += 1;
    if (this.list.length < PROBLEMS_LISTED) this.list.push(problem);
  }

  /** Enough is wrong that costly checks (signatures) stop: the verdict cannot change. */
  get overwhelming(): boolean {
    return this.count >= PROBLEMS_LISTED;
  }
}

/** One place of the document's chain: an entry in full, or a withheld one's link. */
interface Place {
  seq: number;
  prevHash: string;
  hash: string;
  /** For an entry in full: how it is named, and whether its hash recomputed. */
  entry: { name: string; recomputed: boolean } | null;
}

type Fields = Record<string, unknown>;

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as a problem quotes it: short, whatever it is. */
function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 80));
  if (Array.isArray(value)) return 'a list';
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : String(value);
}

const isSeq = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;

/** The fields `value` has beyond `allowed`: content nothing hashes must not ride along. */
function extraFields(value: Fields, allowed: readonly string[]): string[] {
  return Object.keys(value).filter((key) => !allowed.includes(key));
}

function listOf(doc: Fields, name: string, problems: Problems): unknown[] {
  const value = doc[name];
  if (Array.isArray(value)) return value;
  problems.add(`${name} is ${shown(value)}, not a list`);
  return [];
}

/**
 * Checks a custody document (custody.json, parsed) with the public keys on the disc, offline:
 * every entry in full hashes to its hash, the chain runs without a gap or a broken link through
 * the span, every checkpoint is signed by these keys and seals the hash the chain has at its
 * entry. Anything at all may be handed in: what is not a custody document is a problem, never an
 * exception. Not ok while an entry is covered by no signature.
 */
export function checkCustodyDocument(doc: unknown, keys: StationPublicKeys): CustodyCheck {
  const problems = new Problems();
  const none = { entries: 0, checkpoints: 0, sealed: [], throughWithheld: [], uncovered: [] };
  if (!isFields(doc)) {
    problems.add(`the custody document is ${shown(doc)}, not a JSON object`);
    return verdict(problems, none, 0);
  }
  if (doc.format !== CUSTODY_FORMAT) {
    problems.add(`its format is ${shown(doc.format)}, not ${CUSTODY_FORMAT}`);
    return verdict(problems, none, 0);
  }
  checkStation(doc.station, keys, problems);
  const clipIds = readClipIds(doc.clipIds, problems);
  const places = new Map<number, Place>();
  const place = (item: Place) => {
    if (places.has(item.seq)) problems.add(`entry #${item.seq} is in the document twice`);
    else places.set(item.seq, item);
  };
  const ofClip = new Set<number>();
  listOf(doc, 'entries', problems).forEach((value, i) => {
    const entry = readEntry(value, i, clipIds, problems);
    if (entry === null) return;
    place(entry.place);
    if (entry.clipId !== null) ofClip.add(entry.clipId);
  });
  listOf(doc, 'links', problems).forEach((value, i) => {
    const link = readLink(value, i, problems);
    if (link !== null) place(link);
  });
  for (const id of clipIds) {
    if (!ofClip.has(id)) problems.add(`clip ${id} has no audit entry in the document`);
  }
  const chain = [...places.values()].sort((a, b) => a.seq - b.seq);
  checkLinks(chain, doc.span, problems);
  const heads = checkCheckpoints(listOf(doc, 'checkpoints', problems), places, keys, problems);
  const coverage = coverageOf(chain, heads);
  checkUncovered(doc.uncovered, coverage.uncovered, problems);
  const recomputed = chain.filter((p) => p.entry?.recomputed).length;
  return verdict(
    problems,
    { entries: recomputed, checkpoints: heads.checkpoints, ...coverage },
    chain.filter((p) => p.entry === null).length,
  );
}

function verdict(
  problems: Problems,
  found: Omit<CustodyCheck, 'ok' | 'detail' | 'problems'>,
  withheld: number,
): CustodyCheck {
  const list = [...problems.list];
  if (problems.count > list.length) list.push(`and ${problems.count - list.length} more`);
  const ok = problems.count === 0;
  return {
    ok,
    detail: ok
      ? `${found.entries} audit entr${found.entries === 1 ? 'y' : 'ies'} under ` +
        `${found.checkpoints} checkpoint(s) signed (SM2 and Ed25519) by the keys on the disc: ` +
        `${found.sealed.length} proven by their own hashes up to a signed one, ` +
        `${found.throughWithheld.length} through the hashes of ${withheld} withheld ` +
        `entr${withheld === 1 ? 'y' : 'ies'} (only the station's chain can confirm those hashes)`
      : `${problems.count} problem(s) with the custody document: ${list[0]}`,
    problems: list,
    ...found,
  };
}

/** The document names the keys it was made with: they must be the ones on the disc. */
function checkStation(station: unknown, keys: StationPublicKeys, problems: Problems): void {
  if (!isFields(station) || typeof station.id !== 'string') {
    problems.add('station is not an object with an id');
    return;
  }
  const named = isFields(station.keys) ? station.keys : {};
  const sm2 = isFields(named.sm2) ? named.sm2 : {};
  const ed25519 = isFields(named.ed25519) ? named.ed25519 : {};
  const f = keys.fingerprints;
  if (sm2.sha256 !== f.sm2.sha256 || sm2.sm3 !== f.sm2.sm3 || ed25519.sha256 !== f.ed25519.sha256) {
    problems.add(
      `the document names other keys than the ones given (SM2 ${f.sm2.sha256}, Ed25519 ${f.ed25519.sha256})`,
    );
  }
}

function readClipIds(value: unknown, problems: Problems): Set<number> {
  if (!Array.isArray(value) || value.length === 0) {
    problems.add(`clipIds is ${shown(value)}, not a list of clips`);
    return new Set();
  }
  const ids = new Set(value.filter(isSeq));
  if (ids.size !== value.length) {
    problems.add('clipIds holds something other than distinct clip ids');
  }
  return ids;
}

function readEntry(
  value: unknown,
  i: number,
  clipIds: ReadonlySet<number>,
  problems: Problems,
): { place: Place; clipId: number | null } | null {
  if (!isFields(value) || !isSeq(value.seq)) {
    problems.add(`entries[${i}] is not an audit entry`);
    return null;
  }
  const { seq, at, actor, action, subject, details, prevHash, hash } = value;
  const texts = { at, actor, action, subject, prevHash, hash };
  const wrong = Object.entries(texts)
    .filter(([, v]) => typeof v !== 'string')
    .map(([k]) => k);
  if (!isFields(details)) wrong.push('details');
  if (wrong.length > 0 || !HEX64.test(hash as string) || !HEX64.test(prevHash as string)) {
    problems.add(`entry #${seq} is malformed (${wrong.join(', ') || 'its hashes are not hex'})`);
    return null;
  }
  const name = `entry #${seq} (${shown(subject)}, ${shown(action)})`;
  const extra = extraFields(value, ENTRY_FIELDS);
  if (extra.length > 0) {
    problems.add(`${name} carries fields its hash does not cover: ${extra.join(', ')}`);
  }
  const id = /^clip:(\d+)$/.exec(subject as string)?.[1];
  const clipId = id === undefined ? null : Number(id);
  if (clipId === null || !clipIds.has(clipId)) {
    problems.add(`${name} is not about a clip of this document`);
  }
  let recomputed = false;
  try {
    recomputed =
      entryHash({
        seq,
        at: at as string,
        actor: actor as string,
        action: action as string,
        subject: subject as string,
        details: details as Fields,
        prevHash: prevHash as string,
      }) === hash;
    if (!recomputed) problems.add(`${name} was altered: its hash does not match its content`);
  } catch (error) {
    // Details no JSON holds (or nested past the stack): the station never hashed them.
    if (!(error instanceof Error)) throw error;
    problems.add(`${name} cannot be hashed: ${error.message}`);
  }
  return {
    place: { seq, prevHash: prevHash as string, hash: hash as string, entry: { name, recomputed } },
    clipId,
  };
}

function readLink(value: unknown, i: number, problems: Problems): Place | null {
  if (
    !isFields(value) ||
    !isSeq(value.seq) ||
    typeof value.prevHash !== 'string' ||
    typeof value.hash !== 'string' ||
    !HEX64.test(value.prevHash) ||
    !HEX64.test(value.hash)
  ) {
    problems.add(`links[${i}] is not a link of the chain (seq, prevHash, hash)`);
    return null;
  }
  const extra = extraFields(value, LINK_FIELDS);
  if (extra.length > 0) {
    problems.add(
      `the link of entry #${value.seq} carries more than its hashes: ${extra.join(', ')}`,
    );
  }
  return { seq: value.seq, prevHash: value.prevHash, hash: value.hash, entry: null };
}

/** The chain runs without a gap from its first entry to its last, each entry linked to the one before. */
function checkLinks(chain: readonly Place[], span: unknown, problems: Problems): void {
  const first = chain[0];
  const last = chain.at(-1);
  if (first === undefined || last === undefined) {
    problems.add('the document holds no audit entry');
    return;
  }
  if (!isFields(span) || span.fromSeq !== first.seq || span.throughSeq !== last.seq) {
    problems.add(`span does not say the chain runs from entry #${first.seq} to #${last.seq}`);
  }
  if (first.seq === 1 && first.prevHash !== GENESIS_HASH) {
    problems.add('entry #1 does not begin the chain');
  }
  for (let i = 1; i < chain.length; i += 1) {
    const before = chain[i - 1]!;
    const here = chain[i]!;
    if (here.seq !== before.seq + 1) {
      problems.add(
        `entries #${before.seq + 1}–#${here.seq - 1} are missing: the chain cannot be followed through them`,
      );
    } else if (here.prevHash !== before.hash) {
      const name = here.entry?.name ?? `withheld entry #${here.seq}`;
      problems.add(`${name} does not link to entry #${before.seq}`);
    }
  }
}

/**
 * Each checkpoint as the station checks one: signed by these keys, over the entry number and hash
 * it names, and that hash is the chain's at that entry. Answers the entries the verified ones seal.
 */
function checkCheckpoints(
  items: readonly unknown[],
  places: ReadonlyMap<number, Place>,
  keys: StationPublicKeys,
  problems: Problems,
): { checkpoints: number; heads: Set<number> } {
  const own = signingFingerprints(keys.fingerprints);
  const heads = new Set<number>();
  let checkpoints = 0;
  let lastSeq = 0;
  for (const [i, item] of items.entries()) {
    if (problems.overwhelming) {
      problems.add(`checkpoints[${i}] and later were not checked`);
      break;
    }
    let checkpoint: StoredCheckpoint;
    try {
      checkpoint = parseCheckpointLine(JSON.stringify(item) ?? 'undefined');
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      problems.add(`checkpoints[${i}] is not a signed checkpoint: ${error.message}`);
      continue;
    }
    const name = `checkpoint #${checkpoint.seq}`;
    if (checkpoint.seq <= lastSeq) problems.add(`${name} is out of order or repeated`);
    lastSeq = Math.max(lastSeq, checkpoint.seq);
    if (!sameKeys(checkpoint.keys, own)) {
      problems.add(`${name} is signed with other keys than the ones given`);
      continue;
    }
    const valid = keys.verify(signedBytes(checkpoint), decodeSignatures(checkpoint.signatures));
    if (!valid.sm2 || !valid.ed25519) {
      const which = failedSignatures(valid);
      problems.add(`${name} does not verify (${which}): it was changed after it was signed`);
      continue;
    }
    const sealed = places.get(checkpoint.headSeq);
    if (sealed === undefined) {
      problems.add(`${name} seals entry #${checkpoint.headSeq}, which the document does not hold`);
      continue;
    }
    if (sealed.hash !== checkpoint.headHash) {
      problems.add(
        `${name} sealed entry #${checkpoint.headSeq} with another hash than the document's chain has`,
      );
      continue;
    }
    checkpoints += 1;
    heads.add(checkpoint.headSeq);
  }
  return { checkpoints, heads };
}

/**
 * Which entries a verified checkpoint covers, and how. Walked from the newest: an entry is sealed
 * while every entry from it to a sealed one recomputed, since each commits to the one before; a
 * withheld or altered entry on the way breaks that, and the signature then reaches the entries
 * before it only through hashes the disc cannot recompute.
 */
function coverageOf(
  chain: readonly Place[],
  verified: { heads: ReadonlySet<number> },
): Pick<CustodyCheck, 'sealed' | 'throughWithheld' | 'uncovered'> {
  const sealed: number[] = [];
  const throughWithheld: number[] = [];
  const uncovered: number[] = [];
  let sealedFrom = false;
  let anyHead = false;
  for (let i = chain.length - 1; i >= 0; i -= 1) {
    const here = chain[i]!;
    if (verified.heads.has(here.seq)) {
      sealedFrom = true;
      anyHead = true;
    }
    if (here.entry?.recomputed) {
      if (sealedFrom) sealed.push(here.seq);
      else if (anyHead) throughWithheld.push(here.seq);
      else uncovered.push(here.seq);
    } else {
      sealedFrom = false;
    }
    // A gap breaks the chain as much as a withheld entry: nothing links across it.
    if (i > 0 && chain[i - 1]!.seq !== here.seq - 1) sealedFrom = false;
  }
  const ascending = (list: number[]) => list.reverse();
  return {
    sealed: ascending(sealed),
    throughWithheld: ascending(throughWithheld),
    uncovered: ascending(uncovered),
  };
}

/** Entries no signature covers are a problem; a document that hides them, a second one. */
function checkUncovered(claimed: unknown, uncovered: readonly number[], problems: Problems): void {
  if (!Array.isArray(claimed) || !claimed.every(isSeq)) {
    problems.add(`uncovered is ${shown(claimed)}, not a list of entry numbers`);
  }
  if (uncovered.length === 0) return;
  const said = new Set(Array.isArray(claimed) ? claimed : []);
  const unsaid = uncovered.filter((seq) => !said.has(seq));
  const shortList = (list: readonly number[]) =>
    `#${list.slice(0, 10).join(', #')}${list.length > 10 ? ` and ${list.length - 10} more` : ''}`;
  problems.add(
    `entr${uncovered.length === 1 ? 'y' : 'ies'} ${shortList(uncovered)} ` +
      `${uncovered.length === 1 ? 'is' : 'are'} covered by no signed checkpoint: nothing but this document vouches for ${uncovered.length === 1 ? 'it' : 'them'}`,
  );
  if (unsaid.length > 0) {
    problems.add(`the document does not list ${shortList(unsaid)} as uncovered`);
  }
}
