import type { StationServices } from '../station-services';
import { requireCaller, type HandlersOf } from './handler-types';

/** The dock: what is plugged in, the dockings, the officer at the dock, "Done". */
export function dockHandlers(
  services: StationServices,
): HandlersOf<'dock.status' | 'dock.identify' | 'dock.finish'> {
  const { dock, finishAtDock } = services;
  return {
    'dock.status': () => dock.runtime?.service.status() ?? { volumes: [], dockings: [] },
    'dock.identify': async (params) => ({
      docking: await dock
        .require()
        .officer.confirmWithPin(params.dockingId, params.badge, params.pin),
    }),
    'dock.finish': (params, context) =>
      finishAtDock.finishDocking(params.dockingId, params.deferReason, requireCaller(context).user),
  };
}
