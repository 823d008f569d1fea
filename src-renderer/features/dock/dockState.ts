import type { DockedVolume, Docking, DockingPhase } from '../../../src-main/contract';

/**
 * What the officer must understand from a docking at a glance:
 * `working`: the station is reading the recorder: do not pull it out;
 * `safe`: every clip is proven (and cleared, by policy): the recorder may be pulled out;
 * `incomplete`: the station stopped without saying it is safe (someone must look);
 * `interrupted`: the recorder went away mid-way: dock it again to resume;
 * `failed`: the docking stopped with an error.
 */
export type DisplayState = 'working' | 'safe' | 'incomplete' | 'interrupted' | 'failed';

export function displayState(
  docking: Pick<Docking, 'phase' | 'safeToUndock' | 'error'>,
): DisplayState {
  if (docking.phase === 'failed') return 'failed';
  if (docking.safeToUndock) return 'safe';
  if (docking.phase === 'interrupted') return 'interrupted';
  if (docking.error !== null) return 'failed';
  if (docking.phase === 'complete') return 'incomplete';
  return 'working';
}

/** Phases with a byte count worth a bar; before them the amount of work is not known yet. */
export function phaseHasProgress(phase: DockingPhase): boolean {
  return phase === 'copying' || phase === 'verifying' || phase === 'clearing';
}

const PHASE_RANK: Record<DockingPhase, number> = {
  identifying: 0,
  planning: 1,
  copying: 2,
  verifying: 3,
  clearing: 4,
  complete: 5,
  interrupted: 5,
  failed: 5,
};

/** True when `next` is not behind `current` (phase, then clips, then bytes). */
export function isNotBehind(current: Docking, next: Docking): boolean {
  const phase = PHASE_RANK[next.phase] - PHASE_RANK[current.phase];
  if (phase !== 0) return phase > 0;
  if (next.clipsDone !== current.clipsDone) return next.clipsDone > current.clipsDone;
  return next.progress.bytes >= current.progress.bytes;
}

/** What the Dock screen shows: what is plugged in, and the dockings it knows of. */
export interface DockSnapshot {
  volumes: DockedVolume[];
  /** By id. */
  dockings: ReadonlyMap<number, Docking>;
}

export const EMPTY_SNAPSHOT: DockSnapshot = { volumes: [], dockings: new Map() };

export function fromStatus(status: { volumes: DockedVolume[]; dockings: Docking[] }): DockSnapshot {
  return { volumes: status.volumes, dockings: new Map(status.dockings.map((d) => [d.id, d])) };
}

export function withVolumes(snapshot: DockSnapshot, volumes: DockedVolume[]): DockSnapshot {
  return { ...snapshot, volumes };
}

/**
 * A docking update. `onlyForward` is for updates that may be older than the snapshot (they
 * arrived while it was being fetched): those never move a docking backwards.
 */
export function withDocking(
  snapshot: DockSnapshot,
  docking: Docking,
  onlyForward = false,
): DockSnapshot {
  const current = snapshot.dockings.get(docking.id);
  if (onlyForward && current !== undefined && !isNotBehind(current, docking)) return snapshot;
  const dockings = new Map(snapshot.dockings);
  dockings.set(docking.id, docking);
  return { ...snapshot, dockings };
}

const TERMINAL: ReadonlySet<DockingPhase> = new Set(['complete', 'interrupted', 'failed']);

/**
 * The docking under way at a mountpoint, for a volume whose docking id has not been announced
 * yet (its first docking update can come before the volume list that names it).
 */
function openDockingAt(snapshot: DockSnapshot, mountpoint: string): Docking | null {
  let found: Docking | null = null;
  for (const docking of snapshot.dockings.values()) {
    if (docking.mountpoint !== mountpoint || TERMINAL.has(docking.phase)) continue;
    if (found === null || docking.id > found.id) found = docking;
  }
  return found;
}

/** A recorder on the Dock screen: plugged in now, or a docking whose recorder has gone. */
export interface DockCard {
  key: string;
  volume: DockedVolume | null;
  docking: Docking | null;
}

/**
 * The cards, in the order the officer expects: recorders plugged in now (in the station's order),
 * then unregistered look-alikes, then volumes held for differing from the recorder they name
 * (D-WHO-RECORDS), then pool recorders nobody has confirmed yet (the officer who recorded on one
 * confirms it, D-WHO-RECORDS), then bays busy with other officers' recorders (D-NO-LEAK: the
 * station says neither whose nor which, nor its docking); ignored volumes are not cards. A pool
 * recorder whose docking has become this viewer's since (they confirmed it) is their recorder's
 * card. Dockings whose recorder was pulled out come back separately in `earlier`, newest first.
 */
export function dockCards(snapshot: DockSnapshot): {
  docked: DockCard[];
  unregistered: DockedVolume[];
  /** Volumes held (or refused) for differing from their recorder's device (D-WHO-RECORDS). */
  held: DockedVolume[];
  /** Pool recorders (issued to nobody) whose docking no officer has confirmed yet. */
  unclaimed: DockedVolume[];
  busy: DockedVolume[];
  ignored: DockedVolume[];
  earlier: Docking[];
} {
  const docked: DockCard[] = [];
  const unregistered: DockedVolume[] = [];
  const held: DockedVolume[] = [];
  const unclaimed: DockedVolume[] = [];
  const busy: DockedVolume[] = [];
  const ignored: DockedVolume[] = [];
  const shown = new Set<number>();
  for (const volume of snapshot.volumes) {
    if (volume.state === 'unregistered') unregistered.push(volume);
    else if (volume.state === 'held' || volume.state === 'refused') held.push(volume);
    else if (volume.state === 'ignored') ignored.push(volume);
    else if (volume.state === 'busy') busy.push(volume);
    else if (
      volume.state === 'unclaimed' &&
      (volume.dockingId === null || !snapshot.dockings.has(volume.dockingId))
    ) {
      unclaimed.push(volume);
    } else {
      const docking =
        volume.dockingId === null
          ? openDockingAt(snapshot, volume.mountpoint)
          : (snapshot.dockings.get(volume.dockingId) ?? null);
      if (docking !== null) shown.add(docking.id);
      docked.push({ key: `volume:${volume.device}:${volume.mountpoint}`, volume, docking });
    }
  }
  const earlier = [...snapshot.dockings.values()]
    .filter((d) => !shown.has(d.id))
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id - a.id);
  return { docked, unregistered, held, unclaimed, busy, ignored, earlier };
}

/** The docking whose clips are listed when the officer has not chosen one. */
export function defaultSelection(snapshot: DockSnapshot): number | null {
  const { docked, earlier } = dockCards(snapshot);
  const current = docked.find((card) => card.docking !== null)?.docking;
  return current?.id ?? earlier[0]?.id ?? null;
}
