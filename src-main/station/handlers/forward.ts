import { OUTBOX_FAILURES_SHOWN, type OutboxFailure } from '../../contract';
import { mayView, type Viewer } from '../../domain';
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
  | 'forward.clip'
  | 'forward.failures';

/**
 * Central-storage targets and the forwarding queue (D-24H). Custodians manage them; supervisors
 * read them; a clip's way to each target is shown to whoever may see the clip.
 */
export function forwardHandlers(services: StationServices): HandlersOf<ForwardMethod> {
  const { forwardTargets: targets, forwarding, clips, catalogue } = services;
  /**
   * A failure as a viewer may read it (D-SUPERVISION, D-CONFIDENTIAL): its object key and the
   * server's words name the archive path (recorder serial, file name), so for a clip the viewer
   * may not see they are withheld, as the integrity sweep's findings are; the clip id, the code
   * and the attempts stay.
   */
  const failureFor = (viewer: Viewer, failure: OutboxFailure): OutboxFailure => {
    const confidentiality = catalogue.labels.confidentialityOf(failure.clipId);
    if (mayView(viewer, { officerBadge: null, confidentiality })) return failure;
    return { ...failure, objectKey: null, message: null, withheld: 'D-CONFIDENTIAL' };
  };
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
    'forward.failures': (params, context) => {
      const viewer = requireCaller(context).user;
      const failures = targets.failures(params.name, params.limit ?? OUTBOX_FAILURES_SHOWN);
      return { failures: failures.map((failure) => failureFor(viewer, failure)) };
    },
  };
}
