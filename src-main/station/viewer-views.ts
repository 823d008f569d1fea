import type { Catalogue } from '../catalogue/catalogue';
import type { AuditEntry, DockedVolume, Docking, EventName, EventPayload } from '../contract';
import type { AuditLog } from '../custody/audit-log';
import { seesDocking, volumeFor, type Viewer } from '../domain';
import type { EventView } from './event-hub';

/**
 * What the dock and the audit log show each viewer, asked of domain/visibility: the same rules
 * for a method's answer (`dock.status`, `audit.list`) and for the events that update it.
 */

export interface DockStatus {
  volumes: DockedVolume[];
  dockings: Docking[];
}

/** Whose recorder a docked volume is: its docking's officer, else the recorder's assigned one. */
function officerOfVolume(catalogue: Catalogue, volume: DockedVolume): string | null {
  if (volume.dockingId !== null) {
    return catalogue.dockings.get(volume.dockingId)?.officerBadge ?? null;
  }
  if (volume.serial === null) return null;
  return catalogue.recorders.getActive(volume.serial)?.officerBadge ?? null;
}

/** What is docked, as `viewer` may see it: their dockings whole, other officers' as busy bays. */
export function dockStatusFor(
  viewer: Viewer,
  status: DockStatus,
  catalogue: Catalogue,
): DockStatus {
  return {
    volumes: volumesFor(viewer, status.volumes, catalogue),
    dockings: status.dockings.filter((docking) => seesDocking(viewer, () => docking.officerBadge)),
  };
}

function volumesFor(
  viewer: Viewer,
  volumes: readonly DockedVolume[],
  catalogue: Catalogue,
): DockedVolume[] {
  return volumes.map((volume) => volumeFor(viewer, volume, (v) => officerOfVolume(catalogue, v)));
}

/** Each pushed event as its viewer may see it, by the rules of the method that lists the same. */
export function eventViewFor(deps: { audit: AuditLog; catalogue: Catalogue }): EventView {
  return <E extends EventName>(name: E, payload: EventPayload<E>, viewer: Viewer) => {
    switch (name) {
      case 'audit.appended': {
        const { entry } = payload as { entry: AuditEntry };
        return { entry: deps.audit.entryFor(viewer, entry) } as EventPayload<E>;
      }
      case 'dock.volumes': {
        const { volumes } = payload as { volumes: DockedVolume[] };
        return { volumes: volumesFor(viewer, volumes, deps.catalogue) } as EventPayload<E>;
      }
      case 'dock.docking': {
        const { docking } = payload as { docking: Docking };
        return seesDocking(viewer, () => docking.officerBadge) ? payload : null;
      }
      default:
        return payload;
    }
  };
}
