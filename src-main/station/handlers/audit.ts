import type { StationServices } from '../station-services';
import { requireCaller, type HandlersOf } from './handler-types';

/** The audit log, as each role may read it; its check; the keys its checkpoints are signed with. */
export function auditHandlers(
  services: StationServices,
): HandlersOf<'audit.list' | 'audit.verify' | 'audit.keys'> {
  const { audit, checkpoints } = services;
  return {
    'audit.list': (params, context) => audit.listFor(requireCaller(context).user, params),
    'audit.verify': () => audit.verify(),
    'audit.keys': () => checkpoints.view(),
  };
}
