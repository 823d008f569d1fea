import type { ClipRecord } from '../catalogue/clips';
import type { MediaKind } from '../contract';
import {
  applyClockOffset,
  continuityFindings,
  isLateCustody,
  type ClockOffset,
  type ContinuityClip,
} from '../domain';
import { finding, type IngestFinding } from './findings';

export interface RuleContext {
  clockOffset: ClockOffset | null;
  now: string;
  gapThresholdSeconds: number;
  overlapToleranceSeconds: number;
  /** The recorder's latest clip of a kind from an earlier docking, to compare across dockings. */
  earlier: (kind: MediaKind) => ClipRecord | undefined;
}

/**
 * The rules a docking is checked against once its clips are archived: D-24H (custody within 24 h
 * of the end of the recording, on the station's clock) and D-CONTINUOUS (sequence gaps and
 * resets, holes and overlaps in the timeline, times in the future), per media kind.
 */
export function dockingRuleFindings(
  clips: readonly ClipRecord[],
  context: RuleContext,
): { finding: IngestFinding; clipId: number | null }[] {
  const out: { finding: IngestFinding; clipId: number | null }[] = [];
  const byKind = new Map<MediaKind, ContinuityClip[]>();
  for (const clip of clips) {
    const recordedEnd = applyClockOffset(clip.recordedEnd, context.clockOffset);
    if (isLateCustody({ recordedEnd, custodyAt: clip.custodyAt })) {
      out.push({
        finding: finding(
          'late-custody',
          `taken into custody more than 24 h after the recording ended (${recordedEnd}) (D-24H)`,
          clip.originalPath,
          { recordedEnd, custodyAt: clip.custodyAt },
        ),
        clipId: clip.id,
      });
    }
    const list = byKind.get(clip.kind) ?? [];
    list.push(continuityClip(clip, false));
    byKind.set(clip.kind, list);
  }
  const all: ContinuityClip[] = [];
  for (const [kind, list] of byKind) {
    const before = context.earlier(kind);
    if (before) all.push(continuityClip(before, true));
    all.push(...list);
  }
  if (all.length === 0) return out;
  const found = continuityFindings(all, {
    now: context.now,
    gapThresholdSeconds: context.gapThresholdSeconds,
    overlapToleranceSeconds: context.overlapToleranceSeconds,
  });
  for (const item of found) {
    const clip = clips.find((c) => c.originalPath === item.path);
    out.push({
      finding: {
        code: item.code,
        message: `${item.message} (D-CONTINUOUS)`,
        path: item.path,
        details: item.details,
      },
      clipId: clip?.id ?? null,
    });
  }
  return out;
}

function continuityClip(clip: ClipRecord, earlierDocking: boolean): ContinuityClip {
  return {
    path: clip.originalPath,
    sequence: clip.sequence,
    recordedStart: clip.recordedStart,
    recordedEnd: clip.recordedEnd,
    series: clip.kind,
    earlierDocking,
  };
}
