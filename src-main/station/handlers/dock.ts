import type { StationServices } from '../station-services';
import { requireCaller, type HandlersOf } from './handler-types';

/** The dock: what is plugged in, the dockings, the officer at the dock, "Done". */
export function dockHandlers(
  services: StationServices,
): HandlersOf<'dock.status' | 'dock.identify' | 'dock.reattribute' | 'dock.finish'> {
  const { dock, finishAtDock } = services;
  return {
    'dock.status': () => dock.runtime?.service.status() ?? { volumes: [], dockings: [] },
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
