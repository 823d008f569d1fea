import type { Caller } from '../auth/auth-service';
import type { Catalogue } from '../catalogue/catalogue';
import type { ClipRecord } from '../catalogue/clips';
import { findingView } from '../catalogue/dockings';
import {
  RpcError,
  type Clip,
  type DeliveryAddress,
  type FiledClip,
  type Finding,
  type MethodParams,
} from '../contract';
import type { AuditLog } from '../custody/audit-log';
import { mediaTypeOf } from '../custody/delivered-bytes';
import type { Delivery } from '../custody/delivery';
import { clipScope, mayPlay, mayView, type GuardedClip, type Viewer } from '../domain';
import { clipView, filedClipView, loadFiling, type FilingFacts } from './clip-views';

export interface ClipAccessDeps {
  catalogue: Catalogue;
  audit: AuditLog;
  delivery: Delivery;
  facts: () => FilingFacts;
  now: () => Date;
}

export interface ClipListQuery {
  recorderSerial?: string | undefined;
  dockingId?: number | undefined;
  since?: string | undefined;
  limit: number;
  offset: number;
}

/**
 * Clips as each viewer may see them (D-NO-LEAK, D-CONFIDENTIAL): the lists, the clips browser, a
 * clip's drawer, its thumbnail and its playback. A clip the viewer may not see answers as if it
 * did not exist: not even its existence leaks.
 */
export class ClipAccess {
  constructor(private readonly deps: ClipAccessDeps) {}

  /** A docking's or recorder's clips in recording order (the Dock screen, `clips list`). */
  list(query: ClipListQuery, viewer: Viewer): { clips: Clip[]; total: number } {
    const scope = clipScope(viewer);
    if (scope === null) return { clips: [], total: 0 };
    const found = this.deps.catalogue.clips.list({ ...query, ...scope });
    return { clips: found.clips.map(clipView), total: found.total };
  }

  /** The clips browser: every filter, within what the viewer may see. */
  search(
    params: MethodParams<'clips.search'>,
    viewer: Viewer,
  ): { total: number; clips: FiledClip[] } {
    const { catalogue } = this.deps;
    const scope = clipScope(viewer);
    if (scope === null) return { total: 0, clips: [] };
    const { officerBadge, ...rest } = params;
    const asked =
      officerBadge === undefined
        ? undefined
        : (catalogue.users.get(officerBadge)?.badge ?? officerBadge);
    const found = catalogue.search.search(
      {
        ...rest,
        officerBadge: scope.officerBadge ?? asked,
        onlyUnconfidential: scope.onlyUnconfidential,
      },
      {
        now: this.deps.now().toISOString(),
        dailyYears: catalogue.settings.get('retentionDailyYears'),
        caseFileYears: catalogue.settings.get('retentionCaseFileYears'),
      },
    );
    return {
      total: found.total,
      clips: this.filed(catalogue.clips.getMany(found.clipIds), viewer),
    };
  }

  /** One clip with its filing and the findings that name it. */
  get(id: number, viewer: Viewer): { clip: FiledClip; findings: Finding[] } {
    const { clip } = this.visible(id, viewer);
    const findings = this.deps.catalogue.dockings.findingsOfClip(clip.id).map(findingView);
    return { clip: this.filed([clip], viewer)[0]!, findings };
  }

  /**
   * Where the UI fetches the clip's thumbnail from, through the station; null when the clip has
   * none (audio, unreadable footage). Asked again when it is fetched, as playback is.
   */
  thumbnail(id: number, caller: Caller): DeliveryAddress | null {
    const { clip } = this.visible(id, caller.user);
    if (clip.thumbnailPath === null) return null;
    return this.deps.delivery.issue(caller, {
      kind: 'thumbnail',
      source: { file: clip.thumbnailPath },
      mime: 'image/jpeg',
      allowed: (holder) => mayView(holder.user, this.guardOf(clip)),
    });
  }

  /**
   * An address the UI plays the clip from, through the station (D-NO-LEAK): one viewing, for the
   * page whose connection `page` stands for (see custody/delivery), audited once here. Asked again
   * at every request of the player: a clip made confidential meanwhile stops playing.
   */
  play(
    id: number,
    caller: Caller,
    page: AbortSignal,
  ): { url: string; mime: string; expiresAt: string } {
    const { clip, guard } = this.visible(id, caller.user);
    if (!mayPlay(caller.user, guard)) {
      throw new RpcError(
        'FORBIDDEN',
        'This clip involves state secrets: only a custodian may play it (D-CONFIDENTIAL).',
      );
    }
    const issued = this.deps.delivery.issueViewing(
      caller,
      {
        kind: 'playback',
        source: { file: clip.archivePath },
        mime: mediaTypeOf(clip.archivePath),
        allowed: (holder) => mayPlay(holder.user, this.guardOf(clip)),
      },
      page,
    );
    this.deps.audit.record({
      actor: caller.user.badge,
      action: 'clip.played',
      subject: `clip:${clip.id}`,
      details: {
        sha256: clip.sha256,
        confidentiality: guard.confidentiality,
        // One viewing: the page that asked must claim it by then (custody/delivery).
        claimBy: issued.expiresAt,
      },
    });
    return issued;
  }

  /** The clip as D-CONFIDENTIAL sees it: who recorded it and how it is marked now. */
  private guardOf(clip: ClipRecord): GuardedClip {
    return {
      officerBadge: clip.officerBadge,
      confidentiality: this.deps.catalogue.labels.confidentialityOf(clip.id),
    };
  }

  /** A clip the viewer may see, with what decided it; one they may not answers as absent. */
  private visible(id: number, viewer: Viewer): { clip: ClipRecord; guard: GuardedClip } {
    const clip = this.deps.catalogue.clips.get(id);
    const guard = clip && this.guardOf(clip);
    if (!clip || !guard || !mayView(viewer, guard)) {
      throw new RpcError('NOT_FOUND', `No clip ${id}.`);
    }
    return { clip, guard };
  }

  private filed(records: readonly ClipRecord[], viewer: Viewer): FiledClip[] {
    const { catalogue } = this.deps;
    const policy = catalogue.settings.policy();
    const now = this.deps.now().toISOString();
    const facts = this.deps.facts();
    return loadFiling(records, catalogue.labels, catalogue.cases).map((input) =>
      filedClipView(input, viewer, facts, policy, now),
    );
  }
}
