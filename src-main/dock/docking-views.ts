import type { Catalogue } from '../catalogue/catalogue';
import { findingView, type DockingRecord } from '../catalogue/dockings';
import type { Docking, DockingPhase } from '../contract';
import type { DockingProgress } from '../ingest';

/** Findings sent with a docking; the rest are counted (`findingsTotal`), never dropped. */
const FINDINGS_SENT = 100;

/** A copy is proven once read back; while every clip in flight is being read back, say so. */
function livePhase(live: DockingProgress): DockingPhase {
  if (live.phase === 'copying' && live.clips.length > 0) {
    if (live.clips.every((clip) => clip.phase === 'verifying')) return 'verifying';
  }
  return live.phase;
}

/** Docking rows as the Dock screen shows them: names looked up, live figures while running. */
export class DockingViews {
  private readonly dockings: Catalogue['dockings'];

  constructor(private readonly catalogue: Catalogue) {
    this.dockings = catalogue.dockings;
  }

  view(record: DockingRecord, live?: DockingProgress): Docking {
    const id = record.id;
    const status = record.status;
    const finished = status !== 'ingesting';
    const bytesDone = live === undefined ? this.dockings.bytesDone(id) : live.bytes;
    const officer =
      record.officerBadge === null ? undefined : this.catalogue.users.get(record.officerBadge);
    return {
      id,
      recorderSerial: record.recorderSerial,
      profileId: this.catalogue.recorders.get(record.recorderSerial)?.profileId ?? '',
      officerBadge: record.officerBadge,
      officerName: officer?.name ?? null,
      identifiedBy: record.identifiedBy,
      identifiedAt: record.identifiedAt,
      mountpoint: record.mountpoint,
      startedAt: record.startedAt,
      finishedAt: record.finishedAt,
      // A row still "ingesting" that the engine does not run is being started or settled now.
      phase: live !== undefined ? livePhase(live) : status === 'ingesting' ? 'planning' : status,
      clipsPlanned: live?.clipsPlanned ?? record.clipsPlanned,
      clipsDone: live?.clipsDone ?? this.dockings.clipsDone(id),
      progress:
        live !== undefined
          ? { bytes: live.bytes, total: live.total, rate: live.rate, eta: live.eta }
          : {
              bytes: bytesDone,
              total: Math.max(record.bytesPlanned, bytesDone),
              rate: 0,
              eta: record.status === 'complete' ? 0 : null,
            },
      clipsInFlight: (live?.clips ?? []).map((clip) => ({
        originalPath: clip.originalPath,
        phase: clip.phase,
        bytes: clip.bytes,
        total: clip.total,
        rate: clip.rate,
        eta: clip.eta,
      })),
      clockOffsetMs: record.clockOffsetMs,
      clockOffsetSource: record.clockOffsetSource,
      clockSetAt: record.clockSetAt,
      lateCustodyClips: this.dockings.countFindings(id, 'late-custody'),
      findings: this.dockings.findings(id, FINDINGS_SENT).map(findingView),
      findingsTotal: this.dockings.countFindings(id),
      thumbnails: this.dockings.thumbnailsMade(id),
      safeToUndock: finished && (live?.safeToUndock ?? record.safeToUndock),
      error: live?.error?.message ?? record.error?.message ?? null,
    };
  }

  get(id: number, live?: DockingProgress): Docking | undefined {
    const record = this.dockings.get(id);
    return record && this.view(record, live);
  }

  /** The dockings started since `since` plus any still running, newest first. */
  recent(since: string, running: readonly DockingProgress[], limit = 50): Docking[] {
    const live = new Map(running.map((p) => [p.dockingId, p]));
    const records = this.dockings.listSince(since, limit);
    for (const id of live.keys()) {
      if (records.some((r) => r.id === id)) continue;
      const record = this.dockings.get(id);
      if (record) records.unshift(record);
    }
    return records.map((record) => this.view(record, live.get(record.id)));
  }
}
