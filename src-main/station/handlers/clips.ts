import type { StationServices } from '../station-services';
import { requireCaller, type HandlersOf } from './handler-types';

type ClipMethod =
  | 'clips.list'
  | 'clips.thumbnail'
  | 'clips.search'
  | 'clips.get'
  | 'clips.label'
  | 'clips.custodyException'
  | 'clips.play';

/** Clips, their labels and their playback, as each viewer may see them. */
export function clipHandlers(services: StationServices): HandlersOf<ClipMethod> {
  const { clips, labels, custodyExceptions } = services;
  return {
    'clips.list': (params, context) => clips.list(params, requireCaller(context).user),
    'clips.thumbnail': (params, context) => clips.thumbnail(params.id, requireCaller(context)),
    'clips.search': (params, context) => clips.search(params, requireCaller(context).user),
    'clips.get': (params, context) => clips.get(params.id, requireCaller(context).user),
    'clips.label': (params, context) =>
      labels.label(params.target, params.set, requireCaller(context).user),
    'clips.custodyException': (params, context) => ({
      clips: custodyExceptions.recordCustodyException(
        params.clipIds,
        params.exception,
        requireCaller(context).user,
      ),
    }),
    // D-NO-LEAK: one viewing, for the page that asked; it ends when that page's connection does.
    'clips.play': (params, context) => clips.play(params.id, requireCaller(context), context.page),
  };
}
