// custody.json on an evidence disc (D-NO-TAMPER): the audit entries of the disc's clips with the
// signed checkpoints that cover them, checked offline with the public keys the disc carries. The
// history is made by the station's own audit log and checkpoints, on a real catalogue file with
// real SM2 and Ed25519 keys; the disc is a folder holding custody.json and keys/ as burned.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalogue } from '../../src-main/catalogue/catalogue';
import { CATALOGUE_FILE } from '../../src-main/catalogue/open';
import type { AuditAction } from '../../src-main/contract';
import { entryHash } from '../../src-main/custody/audit-chain';
import type { AuditLog } from '../../src-main/custody/audit-log';
import type { AuditCheckpoints } from '../../src-main/custody/checkpoints';
import { openStationAudit } from '../../src-main/custody/station-audit';
import {
  createStationKeys,
  KEY_FILES,
  readPublicKeys,
  type StationPublicKeys,
} from '../../src-main/custody/station-keys';
import {
  checkCustodyDocument,
  CUSTODY_FILE,
  CUSTODY_FORMAT,
  custodyExtract,
  type CustodyDocument,
} from '../../src-main/disc';
import { testClock, type TestClock } from '../support/core-station';
import { tempDir } from '../support/temp';

let dir: ReturnType<typeof tempDir>;
let clock: TestClock;
let catalogue: Catalogue;
let audit: AuditLog;
let checkpoints: AuditCheckpoints;

/** What each clip's entries carry that must never reach another clip's disc. */
const secretsOf = (id: number) => [
  `archive/2026/12/01/DSJ-000${id}/VID_000${id}.MP4`,
  `P10${id}`,
  `京朝综执罚〔2026〕${id}号`,
  `clip:${id}`,
];

function record(actor: string, action: AuditAction, subject: string, details = {}): number {
  clock.advanceSeconds(7);
  return audit.record({ actor, action, subject, details }).seq;
}

const archived = (id: number) =>
  record('station', 'clip.archived', `clip:${id}`, {
    archivePath: secretsOf(id)[0],
    officerBadge: secretsOf(id)[1],
    recorderSerial: `DSJ-000${id}`,
    sha256: String(id).repeat(64),
    dockingId: id,
  });
const labelled = (id: number) =>
  record(secretsOf(id)[1]!, 'clip.labelled', `clip:${id}`, {
    before: null,
    after: { caseNumber: secretsOf(id)[2], category: 'enforcement', confidentiality: 'none' },
  });
const played = (id: number, by: string) => record(by, 'clip.played', `clip:${id}`);

type Step =
  | 'archived1'
  | 'archived2'
  | 'archived3'
  | 'archived4'
  | 'labelled1'
  | 'labelled2'
  | 'labelled3'
  | 'labelled4'
  | 'played1'
  | 'played2'
  | 'played3'
  | 'played3again'
  | 'played4';
/** The seqs of the history below, by what they are. */
let seqs: Record<Step, number>;

/**
 * Four clips archived, labelled and played, others' sign-ins between, two hourly checkpoints,
 * and a play of clip 2 after the last one.
 */
function history(): void {
  seqs = {} as Record<Step, number>;
  seqs.archived1 = archived(1);
  record('A201', 'auth.login', 'user:A201', { badge: 'A201' });
  seqs.archived2 = archived(2);
  seqs.archived3 = archived(3);
  seqs.archived4 = archived(4);
  seqs.labelled1 = labelled(1);
  seqs.labelled2 = labelled(2);
  seqs.played3 = played(3, 'P207');
  seqs.labelled3 = labelled(3);
  seqs.labelled4 = labelled(4);
  expect(checkpoints.sealHead('hourly')).toBe(true);
  seqs.played4 = played(4, 'P204');
  seqs.played1 = played(1, 'P205');
  seqs.played3again = played(3, 'P205');
  expect(checkpoints.sealHead('hourly')).toBe(true);
  seqs.played2 = played(2, 'P206');
}

/** Burns the document and the station's public keys into a folder, as on the disc. */
function onDisc(doc: unknown, keys: StationPublicKeys = checkpoints.requireKeys()): string {
  const root = join(dir.path, `disc-${Math.random().toString(36).slice(2)}`);
  mkdirSync(join(root, 'keys'), { recursive: true });
  writeFileSync(join(root, 'keys', KEY_FILES.sm2Public), keys.pem.sm2);
  writeFileSync(join(root, 'keys', KEY_FILES.ed25519Public), keys.pem.ed25519);
  writeFileSync(join(root, CUSTODY_FILE), JSON.stringify(doc, null, 2));
  return root;
}

/** The check as a verifier runs it from the disc alone. */
function checkOnDisc(root: string) {
  const doc = JSON.parse(readFileSync(join(root, CUSTODY_FILE), 'utf8')) as unknown;
  return checkCustodyDocument(doc, readPublicKeys(root));
}

function extract(clipIds: number[]): CustodyDocument {
  return custodyExtract({
    catalogue,
    clipIds,
    stationId: 'station-test',
    keys: checkpoints.requireKeys(),
  });
}

/** A copy to tamper with, as whoever holds the file would. */
const copy = (doc: CustodyDocument) => JSON.parse(JSON.stringify(doc)) as CustodyDocument;

beforeEach(() => {
  dir = tempDir('evidock-disc-custody-');
  clock = testClock('2026-12-01T08:00:00.000Z');
  catalogue = Catalogue.open(join(dir.path, CATALOGUE_FILE)).catalogue;
  ({ audit, checkpoints } = openStationAudit({
    dataDir: dir.path,
    catalogue,
    now: clock.now,
    onError: (message, error) => {
      throw new Error(`${message}: ${String(error)}`);
    },
    requireKeys: true,
  }));
  history();
});
afterEach(() => {
  catalogue.close();
  dir.remove();
});

describe('custody.json: the audit entries of a disc’s clips, verifiable offline', () => {
  it('the entries of 2 of 4 clips, with the checkpoints over them, verify with the disc’s keys', () => {
    const doc = extract([3, 1]);
    expect(doc.format).toBe(CUSTODY_FORMAT);
    expect(doc.station.id).toBe('station-test');
    expect(doc.station.keys).toEqual(checkpoints.requireKeys().fingerprints);
    expect(doc.clipIds).toEqual([1, 3]);
    const ours = [
      seqs.archived1,
      seqs.archived3,
      seqs.labelled1,
      seqs.played3,
      seqs.labelled3,
      seqs.played1,
      seqs.played3again,
    ];
    expect(doc.entries.map((e) => e.seq)).toEqual(ours);
    expect(doc.span).toEqual({ fromSeq: seqs.archived1, throughSeq: seqs.played3again });
    // Every other entry of the span is there as a link, so the chain can be followed.
    expect(doc.entries.length + doc.links.length).toBe(seqs.played3again - seqs.archived1 + 1);
    expect(doc.checkpoints.map((c) => c.checkpoint.headSeq)).toEqual([
      seqs.labelled4,
      seqs.played3again,
    ]);
    expect(doc.uncovered).toEqual([]);

    const result = checkOnDisc(onDisc(doc));
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.entries).toBe(7);
    expect(result.checkpoints).toBe(2);
    // Played 1 and played 3 again run up to the second checkpoint's entry in full: the signature
    // alone proves them. The rest reach a signature only past other clips' withheld entries.
    expect(result.sealed).toEqual([seqs.played1, seqs.played3again]);
    expect(result.throughWithheld).toEqual(ours.slice(0, 5));
    expect(result.uncovered).toEqual([]);
    expect(result.detail).toMatch(/^7 audit entries under 2 checkpoint/);
  });

  it('holds nothing of the other clips’ entries, nor of anyone else’s: only their hashes', () => {
    const doc = extract([1, 3]);
    const text = JSON.stringify(doc);
    for (const secret of [...secretsOf(2), ...secretsOf(4), 'A201', 'P204', 'P206']) {
      expect(text, secret).not.toContain(secret);
    }
    // What is there of them: where they sit in the chain, nothing else.
    for (const link of doc.links)
      expect(Object.keys(link).sort()).toEqual(['hash', 'prevHash', 'seq']);
    expect(doc.links.map((l) => l.seq)).toContain(seqs.labelled2);
    // And the clips asked for are there in full.
    expect(text).toContain(secretsOf(1)[0]);
    expect(text).toContain(secretsOf(3)[2]);
  });

  it('an included entry altered on the disc fails, and the problem names it', () => {
    const doc = copy(extract([1, 3]));
    const labelled = doc.entries.find((e) => e.seq === seqs.labelled3)!;
    (labelled.details.after as Record<string, unknown>).caseNumber = '京朝综执罚〔2026〕99号';
    const result = checkOnDisc(onDisc(doc));
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual(
      expect.stringMatching(new RegExp(`^entry #${seqs.labelled3} .*altered`)),
    );
    expect(result.sealed).not.toContain(seqs.labelled3);
    expect(result.throughWithheld).not.toContain(seqs.labelled3);
  });

  it('a sealed entry altered and re-hashed, with the entries after it, breaks the signed hash', () => {
    const doc = copy(extract([1, 3]));
    const [play1, play3] = [seqs.played1, seqs.played3again].map((seq) =>
      doc.entries.find((e) => e.seq === seq)!,
    );
    play1!.actor = 'P999';
    play1!.hash = entryHash(play1!);
    play3!.prevHash = play1!.hash;
    play3!.hash = entryHash(play3!);
    const result = checkOnDisc(onDisc(doc));
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual(
      expect.stringContaining(`sealed entry #${seqs.played3again} with another hash`),
    );
    expect(result.sealed).toEqual([]);
  });

  it('behind a withheld entry, a re-hashed forgery is never reported as sealed (the station’s chain must confirm it)', () => {
    // The limit of a document without other clips' content: a withheld entry's hash cannot be
    // recomputed, so a forger who re-hashes an entry and edits the next link's previous hash is
    // caught only against the station's chain. The check must not call such an entry sealed.
    const doc = copy(extract([1, 3]));
    const label1 = doc.entries.find((e) => e.seq === seqs.labelled1)!;
    label1.actor = 'P999';
    label1.hash = entryHash(label1);
    doc.links.find((l) => l.seq === seqs.labelled1 + 1)!.prevHash = label1.hash;
    const result = checkOnDisc(onDisc(doc));
    expect(result.sealed).not.toContain(seqs.labelled1);
    expect(result.throughWithheld).toContain(seqs.labelled1);
    expect(result.detail).toContain('withheld');
  });

  it('a link dropped from the chain fails', () => {
    const doc = copy(extract([1, 3]));
    const dropped = doc.links.findIndex((l) => l.seq === seqs.archived2);
    expect(dropped).toBeGreaterThanOrEqual(0);
    doc.links.splice(dropped, 1);
    const result = checkOnDisc(onDisc(doc));
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual(
      expect.stringContaining(`entries #${seqs.archived2}–#${seqs.archived2} are missing`),
    );
  });

  it('a link changed so the chain no longer connects fails', () => {
    const doc = copy(extract([1, 3]));
    const link = doc.links.find((l) => l.seq === seqs.archived4)!;
    link.hash = 'f'.repeat(64);
    const result = checkOnDisc(onDisc(doc));
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual(
      expect.stringContaining(
        `entry #${seqs.labelled1} ("clip:1", "clip.labelled") does not link to entry #${seqs.archived4}`,
      ),
    );
  });

  it('a checkpoint changed after signing fails, and so does one whose signature was swapped', () => {
    const doc = copy(extract([1, 3]));
    doc.checkpoints[0]!.checkpoint.at = '2026-12-01T07:00:00.000Z';
    const changed = checkOnDisc(onDisc(doc));
    expect(changed.ok).toBe(false);
    expect(changed.problems).toContainEqual(
      expect.stringMatching(/^checkpoint #\d+ does not verify \(SM2 and Ed25519\)/),
    );

    const swapped = copy(extract([1, 3]));
    swapped.checkpoints[1]!.signatures.ed25519 = swapped.checkpoints[0]!.signatures.ed25519;
    const result = checkOnDisc(onDisc(swapped));
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual(expect.stringMatching(/does not verify \(Ed25519\)/));
    expect(result.sealed).toEqual([]);
  });

  it('keys from another station fail, as keys/ and as the keys the document names', () => {
    const elsewhere = join(dir.path, 'other-station');
    mkdirSync(elsewhere);
    const other = createStationKeys(elsewhere).keys;
    const doc = extract([1, 3]);
    const result = checkOnDisc(onDisc(doc, other));
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual(
      expect.stringContaining('the document names other keys than the ones given'),
    );
    expect(result.problems).toContainEqual(
      expect.stringMatching(/^checkpoint #\d+ is signed with other keys/),
    );
    expect(result.checkpoints).toBe(0);
    expect(result.sealed).toEqual([]);
    expect(result.throughWithheld).toEqual([]);

    // Re-signed by the other station's keys, named as such: still not the checkpoints signed.
    const renamed = copy(doc);
    renamed.station.keys = other.fingerprints;
    for (const c of renamed.checkpoints) {
      c.checkpoint.keys = {
        sm2: other.fingerprints.sm2.sha256,
        ed25519: other.fingerprints.ed25519.sha256,
      };
    }
    const forged = checkOnDisc(onDisc(renamed, other));
    expect(forged.ok).toBe(false);
    expect(forged.problems).toContainEqual(
      expect.stringMatching(/does not verify \(SM2 and Ed25519\)/),
    );
  });

  it('entries after the newest checkpoint are listed as uncovered, and the check is not ok', () => {
    const doc = extract([1, 2]);
    expect(doc.uncovered).toEqual([seqs.played2]);
    expect(doc.span?.throughSeq).toBe(seqs.played2);
    const result = checkOnDisc(onDisc(doc));
    expect(result.uncovered).toEqual([seqs.played2]);
    expect(result.sealed).not.toContain(seqs.played2);
    expect(result.throughWithheld).not.toContain(seqs.played2);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      `entry #${seqs.played2} is covered by no signed checkpoint: nothing but this document vouches for it`,
    ]);

    // A document that keeps quiet about it is caught too.
    const quiet = copy(doc);
    quiet.uncovered = [];
    expect(checkOnDisc(onDisc(quiet)).problems).toContainEqual(
      `the document does not list #${seqs.played2} as uncovered`,
    );

    // Once the head is sealed, the same clips' document is whole.
    expect(checkpoints.sealHead('hourly')).toBe(true);
    const sealed = extract([1, 2]);
    expect(sealed.uncovered).toEqual([]);
    const now = checkOnDisc(onDisc(sealed));
    expect(now.ok).toBe(true);
    expect(now.sealed).toContain(seqs.played2);
  });

  it('an entry of another clip slipped in, or a field its hash does not cover, fails', () => {
    const other = extract([2]).entries[0]!;
    const doc = copy(extract([1, 3]));
    doc.links = doc.links.filter((l) => l.seq !== other.seq);
    doc.entries.push(other);
    doc.entries.sort((a, b) => a.seq - b.seq);
    const slipped = checkOnDisc(onDisc(doc));
    expect(slipped.ok).toBe(false);
    expect(slipped.problems).toContainEqual(
      expect.stringContaining(
        `entry #${other.seq} ("clip:2", "clip.archived") is not about a clip of this document`,
      ),
    );

    const extra = copy(extract([1, 3]));
    (extra.entries[0] as unknown as Record<string, unknown>).note = 'officer P101 consented';
    const noted = checkOnDisc(onDisc(extra));
    expect(noted.ok).toBe(false);
    expect(noted.problems).toContainEqual(
      expect.stringContaining('fields its hash does not cover: note'),
    );
  });

  it('a clip with no entry at all, and a document of no clip, fail', () => {
    const none = extract([42]);
    expect(none.span).toBeNull();
    const result = checkOnDisc(onDisc(none));
    expect(result.ok).toBe(false);
    expect(result.problems).toContain('clip 42 has no audit entry in the document');
    expect(result.problems).toContain('the document holds no audit entry');
    expect(() => extract([0])).toThrow(RangeError);
  });

  it('hostile input gives problems, never an exception', () => {
    const keys = checkpoints.requireKeys();
    const good = extract([1, 3]);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    let deep: unknown = 'bottom';
    for (let i = 0; i < 200_000; i += 1) deep = [deep];
    const hostile: unknown[] = [
      null,
      undefined,
      42,
      'custody',
      [],
      [good],
      { format: CUSTODY_FORMAT },
      { ...good, station: null, clipIds: 'all', entries: null, links: 7, checkpoints: {} },
      { ...good, station: { id: 5, keys: [] }, clipIds: [1, 1, -3, 'x', null] },
      {
        ...good,
        entries: [null, 5, 'x', [], { seq: '1' }, { ...good.entries[0], actor: 17, details: [] }],
      },
      { ...good, entries: good.entries.map((e) => ({ ...e, seq: String(e.seq) })) },
      { ...good, entries: [{ ...good.entries[0], details: circular }] },
      { ...good, entries: [{ ...good.entries[0], details: { deep } }] },
      { ...good, entries: [{ ...good.entries[0], details: { n: 10n } }] },
      { ...good, links: new Array(200_000).fill(0) },
      {
        ...good,
        links: Array.from({ length: 200_000 }, (_, i) => ({ seq: i + 1, prevHash: 'x', hash: 1 })),
      },
      { ...good, entries: new Array(200_000).fill(good.entries[0]) },
      { ...good, checkpoints: [null, 1, 'x', { checkpoint: null }, { checkpoint: { type: 5 } }] },
      { ...good, checkpoints: [{ checkpoint: circular, signatures: {} }] },
      { ...good, checkpoints: new Array(100_000).fill(good.checkpoints[0]) },
      {
        ...good,
        checkpoints: Array.from({ length: 100_000 }, (_, i) => ({
          ...good.checkpoints[0],
          signatures: { sm2: 'AAAA', ed25519: String(i) },
        })),
      },
      { ...good, span: { fromSeq: 1, throughSeq: Number.MAX_SAFE_INTEGER } },
      { ...good, uncovered: 'none' },
    ];
    for (const [i, doc] of hostile.entries()) {
      const started = Date.now();
      let result: ReturnType<typeof checkCustodyDocument> | undefined;
      expect(() => {
        result = checkCustodyDocument(doc, keys);
      }, `hostile[${i}]`).not.toThrow();
      expect(result!.ok, `hostile[${i}]`).toBe(false);
      expect(result!.problems.length, `hostile[${i}]`).toBeGreaterThan(0);
      expect(result!.problems.length, `hostile[${i}]`).toBeLessThanOrEqual(51);
      expect(result!.detail, `hostile[${i}]`).toMatch(/problem/);
      expect(Date.now() - started, `hostile[${i}] took too long`).toBeLessThan(20_000);
    }
    // And the good one still passes: the hostile ones failed for what they are.
    expect(checkCustodyDocument(good, keys).ok).toBe(true);
  });
});
