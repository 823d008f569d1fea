import type { StationServices } from '../station-services';
import { requireCaller, type HandlersOf } from './handler-types';

/** The audit log, as each role may read it. */
export function auditHandlers(
  services: StationServices,
): HandlersOf<'audit.list' | 'audit.verify'> {
  const { audit } = services;
  return {
    'audit.list': (params, context) => audit.listFor(requireCaller(context).user, params),
    'audit.verify': () => audit.verify(),
  };
}
