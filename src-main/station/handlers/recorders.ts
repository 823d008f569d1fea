import type { StationServices } from '../station-services';
import { requireCaller, type HandlersOf } from './handler-types';

type RecorderMethod =
  'recorders.profiles' | 'recorders.list' | 'recorders.register' | 'recorders.retire';

/** Registered recorders (D-CUSTODIAN, D-NO-LEAK). */
export function recorderHandlers(services: StationServices): HandlersOf<RecorderMethod> {
  const { recorders, dock } = services;
  return {
    'recorders.profiles': () => ({ profiles: recorders.profileSummaries() }),
    'recorders.list': () => ({ recorders: recorders.list() }),
    'recorders.register': (params, context) => {
      const { mountpoint, ...registration } = params;
      const recorder = recorders.register(registration, requireCaller(context).user.badge);
      // Docked already? Its ingest starts now.
      dock.runtime?.service.recorderRegistered(recorder.serial, mountpoint);
      return { recorder };
    },
    'recorders.retire': (params, context) => ({
      recorder: recorders.retire(params.serial, requireCaller(context).user.badge),
    }),
  };
}
