import type { StationServices } from '../station-services';
import { requireCaller, type HandlersOf } from './handler-types';

type ForwardMethod =
  | 'forward.targets.list'
  | 'forward.targets.add'
  | 'forward.targets.test'
  | 'forward.targets.change'
  | 'forward.targets.remove'
  | 'forward.status'
  | 'forward.retry'
  | 'forward.clip';

/**
 * Central-storage targets and the forwarding queue (D-24H). Custodians manage them; supervisors
 * read them; a clip's way to each target is shown to whoever may see the clip.
 */
export function forwardHandlers(services: StationServices): HandlersOf<ForwardMethod> {
  const { forwardTargets: targets, forwarding, clips } = services;
  const changed = <T>(value: T): T => {
    forwarding.wake();
    return value;
  };
  return {
    'forward.targets.list': () => ({ targets: targets.list() }),
    'forward.targets.add': async (params, context) =>
      changed({ target: await targets.add(params, requireCaller(context).user.badge) }),
    'forward.targets.test': (params, context) =>
      targets.test(params.name, requireCaller(context).user.badge, context.signal),
    'forward.targets.change': (params, context) =>
      changed({ target: targets.change(params, requireCaller(context).user.badge) }),
    'forward.targets.remove': (params, context) => {
      targets.remove(params.name, requireCaller(context).user.badge);
      return {};
    },
    'forward.status': () => ({ targets: targets.status() }),
    'forward.retry': (params, context) =>
      changed({
        retried: targets.retry(params.name, params.clipId, requireCaller(context).user.badge),
      }),
    'forward.clip': (params, context) => {
      // Only a clip the caller may see (domain/visibility): the same answer as clips.get.
      clips.get(params.clipId, requireCaller(context).user);
      return { targets: targets.clip(params.clipId) };
    },
  };
}
