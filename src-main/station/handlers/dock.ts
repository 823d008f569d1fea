import type { StationServices } from '../station-services';
import { dockStatusFor } from '../viewer-views';
import { requireCaller, type HandlersOf } from './handler-types';

/** The dock: what is plugged in, the dockings, the officer at the dock, "Done". */
export function dockHandlers(
  services: StationServices,
): HandlersOf<'dock.status' | 'dock.identify' | 'dock.reattribute' | 'dock.finish'> {
  const { dock, finishAtDock } = services;
  return {
    // D-NO-LEAK: another officer's docking is a busy bay, as in the events that update it.
    'dock.status': (_params, context) =>
      dockStatusFor(
        requireCaller(context).user,
        dock.runtime?.service.status() ?? { volumes: [], dockings: [] },
        services.catalogue,
      ),
    // D-WHO-RECORDS: the session's own officer, never a badge the input names.
    'dock.identify': async (params, context) => ({
      docking: await dock
        .require()
        .officer.confirmWithPin(params.dockingId, requireCaller(context), params.pin, params.badge),
    }),
    'dock.reattribute': (params, context) => {
      const { user } = requireCaller(context);
      return {
        docking: dock
          .require()
          .officer.reattribute(params.dockingId, params.badge, params.reason, user),
      };
    },
    'dock.finish': (params, context) =>
      finishAtDock.finishDocking(params.dockingId, params.deferReason, requireCaller(context).user),
  };
}
