import type { Catalogue, CatalogueWrite } from '../catalogue/catalogue';
import type { ClipRecord } from '../catalogue/clips';
import type { LabelInput, LabelRecord } from '../catalogue/labels';
import type { AuditLog } from '../custody/audit-log';
import {
  RpcError,
  type Confidentiality,
  type LabelField,
  type LabelPatch,
  type LabelTarget,
  type User,
} from '../contract';
import {
  caseNumberProblem,
  filedAfterCloseProblem,
  mayLabel,
  mayLowerConfidentiality,
  caseRefusal,
  ownLabelTarget,
} from '../domain';
import { completenessOf, type FilingFacts } from './clip-views';

const EMPTY_LABEL: LabelInput = {
  caseNumber: null,
  matter: null,
  kind: null,
  stage: null,
  place: null,
  parties: [],
  partyIds: [],
  officersPresent: [],
  confidentiality: 'none',
  notes: null,
  longTerm: null,
};

const LABEL_KEYS = Object.keys(EMPTY_LABEL) as (keyof LabelInput)[];

/** Only what changed, for the audit chain; ID numbers are personal data and kept masked there. */
function difference(before: LabelInput | null, after: LabelInput) {
  const was: Record<string, unknown> = {};
  const now: Record<string, unknown> = {};
  for (const key of LABEL_KEYS) {
    const a = before ? before[key] : undefined;
    const b = after[key];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    const shown = (value: unknown) =>
      key === 'partyIds' && Array.isArray(value)
        ? value.map((id: string) => (id.length > 8 ? `…${id.slice(-4)}` : '…'))
        : value;
    was[key] = before ? shown(a) : null;
    now[key] = shown(b);
  }
  return { before: was, after: now };
}

/** D-CONFIDENTIAL: how much protection a level asks for (privacy and commercial alike). */
const PROTECTION: Record<Confidentiality, number> = {
  none: 0,
  privacy: 1,
  commercial: 1,
  state: 2,
};

function withoutMeta(label: LabelRecord): LabelInput {
  const { clipId: _c, updatedBy: _b, updatedAt: _a, ...rest } = label;
  return rest;
}

export interface LabelOutcome {
  updated: number;
  labelled: number;
  clips: { id: number; labelled: boolean; missing: LabelField[] }[];
}

export interface LabelServiceDeps {
  catalogue: Catalogue;
  audit: AuditLog;
  facts: () => FilingFacts;
  now: () => Date;
}

/**
 * Filing clips (D-LABEL, D-CONTENT, D-CONFIDENTIAL): officers label their own clips, custodians
 * any; each change is one audit entry with what it was and what it became.
 */
export class LabelService {
  constructor(private readonly deps: LabelServiceDeps) {}

  /** The clips a bulk label applies to, as the caller may touch them. */
  resolveTarget(target: LabelTarget, caller: User): ClipRecord[] {
    const { clips, dockings, users } = this.deps.catalogue;
    let found: ClipRecord[];
    if ('clipIds' in target) {
      const unique = [...new Set(target.clipIds)];
      found = clips.getMany(unique);
      const missing = unique.filter((id) => !found.some((c) => c.id === id));
      // Another officer's clip answers as if it did not exist (D-NO-LEAK).
      const hidden = found.filter((c) => !mayLabel(caller, c));
      const absent = [...missing, ...hidden.map((c) => c.id)];
      if (absent.length > 0) {
        throw new RpcError('NOT_FOUND', `No clip ${absent.slice(0, 10).join(', ')}.`, {
          clipIds: absent,
        });
      }
    } else if ('dockingId' in target) {
      const docking = dockings.get(target.dockingId);
      if (!docking) throw new RpcError('NOT_FOUND', `No docking ${target.dockingId}.`);
      found = clips.list({ dockingId: target.dockingId }).clips;
      found = found.filter((c) => mayLabel(caller, c));
    } else {
      const asked = target.officerBadge ?? ownLabelTarget(caller);
      if (asked !== undefined && !mayLabel(caller, { officerBadge: asked })) {
        throw new RpcError('FORBIDDEN', 'Officers label their own clips only.');
      }
      if (asked === undefined && target.recorderSerial === undefined) {
        throw new RpcError(
          'BAD_REQUEST',
          'Name the officer or the recorder whose clips these are.',
        );
      }
      const badge = asked === undefined ? undefined : (users.get(asked)?.badge ?? asked);
      found = clips.recordedBetween(target.from, target.to, {
        officerBadge: badge,
        recorderSerial: target.recorderSerial,
      });
    }
    if (found.length === 0) throw new RpcError('NOT_FOUND', 'No clips to label there.');
    return found;
  }

  /** Checks a patch against the unit's rules before anything is written. */
  private checkPatch(patch: LabelPatch, caller: User): void {
    const { settings, cases, users } = this.deps.catalogue;
    if (patch.caseNumber !== undefined && patch.caseNumber !== null) {
      const format = settings.get('caseNumberFormat');
      const problem = caseNumberProblem(patch.caseNumber, format);
      if (problem !== null) {
        throw new RpcError('BAD_REQUEST', `${problem}.`, {
          field: 'caseNumber',
          number: patch.caseNumber,
          example: format.example,
        });
      }
      const kase = cases.get(patch.caseNumber);
      const unknown = () =>
        new RpcError(
          'NOT_FOUND',
          `No case ${patch.caseNumber} yet: open it first (an emergency case can be approved afterwards, D-LATE-START).`,
          { field: 'caseNumber', caseNumber: patch.caseNumber },
        );
      if (!kase) throw unknown();
      // Footage goes into a case file through those who handle it (D-NO-LEAK: filing a clip
      // under a case would otherwise open the case to anyone). A case the officer has nothing
      // to do with answers as one that does not exist, as it does on the case pages.
      const refusal = caseRefusal(caller, kase, () => cases.involves(kase.number, caller.badge));
      if (refusal === 'hidden') throw unknown();
      if (refusal === 'forbidden') {
        throw new RpcError(
          'FORBIDDEN',
          `Case ${kase.number} is handled by another officer: they or a custodian file footage under it.`,
          { field: 'caseNumber' },
        );
      }
      if (kase.status === 'archived') {
        throw new RpcError('CONFLICT', `Case ${kase.number} is archived: its file is final.`, {
          field: 'caseNumber',
        });
      }
    }
    for (const badge of patch.officersPresent ?? []) {
      if (!users.get(badge)) {
        throw new RpcError('BAD_REQUEST', `No officer with badge ${badge}.`, {
          field: 'officersPresent',
        });
      }
    }
    if (patch.longTerm?.reason === 'other' && !patch.longTerm.text) {
      throw new RpcError('BAD_REQUEST', 'Say why the footage is kept long-term (D-LONGTERM).', {
        field: 'longTerm',
      });
    }
  }

  label(target: LabelTarget, patch: LabelPatch, caller: User): LabelOutcome {
    const { labels, cases, users } = this.deps.catalogue;
    const { audit } = this.deps;
    return this.deps.catalogue.write((tx) => {
      this.checkPatch(patch, caller);
      const targets = this.resolveTarget(target, caller);
      const facts = this.deps.facts();
      const at = this.deps.now().toISOString();
      const kase = patch.caseNumber ? cases.get(patch.caseNumber) : undefined;
      const outcome: LabelOutcome = { updated: 0, labelled: 0, clips: [] };
      for (const clip of targets) {
        const existing = labels.get(clip.id);
        const before = existing ? withoutMeta(existing) : null;
        const after: LabelInput = { ...(before ?? EMPTY_LABEL) };
        for (const key of LABEL_KEYS) {
          if (patch[key] !== undefined) (after as Record<string, unknown>)[key] = patch[key];
        }
        if (after.caseNumber !== null) after.caseNumber = cases.get(after.caseNumber)!.number;
        if (
          !mayLowerConfidentiality(caller) &&
          PROTECTION[after.confidentiality] < PROTECTION[before?.confidentiality ?? 'none']
        ) {
          throw new RpcError(
            'FORBIDDEN',
            `Clip ${clip.id} is marked ${before!.confidentiality}: only a custodian lowers that (D-CONFIDENTIAL).`,
            { field: 'confidentiality', clipId: clip.id },
          );
        }
        const leaving =
          before?.caseNumber != null && before.caseNumber !== after.caseNumber
            ? cases.get(before.caseNumber)
            : undefined;
        if (leaving?.status === 'archived') {
          throw new RpcError(
            'CONFLICT',
            `Clip ${clip.id} is in the file of archived case ${leaving.number}: it stays there.`,
            { clipId: clip.id },
          );
        }
        // A closed case's file takes footage recorded before the close only (the close is bounded
        // by its footage); read in this transaction, so a close at the same moment is seen.
        const late =
          kase && before?.caseNumber !== after.caseNumber
            ? filedAfterCloseProblem(kase, clip)
            : null;
        if (late !== null) {
          throw new RpcError('CONFLICT', `${late}.`, { clipId: clip.id, field: 'caseNumber' });
        }
        // Footage that leaves a case no longer documents its procedural acts (D-AV-REQUIRED).
        const unlinkedActs = leaving ? tx.cases.unlinkClipFromCase(leaving.number, clip.id) : [];
        // A clip filed under a case is of the case's kind unless the officer says otherwise.
        if (kase && patch.kind === undefined && after.kind === null) after.kind = kase.kind;
        after.officersPresent = after.officersPresent.map((b) => users.get(b)?.badge ?? b);
        const completeness = completenessOf(
          clip,
          { ...after, clipId: clip.id, updatedBy: caller.badge, updatedAt: at },
          facts,
        );
        const change = difference(before, after);
        if (Object.keys(change.after).length > 0 || existing === undefined) {
          tx.labels.save(clip.id, after, completeness.labelled, caller.badge, at);
          audit.append(tx, {
            actor: caller.badge,
            action: 'clip.labelled',
            subject: `clip:${clip.id}`,
            details: {
              ...change,
              labelled: completeness.labelled,
              ...(unlinkedActs.length > 0 ? { unlinkedActs } : {}),
            },
          });
          outcome.updated += 1;
        }
        if (completeness.labelled) outcome.labelled += 1;
        outcome.clips.push({
          id: clip.id,
          labelled: completeness.labelled,
          missing: completeness.missing,
        });
      }
      return outcome;
    });
  }

  /**
   * The unit changed which fields it requires: every clip's "labelled" is decided again (in the
   * caller's transaction), so searches, the report and "Done" at the dock agree with the rule.
   * Answers how many clips changed.
   */
  relabelAll(tx: CatalogueWrite): number {
    const { labels } = this.deps.catalogue;
    const facts = this.deps.facts();
    let changed = 0;
    let after = 0;
    for (;;) {
      const page = labels.labelsWithClips(after, 2000);
      if (page.length === 0) return changed;
      for (const row of page) {
        const { labelled } = completenessOf(row.clip, row.label, facts);
        if (labelled !== row.labelled) {
          tx.labels.setLabelled(row.label.clipId, labelled);
          changed += 1;
        }
      }
      after = page[page.length - 1]!.label.clipId;
    }
  }
}
