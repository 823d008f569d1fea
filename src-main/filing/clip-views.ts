import type { CaseReads, CaseRecord } from '../catalogue/cases';
import type { ClipRecord } from '../catalogue/clips';
import type { CustodyExceptionRecord, LabelReads, LabelRecord } from '../catalogue/labels';
import type { Clip, FiledClip, Label, OptionalLabelField, UnitPolicy } from '../contract';
import {
  applyClockOffset,
  isLateCustody,
  labelCompleteness,
  mayPlay,
  retentionOf,
  seesPersonalData,
  toEpochMs,
  type ClipLabel,
  type Viewer,
  type ClockOffset,
} from '../domain';

/** What a clip's label is measured against: D-LABEL's production facts, the unit's fields. */
export interface FilingFacts {
  /** The recorder's kind (D-LABEL's production method), by recorder serial. */
  productionMethod: (recorderSerial: string) => string | null;
  requiredFields: readonly OptionalLabelField[];
}

export function asClipLabel(label: LabelRecord | undefined | null): ClipLabel | null {
  return label ? { ...label } : null;
}

/** D-LABEL: whether a clip counts as filed, and what it still lacks. */
export function completenessOf(
  clip: Pick<ClipRecord, 'recorderSerial' | 'recordedStart' | 'recordedEnd' | 'officerBadge'>,
  label: LabelRecord | null | undefined,
  facts: FilingFacts,
) {
  return labelCompleteness(
    asClipLabel(label),
    {
      productionMethod: facts.productionMethod(clip.recorderSerial),
      // A clip whose start the recorder did not write is dated by its end (the file's time).
      productionTime: clip.recordedStart ?? clip.recordedEnd,
      producer: clip.officerBadge,
    },
    facts.requiredFields,
  );
}

/**
 * A label as the viewer may see it: the parties' ID numbers are personal data, for the recording
 * officer and custodians only.
 */
export function labelView(label: LabelRecord, viewer: Viewer, clip: ClipRecord): Label {
  const personal = seesPersonalData(viewer, clip);
  return {
    caseNumber: label.caseNumber,
    matter: label.matter,
    kind: label.kind,
    stage: label.stage,
    place: label.place,
    parties: label.parties,
    partyIds: personal ? label.partyIds : [],
    officersPresent: label.officersPresent,
    confidentiality: label.confidentiality,
    notes: label.notes,
    longTerm: label.longTerm,
    updatedBy: label.updatedBy,
    updatedAt: label.updatedAt,
  };
}

export interface FiledClipInput {
  clip: ClipRecord;
  label: LabelRecord | undefined;
  exception: CustodyExceptionRecord | undefined;
  kase: CaseRecord | undefined;
  findings: number;
  lateCustody: boolean;
}

/** A clip with its filing, as the viewer may see it (D-CONFIDENTIAL, D-RETAIN). */
export function filedClipView(
  input: FiledClipInput,
  viewer: Viewer,
  facts: FilingFacts,
  policy: UnitPolicy,
  now: string,
): FiledClip {
  const { clip, label, exception, kase } = input;
  const completeness = completenessOf(clip, label, facts);
  const retention = retentionOf(
    {
      // Dated as D-LABEL dates it: by its end when the recorder wrote no start.
      recordedAt: clip.recordedStart ?? clip.recordedEnd,
      caseNumber: label?.caseNumber ?? null,
      longTerm: label?.longTerm?.reason ?? null,
    },
    kase ? { closedAt: kase.closedAt, kind: kase.kind } : null,
    { dailyYears: policy.retentionDailyYears, caseFileYears: policy.retentionCaseFileYears },
  );
  const dueMs = toEpochMs(retention.dueAt);
  return {
    ...clipView(clip),
    lateCustody: input.lateCustody,
    filing: {
      label: label ? labelView(label, viewer, clip) : null,
      labelled: completeness.labelled,
      missing: completeness.missing,
      productionMethod: facts.productionMethod(clip.recorderSerial),
      custodyException: exception
        ? {
            kind: exception.kind,
            returnedAt: exception.returnedAt,
            note: exception.note,
            recordedBy: exception.recordedBy,
            recordedAt: exception.recordedAt,
          }
        : null,
      retention: { ...retention, due: dueMs !== null && dueMs <= Date.parse(now) },
      findings: input.findings,
      playable: mayPlay(viewer, {
        officerBadge: clip.officerBadge,
        confidentiality: label?.confidentiality ?? 'none',
      }),
    },
  };
}

/** Loads what a page of clips needs to be shown with their filing, in a few queries. */
export function loadFiling(
  clips: readonly ClipRecord[],
  labels: LabelReads,
  cases: CaseReads,
): FiledClipInput[] {
  const ids = clips.map((c) => c.id);
  const byClip = labels.forClips(ids);
  const flags = labels.flags(ids);
  const exceptions = labels.custodyExceptions(ids);
  const caseCache = new Map<string, CaseRecord | undefined>();
  return clips.map((clip) => {
    const label = byClip.get(clip.id);
    let kase: CaseRecord | undefined;
    if (label?.caseNumber) {
      if (!caseCache.has(label.caseNumber)) {
        caseCache.set(label.caseNumber, cases.get(label.caseNumber));
      }
      kase = caseCache.get(label.caseNumber);
    }
    return {
      clip,
      label,
      exception: exceptions.get(clip.id),
      kase,
      findings: flags.get(clip.id)?.findings ?? 0,
      lateCustody: flags.get(clip.id)?.lateCustody ?? false,
    };
  });
}

/** The recorder's clock offset measured at the clip's docking, when there was one. */
export function clockOffsetOf(record: ClipRecord): ClockOffset | null {
  return record.clockOffsetMs === null || record.clockOffsetSource === null
    ? null
    : { offsetMs: record.clockOffsetMs, source: record.clockOffsetSource };
}

/** D-24H on the station's clock: the recorder's end time corrected by its offset at docking. */
export function clipView(record: ClipRecord): Clip {
  const offset = clockOffsetOf(record);
  return {
    id: record.id,
    recorderSerial: record.recorderSerial,
    dockingId: record.dockingId,
    originalPath: record.originalPath,
    size: record.originalSize,
    kind: record.kind,
    sha256: record.sha256,
    sm3: record.sm3,
    status: record.status,
    archivePath: record.archivePath,
    officerBadge: record.officerBadge,
    sequence: record.sequence,
    recordedStart: record.recordedStart,
    recordedStartSource: record.recordedStartSource,
    recordedEnd: record.recordedEnd,
    recordedEndSource: record.recordedEndSource,
    durationMs: record.durationMs,
    width: record.width,
    height: record.height,
    codec: record.codec,
    custodyAt: record.custodyAt,
    lateCustody: isLateCustody({
      recordedEnd: applyClockOffset(record.recordedEnd, offset),
      custodyAt: record.custodyAt,
    }),
    clockOffsetMs: record.clockOffsetMs,
    clockOffsetSource: record.clockOffsetSource,
    hasThumbnail: record.thumbnailPath !== null,
  };
}
