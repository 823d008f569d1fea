import type { Catalogue, CatalogueWrite } from '../catalogue/catalogue';
import type { DiscBurnRecord, DiscClipFacts, DiscSetRecord } from '../catalogue/discs';
import { RpcError, type DiscRecord, type DiscSelection, type DiscSet } from '../contract';
import type { AuditLog } from '../custody/audit-log';
import {
  discMediumName,
  discVolumeId,
  evidencePaths,
  parseDiscMedium,
  planDiscs,
  seesDiscContents,
  type DiscClip,
  type TooLargeClip,
  type Viewer,
} from '../domain';

export interface DiscSetsDeps {
  catalogue: Catalogue;
  audit: AuditLog;
  now: () => Date;
}

export interface PlanInput {
  selection: DiscSelection;
  medium: string;
  copies?: number;
  par2Percent?: number;
}

export type PlanOutcome = { ok: true; set: DiscSet } | { ok: false; tooLarge: TooLargeClip[] };

/** The name a clip's original keeps on a disc: the recorder's own file name. */
function fileNameOf(facts: DiscClipFacts): string {
  return facts.originalPath.split('/').at(-1) ?? `clip-${facts.id}`;
}

/** The clip as a plan sees it, its date the station's calendar day of its recording. */
export function discClipOf(facts: DiscClipFacts): DiscClip {
  return {
    id: facts.id,
    size: facts.size,
    caseNumber: facts.caseNumber,
    officerBadge: facts.officerBadge,
    recordedAt: localTime(facts.recordedStart ?? facts.custodyAt),
    fileName: fileNameOf(facts),
  };
}

/** An ISO time on the station's own clock, with its UTC offset (`2026-12-07T09:30:00+08:00`). */
export function localTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const offset = -at.getTimezoneOffset();
  const local = new Date(at.getTime() + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset >= 0 ? '+' : '-';
  const hours = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
  const minutes = String(Math.abs(offset) % 60).padStart(2, '0');
  return `${local}${sign}${hours}:${minutes}`;
}

/** `S20261207-001`: the day's sets counted from 1 (the station's calendar day). */
function nextTag(tx: CatalogueWrite, now: Date): string {
  const day = localTime(now.toISOString()).slice(0, 10).replace(/-/g, '');
  const prefix = `S${day}-`;
  return `${prefix}${String(tx.discs.setsTagged(prefix) + 1).padStart(3, '0')}`;
}

/**
 * Disc sets (D-LONGTERM): planned from a case, a selection or every long-term clip not yet on a
 * verified disc, packed whole-file by case, officer and time, and recorded before anything is
 * burned. The check of what is chosen and the set's record happen in one transaction.
 */
export class DiscSets {
  constructor(private readonly deps: DiscSetsDeps) {}

  plan(input: PlanInput, actor: string): PlanOutcome {
    const medium = parseDiscMedium(input.medium);
    if (medium === null) {
      throw new RpcError(
        'BAD_REQUEST',
        `unknown medium ${JSON.stringify(input.medium)}: cd, dvd, dvd-dl, bd-25, bd-50, bd-100 or a byte count`,
      );
    }
    const { catalogue, audit, now } = this.deps;
    return catalogue.write((tx): PlanOutcome => {
      const ids = this.chosen(tx, input.selection);
      const facts = tx.discs.clipFacts(ids);
      if (facts.length !== ids.length) {
        const known = new Set(facts.map((f) => f.id));
        const missing = ids.filter((id) => !known.has(id));
        throw new RpcError('NOT_FOUND', `no clip ${missing.slice(0, 10).join(', ')}`, {
          clipIds: missing,
        });
      }
      let outcome;
      try {
        outcome = planDiscs(facts.map(discClipOf), {
          medium,
          copies: input.copies,
          par2Percent: input.par2Percent,
        });
      } catch (error) {
        if (error instanceof RangeError) throw new RpcError('BAD_REQUEST', error.message);
        throw error;
      }
      if (!outcome.ok) return { ok: false, tooLarge: outcome.tooLarge };
      const plan = outcome.plan;
      const at = now().toISOString();
      const cases = new Set(facts.map((f) => f.caseNumber));
      const caseNumber = cases.size === 1 ? ([...cases][0] ?? null) : null;
      const tag = nextTag(tx, now());
      const placed = plan.discs.flatMap((disc) =>
        [...evidencePaths(disc)].map(([clipId, path]) => ({ n: disc.n, clipId, path })),
      );
      const set = tx.discs.addSet(
        {
          tag,
          selection: input.selection,
          caseNumber,
          medium: medium.id,
          mediumBytes: medium.bytes,
          discs: plan.discs.length,
          copies: plan.copies,
          par2Percent: plan.par2Percent,
          plannedBy: actor,
          plannedAt: at,
        },
        placed,
      );
      audit.append(tx, {
        actor,
        action: 'disc.set.planned',
        subject: `discset:${tag}`,
        details: {
          selection: input.selection,
          medium: discMediumName(medium),
          discs: plan.discs.length,
          copies: plan.copies,
          par2Percent: plan.par2Percent,
          clips: facts.length,
          bytes: facts.reduce((sum, f) => sum + f.size, 0),
        },
      });
      return { ok: true, set: this.view(set) };
    });
  }

  /** The clips a selection names, checked to be something. */
  private chosen(tx: CatalogueWrite, selection: DiscSelection): number[] {
    switch (selection.kind) {
      case 'case': {
        if (tx.cases.get(selection.caseNumber) === undefined) {
          throw new RpcError('NOT_FOUND', `no case ${selection.caseNumber}`);
        }
        const ids = tx.discs.clipIdsOfCase(selection.caseNumber.trim());
        if (ids.length === 0) {
          throw new RpcError('BAD_REQUEST', `case ${selection.caseNumber} has no footage filed`);
        }
        return ids;
      }
      case 'clips':
        return [...new Set(selection.clipIds)].sort((a, b) => a - b);
      case 'long-term-pending': {
        const ids = tx.discs.pendingLongTerm().map((c) => c.clipId);
        if (ids.length === 0) {
          throw new RpcError('BAD_REQUEST', 'every long-term clip is already on a verified disc');
        }
        return ids;
      }
    }
  }

  /** Whether `viewer` may read what checks found in these clips' originals (D-CONFIDENTIAL). */
  seesContents(viewer: Viewer, clipIds: readonly number[]): boolean {
    const { labels } = this.deps.catalogue;
    return seesDiscContents(
      viewer,
      clipIds.map((id) => labels.confidentialityOf(id)),
    );
  }

  get(setId: number, viewer?: Viewer): DiscSet {
    const set = this.deps.catalogue.discs.set(setId);
    if (set === undefined) throw new RpcError('NOT_FOUND', `no disc set ${setId}`);
    return this.view(set, viewer);
  }

  list(limit: number, viewer?: Viewer): DiscSet[] {
    return this.deps.catalogue.discs.sets(limit).map((set) => this.view(set, viewer));
  }

  /** A set with each disc's contents and its copies' latest burns. */
  view(set: DiscSetRecord, viewer?: Viewer): DiscSet {
    const { catalogue } = this.deps;
    const placed = catalogue.discs.setClips(set.id);
    const facts = new Map(
      catalogue.discs.clipFacts(placed.map((p) => p.clipId)).map((f) => [f.id, f]),
    );
    const burns = catalogue.discs.burnsOfSet(set.id);
    const discs = Array.from({ length: set.discs }, (_, i) => {
      const n = i + 1;
      const clips = placed.filter((p) => p.n === n).map((p) => facts.get(p.clipId)!);
      const bytes = clips.reduce((sum, f) => sum + f.size, 0);
      const copies = Array.from({ length: set.copies }, (_, k) => {
        const latest = burns.filter((b) => b.n === n && b.copy === k + 1).at(-1);
        return latest === undefined ? null : this.record(latest, set, viewer);
      });
      return {
        n,
        clips: clips.length,
        bytes,
        cost: bytes,
        caseNumbers: caseNumbersOf(clips),
        volumeIds: Array.from({ length: set.copies }, (_, k) => volumeIdOf(set, n, k + 1)),
        copies,
      };
    });
    return {
      id: set.id,
      tag: set.tag,
      selection: set.selection,
      caseNumber: set.caseNumber,
      medium: set.medium,
      mediumBytes: set.mediumBytes,
      copies: set.copies,
      par2Percent: set.par2Percent,
      plannedBy: set.plannedBy,
      plannedAt: set.plannedAt,
      stagedAt: set.stagedAt,
      discs,
      complete: discs.every((d) => d.copies.every((c) => c?.state === 'verified')),
    };
  }

  /** One burn as the register shows it (to `viewer`, where one is named: see seesContents). */
  record(
    burn: DiscBurnRecord,
    set = this.deps.catalogue.discs.set(burn.setId)!,
    viewer?: Viewer,
  ): DiscRecord {
    const { catalogue } = this.deps;
    const ids = catalogue.discs.clipsOnDisc(set.id, burn.n).map((p) => p.clipId);
    const clips = catalogue.discs.clipFacts(ids);
    const seen = viewer === undefined || this.seesContents(viewer, ids);
    return {
      ...burn,
      problem: seen || burn.problem === null ? burn.problem : WITHHELD,
      setTag: set.tag,
      of: set.discs,
      medium: set.medium,
      clips: clips.length,
      bytes: clips.reduce((sum, f) => sum + f.size, 0),
      caseNumbers: caseNumbersOf(clips),
    };
  }
}

/** What a viewer who may not see every clip on a disc reads instead of its problems' words. */
export const WITHHELD = 'withheld: the disc holds footage you may not see (D-CONFIDENTIAL)';

function caseNumbersOf(clips: readonly DiscClipFacts[]): string[] {
  return [...new Set(clips.map((c) => c.caseNumber).filter((c): c is string => c !== null))].sort();
}

/** The volume id of disc n, copy k of a set. */
export function volumeIdOf(
  set: Pick<DiscSetRecord, 'caseNumber' | 'tag' | 'discs'>,
  n: number,
  copy: number,
): string {
  return discVolumeId({ caseNumber: set.caseNumber, setTag: set.tag }, n, set.discs, copy);
}
