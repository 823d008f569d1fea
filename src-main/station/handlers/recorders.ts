import { lookalikeView } from '../../dock';
import { lookalikeFor } from '../../domain';
import type { StationServices } from '../station-services';
import { requireCaller, type HandlersOf } from './handler-types';

type RecorderMethod =
  | 'recorders.profiles'
  | 'recorders.list'
  | 'recorders.register'
  | 'recorders.retire'
  | 'recorders.lookalikes'
  | 'recorders.confirmLookalike'
  | 'recorders.refuseLookalike';

/** Registered recorders (D-CUSTODIAN, D-NO-LEAK) and the look-alikes held (D-WHO-RECORDS). */
export function recorderHandlers(services: StationServices): HandlersOf<RecorderMethod> {
  const { recorders, dock } = services;
  const docked = () => dock.runtime?.service.lookalikesDocked() ?? new Set<number>();
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
    // D-NO-LEAK: the facts a recorder is bound to are for the custodians who decide (lookalikeFor).
    'recorders.lookalikes': (_params, context) => {
      const viewer = requireCaller(context).user;
      return {
        lookalikes: recorders.lookalikes(docked()).map((one) => lookalikeFor(viewer, one)),
      };
    },
    'recorders.confirmLookalike': (params, context) => {
      const record = recorders.confirmLookalike(
        params.id,
        params.reason,
        requireCaller(context).user.badge,
      );
      // Docked now? It is ingested, as the recorder whose facts it now has.
      const isDocked = docked().has(record.id);
      dock.runtime?.service.lookalikeDecided(record);
      return { lookalike: lookalikeView(record, isDocked) };
    },
    'recorders.refuseLookalike': (params, context) => {
      const record = recorders.refuseLookalike(
        params.id,
        params.reason,
        requireCaller(context).user.badge,
      );
      dock.runtime?.service.lookalikeDecided(record);
      return { lookalike: lookalikeView(record, docked().has(record.id)) };
    },
  };
}
